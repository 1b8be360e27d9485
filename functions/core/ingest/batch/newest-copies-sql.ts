/**
 * The newest-copy rule over a batch of files, decided in one pass with the result ingesting the files one after
 * the other would give (docs/ingest.md, "The newest copy of a contact wins").
 *
 * One by one, file k's rows compete with the copies in the lake on its window (its business dates and the dates
 * either side): a row is written when it is newer than the copy of its contact the lake holds at that moment,
 * and the copies it beats leave the lake. Over a batch the same holds in one statement when every copy a file
 * could meet is in its window: then the copy the lake holds of a contact at file k is always the newest of the
 * copies before k (the lake's, then the batch's earlier files'), so
 * - file k's row is written exactly when it is newer than every earlier copy (it beats the running newest);
 * - it replaced a copy exactly when it is written and an earlier copy exists;
 * - after the batch the lake holds the newest copy of each contact, and every copy it beat is gone.
 * "Newer" is the lake's order (assembly-sql.ts newestFirst): the latest `updated_at`, then the latest delivery,
 * then the later file of the batch (one by one, the file being ingested wins a tie against the lake), then
 * the later line; within one file a contact has one copy (the file's own duplicates are dropped first).
 *
 * When a copy falls outside the window of a later file that holds the same contact (a row moved more than a
 * day), or the lake holds one contact twice on the batch's dates, one-by-one ingestion keeps copies this
 * reasoning does not: `windowMissesSql` finds those, and the batch is then ingested file by file instead.
 */
import type { LakeTableName } from '../../tables.ts';

/**
 * Every copy of the batch (`fresh`, with `__k` = its file's index from 1) and of the lake on the batch's dates
 * (`lake`, `__k` = 0), with `__rank` (1 = the newest copy of its contact) and `__earlier` (the best rank among
 * the copies before it in ingestion order; null for the first).
 */
export function rankedCopiesSql(table: LakeTableName, id: string, fresh: string, lake: string | null): string {
  const updated = table === 'contacts' ? 'updated_at DESC NULLS LAST, ' : '';
  const copies = lake === null ? `SELECT * FROM ${fresh}` : `SELECT * FROM ${fresh} UNION ALL BY NAME SELECT * FROM ${lake}`;
  const ranked = `SELECT *, row_number() OVER (PARTITION BY ${id} ORDER BY ${updated}delivered_at DESC NULLS LAST, __k DESC, __line DESC NULLS LAST) AS __rank FROM (${copies})`;
  return `SELECT *, min(__rank) OVER (PARTITION BY ${id} ORDER BY __k ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS __earlier FROM (${ranked})`;
}

/** SQL condition on a ranked copy: written when its file was ingested (newer than every earlier copy). */
export const WRITTEN = `(__k > 0 AND (__earlier IS NULL OR __rank < __earlier))`;
/** ...and replaced a copy that was in the lake at that moment. */
export const REPLACED = `(__k > 0 AND __earlier IS NOT NULL AND __rank < __earlier)`;

/**
 * Count of (copy, earlier copy of the same contact) pairs where the earlier copy's business date is outside the
 * window of the later copy's file (`windows (k, dt)`), plus the lake's contacts held twice on the batch's dates:
 * zero when the batch may be decided at once.
 */
export function windowMissesSql(id: string, fresh: string, lake: string | null): string {
  const copies = lake === null ? `SELECT ${id} AS id, __k AS k, dt FROM ${fresh}` : `SELECT ${id} AS id, __k AS k, dt FROM ${fresh} UNION ALL SELECT ${id}, 0, dt FROM ${lake}`;
  const twice = lake === null ? '0' : `(SELECT count(*) - count(DISTINCT ${id}) FROM ${lake})`;
  return (
    `WITH copies AS (${copies}), ` +
    `shared AS (SELECT * FROM copies WHERE id IN (SELECT id FROM copies GROUP BY id HAVING count(*) > 1)) ` +
    `SELECT ${twice} + (SELECT count(*) FROM shared a JOIN shared b ON a.id = b.id AND b.k < a.k ` +
    `ANTI JOIN windows w ON w.k = a.k AND w.dt = b.dt) AS n`
  );
}
