/**
 * Small SQL text helpers for the generated mapping SQL. Only values the config schema validated reach SQL
 * text (column positions, enum members, numbers, map keys and patterns from the client file); file contents
 * never do: they are read by the engine from the record file.
 */

/** A SQL string literal: quotes doubled. Backslashes are literal in DuckDB's standard strings. */
export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A finite number as a SQL literal. @throws RangeError for NaN or ±Infinity */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return Number.isInteger(value) ? String(value) : `CAST(${String(value)} AS DOUBLE)`;
}

/** A SQL literal for a map value or constant of a field: text, boolean, number or NULL. */
export function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return sqlNumber(value);
  return sqlString(value);
}

/** Two-digit years: 70–99 are 19xx, 00–69 are 20xx (the POSIX strptime pivot, as expandTwoDigitYear). */
export const expandTwoDigitYearSql = (yy: string): string => `(CASE WHEN ${yy} >= 70 THEN 1900 + ${yy} ELSE 2000 + ${yy} END)`;

const SHOWN = 40;
/**
 * A raw value quoted for a rejection reason as `show` in the JS mapping did: JSON-quoted, cut at 40
 * characters with an ellipsis. Reasons go to the quarantine only, beside the raw line they describe.
 */
export const showSql = (v: string): string =>
  `CAST(to_json(CASE WHEN length(${v}) > ${SHOWN} THEN left(${v}, ${SHOWN}) || '…' ELSE ${v} END) AS VARCHAR)`;

/** A number as JS's String(n) writes it (8, not 8.0), for reasons. */
export const jsNumberText = (v: string): string =>
  `CASE WHEN ${v} = floor(${v}) AND abs(${v}) < 1e15 THEN CAST(CAST(${v} AS BIGINT) AS VARCHAR) ELSE CAST(${v} AS VARCHAR) END`;
