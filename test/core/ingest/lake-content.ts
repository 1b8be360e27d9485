/**
 * A lake (and its quarantine) as content, for comparing two ingest runs: the rows of every data and version
 * object (sorted), every manifest and coverage entry without the fields that differ between two runs by
 * nature (when a run started or finished, its random delivery id), every quarantine object's lines. Keys that
 * carry a delivery id are shown without it. Two lakes with the same content answer every query the same and
 * rebuild every date the same.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';

/** A version key's delivery id (`--<base36 time>-<8 hex>.parquet`) is random per run. */
const withoutDelivery = (key: string): string => key.replace(/--[0-9a-z]+-[0-9a-f]{8}\.parquet$/, '--<delivery>.parquet');

const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

export interface LakeContent {
  /** object key (delivery ids masked) → rows (sorted canonical JSON) or document */
  objects: Record<string, unknown>;
}

export async function lakeContent(lakeDir: string, quarantineDir: string): Promise<LakeContent> {
  const lake = createFolderStore(lakeDir);
  const quarantine = createFolderStore(quarantineDir);
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  const objects: Record<string, unknown> = {};
  try {
    for await (const o of lake.list('')) {
      if (o.key.endsWith('.parquet')) {
        const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${join(lakeDir, o.key).replaceAll("'", "''")}')`);
        objects[withoutDelivery(o.key)] = reader
          .getRowObjectsJson()
          .map((row) => sortedJson(row))
          .sort();
      } else if (o.key.endsWith('.json')) {
        const doc = JSON.parse(await readFile(join(lakeDir, o.key), 'utf8')) as Record<string, unknown>;
        delete doc.started_at;
        delete doc.finished_at;
        delete doc.delivery_id;
        if (Array.isArray(doc.partitions)) {
          doc.partitions = (doc.partitions as Record<string, unknown>[]).map((p) => ({ ...p, version_key: typeof p.version_key === 'string' ? withoutDelivery(p.version_key) : p.version_key }));
        }
        if (Array.isArray(doc.keys)) doc.keys = (doc.keys as string[]).map(withoutDelivery);
        objects[o.key] = doc;
      } else {
        objects[o.key] = await readFile(join(lakeDir, o.key), 'utf8');
      }
    }
    for await (const o of quarantine.list('')) {
      const text = await readFile(join(quarantineDir, o.key), 'utf8');
      objects[`quarantine:${o.key}`] = text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => sortedJson(JSON.parse(l)));
    }
  } finally {
    connection.closeSync();
    db.closeSync();
  }
  return { objects };
}
