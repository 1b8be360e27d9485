/**
 * One manifest per ingested input file, written to the lake store beside the data. It is the ledger the
 * data-quality footer and the freshness gate read, and its counts always satisfy
 * rows_read = rows_written + rows_quarantined + duplicates_dropped.
 */
import type { LakeTableName } from '../tables.ts';

export interface ManifestPartition {
  dt: string;
  rows: number;
  /** of those rows, outcome excluded (kept in the lake, counted in no KPI) */
  excluded: number;
  object_key: string;
}

export interface IngestManifest {
  client_id: string;
  source: string;
  table: LakeTableName;
  /** the input file's name (its key in the raw store, or its path) */
  file: string;
  /** sha256 of the raw bytes (null for a rejected file): the same bytes under another name are the same delivery */
  file_sha256: string | null;
  /** stable id of this input in object keys: derived from source and file name */
  file_id: string;
  started_at: string;
  finished_at: string;
  status: 'ok' | 'rejected';
  /** why the whole file was rejected (wrong columns, unreadable); rows_read is 0 then */
  error: string | null;
  rows_read: number;
  rows_written: number;
  rows_quarantined: number;
  duplicates_dropped: number;
  partitions: ManifestPartition[];
  /** key of the quarantine object holding the rejected rows, when there are any */
  quarantine_key: string | null;
}

/** Where things live in the stores. The lake store holds tables and manifests; quarantine is its own store. */
export const lakeKeys = {
  partitionPrefix: (table: LakeTableName, clientId: string, dt: string) =>
    `${table}/client_id=${clientId}/dt=${dt}/`,
  dataObject: (table: LakeTableName, clientId: string, dt: string, source: string, fileId: string) =>
    `${table}/client_id=${clientId}/dt=${dt}/${source}--${fileId}.parquet`,
  manifestPrefix: (clientId: string) => `manifests/client_id=${clientId}/`,
  manifest: (clientId: string, source: string, fileId: string) =>
    `manifests/client_id=${clientId}/${source}--${fileId}.json`,
  /** where a rejected redelivery of a file is recorded while the file's earlier, good data stays in force */
  rejectedManifest: (clientId: string, source: string, fileId: string) =>
    `manifests/client_id=${clientId}/${source}--${fileId}.rejected.json`,
  deliveriesPrefix: (clientId: string) => `deliveries/client_id=${clientId}/`,
  quarantine: (clientId: string, source: string, fileId: string) =>
    `client_id=${clientId}/${source}--${fileId}.jsonl`,
  /** raw uploads: raw bucket, `client_id=<id>/<source>/<file name>` */
  rawPrefix: (clientId: string, source?: string) =>
    source === undefined ? `client_id=${clientId}/` : `client_id=${clientId}/${source}/`,
} as const;
