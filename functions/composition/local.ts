/**
 * The local runtime: a folder for each S3 bucket, DuckDB for Athena, an outbox folder or SMTP for SES, the
 * system clock. Everything under one data folder (default `.cspulse/`), which `--lake` and friends move.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createDuckDbEngine } from '../adapters/local/duckdb-engine.ts';
import { openDuckDbWorkspace } from '../adapters/local/duckdb-workspace.ts';
import { createFileLocks } from '../adapters/local/file-locks.ts';
import { createFolderStore } from '../adapters/local/folder-store.ts';
import { ensureLocalSecret } from '../adapters/local/local-secrets.ts';
import type { ClientConfig } from '../core/config/client-config.ts';
import type { IngestDeps } from '../core/ingest/ingest-file.ts';
import { computeKpiDocument } from '../core/kpis/compute-kpi-document.ts';
import type { KpiDocument, PeriodKind } from '../core/kpis/kpi-result.ts';
import { systemClock, type Clock } from '../core/ports.ts';
import { piiKeySecretName } from '../core/runtime-env.ts';

export const DEFAULT_DATA_DIR = '.cspulse';

export interface LocalPaths {
  /** lake bucket: tables, manifests, delivery log */
  lake: string;
  /** quarantine bucket: rejected rows with reasons (raw values: keep it private) */
  quarantine: string;
  /** per-client secrets such as the customer-key HMAC key (files with mode 0600) */
  secrets: string;
}

export function localPaths(options: { lake?: string; quarantine?: string; dataDir?: string }): LocalPaths {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const lake = resolve(options.lake ?? join(dataDir, 'lake'));
  return {
    lake,
    quarantine: resolve(options.quarantine ?? join(lake, '..', 'quarantine')),
    secrets: resolve(join(lake, '..', 'secrets')),
  };
}


/**
 * Ingest on this machine: DuckDB in-process, scratch files in the system temp folder, and lock files beside the
 * lake so that two `cspulse ingest` processes on one lake publish one after the other.
 */
export async function localIngestDeps(paths: LocalPaths, config: ClientConfig, clock: Clock = systemClock): Promise<IngestDeps> {
  const secret = await ensureLocalSecret(paths.secrets, piiKeySecretName(config.id));
  return {
    lake: createFolderStore(paths.lake),
    quarantine: createFolderStore(paths.quarantine, { private: true }),
    customerKeySecret: secret,
    clock,
    workDir: join(tmpdir(), 'cspulse-ingest'),
    openWorkspace: openDuckDbWorkspace,
    locks: createFileLocks(join(paths.lake, '..', 'locks')),
  };
}

/** The KPI document of one client and period, computed by DuckDB over the local lake. */
export async function localLoadKpis(lakeDir: string, config: ClientConfig, kind: PeriodKind, date: string): Promise<KpiDocument> {
  const engine = await createDuckDbEngine({ lakeRoot: lakeDir });
  try {
    return await computeKpiDocument(engine, config, kind, date);
  } finally {
    await engine.close();
  }
}
