/**
 * The ingest Lambda's composition, apart from the rest of aws.ts so that only the ingest bundle carries
 * DuckDB's native binding (infra/constructs/cspulse-function.ts bundles each handler with what it imports).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbWorkspace } from '../adapters/local/duckdb-workspace.ts';
import type { IngestDeps } from '../core/ingest/ingest-file.ts';
import { maxExportBytes, stagingLimitReason } from '../core/ingest/staging-space.ts';
import { systemClock } from '../core/ports.ts';
import { RUNTIME_ENV } from '../core/runtime-env.ts';
import { awsRuntime, requiredEnv } from './aws.ts';

export async function awsIngestDeps(): Promise<IngestDeps> {
  const rt = awsRuntime();
  const key = await rt.secrets.get(requiredEnv(RUNTIME_ENV.piiKeySecret));
  const tmpBytes = Number(requiredEnv(RUNTIME_ENV.ingestTmpBytes));
  if (!Number.isSafeInteger(tmpBytes) || tmpBytes <= 0) throw new Error(`${RUNTIME_ENV.ingestTmpBytes} must be a number of bytes`);
  return {
    lake: rt.lake,
    quarantine: rt.quarantine,
    customerKeySecret: key,
    clock: systemClock,
    // /tmp is the only writable folder: DuckDB's spill files must go there too (docs/deploy.md)
    workDir: join(tmpdir(), 'cspulse-ingest'),
    openWorkspace: openDuckDbWorkspace,
    // a file /tmp cannot stage is rejected with the reason instead of failing five times with ENOSPC
    limits: { maxBytes: maxExportBytes(tmpBytes), maxBytesReason: stagingLimitReason(tmpBytes) },
    // no locks: the ingest queue is FIFO with one message group per client, so a client's files run one at a time
  };
}
