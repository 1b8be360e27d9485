/**
 * Whether a delivery delivered its data. A file ingest accepted can still have delivered nothing usable: a
 * mapping that reads an `H:MM:SS` column as seconds quarantines every row and writes none. Such a file is not a
 * success — `cspulse ingest` says `partial` and exits 1, the ingest Lambda counts it in `FilesPartial`, and the
 * report counts its days as failed, not received (report/completeness.ts).
 */
import type { SourceConfig } from '../config/client-config.ts';
import { completenessOf } from './coverage.ts';
import type { IngestManifest } from './manifest.ts';

export type DeliveryStatus = 'ok' | 'partial' | 'rejected';

export interface DeliveryVerdict {
  status: DeliveryStatus;
  /** why a delivery is not ok: the manifest's error, or the quarantined share against the source's limit */
  reason: string | null;
}

/** True when quarantined rows are more than the share of a delivery's rows the source allows. */
export function quarantinedTooMuch(quarantined: number, read: number, maxShare: number): boolean {
  return read > 0 && quarantined > 0 && quarantined / read > maxShare;
}

export function deliveryStatus(manifest: Pick<IngestManifest, 'status' | 'error' | 'rows_read' | 'rows_quarantined'>, source: SourceConfig): DeliveryVerdict {
  if (manifest.status === 'rejected') return { status: 'rejected', reason: manifest.error };
  const limit = completenessOf(source).maxQuarantinedShare;
  if (!quarantinedTooMuch(manifest.rows_quarantined, manifest.rows_read, limit)) return { status: 'ok', reason: null };
  const share = Math.round((manifest.rows_quarantined / manifest.rows_read) * 1000) / 10;
  return {
    status: 'partial',
    reason:
      manifest.rows_quarantined === manifest.rows_read
        ? `every row (${manifest.rows_read}) was quarantined: nothing of the file reached the lake`
        : `${manifest.rows_quarantined} of ${manifest.rows_read} rows (${share}%) were quarantined, more than the source allows ` +
          `(completeness.max_quarantined_share ${limit})`,
  };
}
