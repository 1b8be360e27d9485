/**
 * What `cspulse query` prints and writes: a result as a terminal table, JSON or CSV on stdout, or as a CSV or XLSX
 * file (a Parquet file is DuckDB's own writer, duckdb-engine.ts).
 */
import { stripBidiControls } from '../core/report/bidi.ts';
import { csvField } from '../core/report/csv.ts';
import { addSheet, newWorkbook, packWorkbook, type ColumnKind } from '../core/report/xlsx-workbook.ts';
import type { QueryColumn, QueryResult, SqlValue } from '../core/ports.ts';

export type OutputFormat = 'json' | 'csv' | 'table';
export type OutputFile = 'csv' | 'xlsx' | 'parquet';

const text = (v: SqlValue): string => (v === null ? '' : String(v));

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes. */
const csvText = (v: SqlValue): string => {
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Hangul and other wide characters take two columns in a terminal. */
const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/.test(ch) ? 2 : 1), 0);

export function formatResult(result: QueryResult, format: OutputFormat): string[] {
  const names = result.columns.map((c) => c.name);
  if (format === 'json') return [JSON.stringify(result.rows, null, 2)];
  if (format === 'csv') return [names.map(csvText).join(','), ...result.rows.map((r) => names.map((n) => csvText(r[n] ?? null)).join(','))];
  const cells = result.rows.map((r) => names.map((n) => (r[n] === null ? 'NULL' : text(r[n] ?? null))));
  const widths = names.map((n, i) => Math.max(width(n), ...cells.map((c) => width(c[i]!))));
  const line = (values: string[]) => values.map((v, i) => v + ' '.repeat(widths[i]! - width(v))).join(' | ');
  return [line(names), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line), `(${result.rows.length} rows)`];
}

/** The file kind of an --out path, by its extension; null for any other. */
export function outputFileKind(path: string): OutputFile | null {
  const m = /\.(csv|xlsx|parquet)$/i.exec(path);
  return m ? (m[1]!.toLowerCase() as OutputFile) : null;
}

/**
 * A CSV file for a spreadsheet: UTF-8 with a byte order mark (Excel reads Korean headers right), CRLF line ends,
 * a leading = + - @ in text prefixed with ' so a spreadsheet never runs a value from an export as a formula (the
 * report's CSV rule, report/csv.ts), and no bidirectional controls in text (report/bidi.ts).
 */
export function resultCsvFile(result: QueryResult): Uint8Array {
  const names = result.columns.map((c) => c.name);
  const field = (v: SqlValue) => csvField(typeof v === 'boolean' ? String(v) : typeof v === 'string' ? stripBidiControls(v) : v);
  const lines = [names.map(field).join(','), ...result.rows.map((r) => names.map((n) => field(r[n] ?? null)).join(','))];
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

/** The kind of an XLSX column from the engine's type name (DuckDB's or Athena's spelling). */
export function columnKind(column: QueryColumn): ColumnKind {
  const t = column.type.toLowerCase();
  if (/^(tinyint|smallint|integer|int|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|uhugeint)$/.test(t)) return 'count';
  if (/^(double|float|real|decimal)/.test(t)) return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp')) return 'datetime';
  return 'text';
}

/** The instant columns are UTC: their header says so, since an Excel cell has no zone. */
const header = (column: QueryColumn): string => (/with time zone/i.test(column.type) ? `${column.name} (UTC)` : column.name);

/** An XLSX file of one sheet, typed columns, written by the report's XLSX writer. */
export async function resultXlsxFile(result: QueryResult, at: Date): Promise<Uint8Array> {
  const wb = newWorkbook(at);
  const columns = result.columns.map((c) => ({ header: header(c), kind: columnKind(c) }));
  const rows = result.rows.map((r) => result.columns.map((c) => r[c.name] ?? null));
  addSheet(wb, 'query', columns, rows, 'KRW');
  return packWorkbook(wb, at);
}
