/**
 * How large an export one ingest can take in a work folder of a given size. Staging an export needs about
 * 2.6 times its size in the work folder: the decoded UTF-8 record file (a CP949 export grows by up to half,
 * Hangul taking 3 bytes instead of 2), the staged Parquet, DuckDB's spill files and the Parquet written before
 * upload. Measured with `npm run bench:ingest`: 280 MB of /tmp at the peak for the 108 MB CP949 file of a million
 * rows. A file past the limit is rejected with the reason before it can fill the folder; without the limit a
 * 2–4 GB backfill ran out of space (ENOSPC), was retried five times and ended in the dead-letter queue.
 */
export const STAGING_FACTOR = 2.6;

/** The largest export (decoded and decompressed bytes) a work folder of `workBytes` can stage. */
export function maxExportBytes(workBytes: number): number {
  return Math.floor(workBytes / STAGING_FACTOR);
}

/** The reason quoted in a rejection for size, for a work folder of `workBytes`. */
export function stagingLimitReason(workBytes: number): string {
  const mib = Math.round(workBytes / 1024 ** 2);
  return `staging needs about ${STAGING_FACTOR} times a file's size and this function's /tmp holds ${mib.toLocaleString('en')} MiB`;
}
