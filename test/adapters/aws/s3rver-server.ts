import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';

export interface RunningS3rver {
  endpoint: string;
  bucket: string;
  /** A client for this server: path-style, dummy credentials, us-east-1. */
  client: S3Client;
  stop: () => Promise<void>;
}

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3rver-process.cjs');

/**
 * Starts a real s3rver on a free port of 127.0.0.1 with a fresh temp directory, the bucket and any further
 * buckets named.
 */
export async function startS3rver(bucket = 'cspulse-test', moreBuckets: string[] = []): Promise<RunningS3rver> {
  const directory = await mkdtemp(path.join(tmpdir(), 'cspulse-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', script, directory, [bucket, ...moreBuckets].join(',')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with code ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    endpoint,
    bucket,
    client,
    stop: async () => {
      client.destroy();
      child.stdin?.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
