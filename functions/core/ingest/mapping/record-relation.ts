/**
 * How the SQL stage reads a record file (records/record-file.ts): DuckDB's strict CSV reader, the line and the
 * trim flag, then every column as text, nothing sniffed. A record whose number of fields is wrong is not read but kept in the reader's reject
 * table (`reject_errors`), with the record file's text, from which the quarantine takes the source line.
 */
import { sqlString } from './sql-text.ts';

export interface RecordRelation {
  /** one record file, or several of the same width read in one scan, each row with the `filename` it came from */
  path: string | readonly string[];
  /** fields per record in the source (the record file has one more: the line) */
  width: number;
  delimiter: string;
  /** longest record in bytes the framer lets through */
  maxRecordBytes: number;
  /**
   * false: one sequential scan. DuckDB's parallel scan can lose a record of the wrong width that starts near
   * the boundary of a scan range (neither read nor in reject_errors); a sequential scan does not.
   */
  parallel?: boolean;
}

export function readRecordsSql(relation: RecordRelation): string {
  const columns = [`'__line': 'BIGINT'`, `'__trim': 'BOOLEAN'`, ...Array.from({ length: relation.width }, (_, i) => `'c${i}': 'VARCHAR'`)];
  const paths = typeof relation.path === 'string' ? sqlString(relation.path) : `[${relation.path.map(sqlString).join(', ')}], filename = true`;
  return (
    `read_csv(${paths}, header = false, auto_detect = false, delim = ${sqlString(relation.delimiter)}, ` +
    `quote = '"', escape = '"', new_line = '\\n', strict_mode = true, store_rejects = true, ${relation.parallel === false ? 'parallel = false, ' : ''}` +
    // the reader's buffers are sized from the longest line it must hold: a few of them, not DuckDB's default 16
    `max_line_size = ${relation.maxRecordBytes + 64}, buffer_size = ${4 * (relation.maxRecordBytes + 64)}, columns = {${columns.join(', ')}})`
  );
}
