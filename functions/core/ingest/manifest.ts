/**
 * One manifest per ingested input file, written to the lake store beside the data. It is the ledger the
 * data-quality footer and the freshness gate read, and its counts always satisfy
 * rows_read = rows_written + rows_quarantined + duplicates_dropped + legs_grouped (0 or absent for sources
 * without call legs).
 */
import type { LakeTableName } from '../tables.ts';

export interface ManifestPartition {
  dt: string;
  /** rows of this delivery on the date that are in the lake (the newest copy of their contact) */
  rows: number;
  /** of those rows, outcome excluded (kept in the lake, counted in no KPI) */
  excluded: number;
  /** the date's object for the source, which queries read */
  object_key: string;
  /** every row of this delivery on the date, newest or not, kept to rebuild the date when a delivery changes */
  version_key?: string;
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
  /** rows that lost to another copy of their contact: the same id again in this file, or a newer delivery */
  duplicates_dropped: number;
  /**
   * sources with one row per call leg (`legs`): leg rows folded into the contact of another leg of their call
   * (a call of 3 legs written as 1 contact counts 2 here)
   */
  legs_grouped?: number;
  /** rows written that replaced an older copy of their contact from another delivery (they count in rows_written) */
  rows_replaced?: number;
  /** of rows_written, outcome excluded */
  rows_excluded?: number;
  /** physical lines (CSV) or records (JSON) of the file, the header and blank lines included */
  lines_read?: number;
  blank_lines?: number;
  /** when the export arrived; with the source's own update time it decides which copy of a contact is newest */
  delivered_at?: string;
  /** this delivery's id: a redelivery of the same file gets a new one */
  delivery_id?: string;
  partitions: ManifestPartition[];
  /**
   * the business dates the delivery has coverage entries on: those it wrote rows to, those of its quarantined rows,
   * and the date its file name declares (absent in manifests written before quarantined rows were dated)
   */
  coverage_dates?: string[];
  /** key of the quarantine object holding the rejected rows, when there are any */
  quarantine_key: string | null;
}

/** Where things live in the stores. The lake store holds tables and manifests; quarantine is its own store. */
export const lakeKeys = {
  partitionPrefix: (table: LakeTableName, clientId: string, dt: string) =>
    `${table}/client_id=${clientId}/dt=${dt}/`,
  dataObject: (table: LakeTableName, clientId: string, dt: string, source: string, fileId: string) =>
    `${table}/client_id=${clientId}/dt=${dt}/${source}--${fileId}.parquet`,
  /** a date's one object per source, which queries read */
  sourceObject: (table: LakeTableName, clientId: string, dt: string, source: string) =>
    `${table}/client_id=${clientId}/dt=${dt}/${source}.parquet`,
  /** every row of one delivery on one date (not queried: kept to rebuild the date) */
  versionsPrefix: (table: LakeTableName, clientId: string, dt: string, source: string) =>
    `versions/${table}/client_id=${clientId}/dt=${dt}/${source}--`,
  versionObject: (table: LakeTableName, clientId: string, dt: string, source: string, fileId: string, deliveryId: string) =>
    `versions/${table}/client_id=${clientId}/dt=${dt}/${source}--${fileId}--${deliveryId}.parquet`,
  /** written before a delivery's first object and removed after its manifest: a run killed between them is cleaned up by the next */
  pendingDelivery: (clientId: string, source: string, fileId: string) =>
    `manifests/client_id=${clientId}/${source}--${fileId}.pending.json`,
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
