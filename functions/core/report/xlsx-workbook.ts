/**
 * The XLSX writer the report's attachment and `cspulse query --out F.xlsx` share: one sheet per table, a bold
 * frozen header row, each column with the Excel number format of its kind (rates as percentages, durations as
 * [h]:mm:ss, counts with thousands separators, times as dates), built with exceljs, then re-packed with JSZip with
 * every entry dated at the given time: exceljs dates the zip entries with the wall clock, and a rebuilt report
 * must be byte-for-byte the same message.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { stripBidiControls } from './bidi.ts';
import type { ValueKind } from './format.ts';

const SECONDS_PER_DAY = 86_400;

/**
 * What a column holds: a report value kind, text, or a plain value of a query result — a number shown as Excel
 * shows it (`number`), a true/false, a date (`YYYY-MM-DD`) or a date and time (ISO 8601; `Z` or not, the cell
 * shows the time as written: Excel cells have no zone).
 */
export type ColumnKind = ValueKind | 'text' | 'number' | 'boolean' | 'date' | 'datetime';

export interface SheetColumn {
  header: string;
  kind: ColumnKind;
  width?: number;
}

export type CellInput = string | number | boolean | null;

export function numFmt(kind: ValueKind, currency: string): string {
  switch (kind) {
    case 'count':
      return '#,##0';
    case 'rate':
      return '0.0%';
    case 'seconds':
      return '[h]:mm:ss';
    case 'score':
      return '0.00';
    case 'nps':
    case 'decimal':
      return '0.0';
    case 'money':
      return ['KRW', 'JPY'].includes(currency) ? '#,##0' : '#,##0.00';
  }
}

const COLUMN_FORMAT: Partial<Record<ColumnKind, string>> = { date: 'yyyy-mm-dd', datetime: 'yyyy-mm-dd hh:mm:ss.000' };

function columnFormat(kind: ColumnKind, currency: string): string | undefined {
  if (kind === 'text' || kind === 'number' || kind === 'boolean') return undefined;
  return COLUMN_FORMAT[kind] ?? numFmt(kind as ValueKind, currency);
}

/** Excel keeps durations as fractions of a day. */
export const cellValue = (kind: ValueKind, v: number | null): number | null => (v === null ? null : kind === 'seconds' ? v / SECONDS_PER_DAY : v);

/** A date or date-time text as the Date whose UTC fields are the written ones (exceljs writes a Date's UTC time). */
function dateCell(text: string): Date | string {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? text : d;
}

/** A cell's value; text without bidirectional controls (bidi.ts), which export text can carry. */
function cell(kind: ColumnKind, v: CellInput): CellInput | Date {
  if (v === null) return null;
  if ((kind === 'date' || kind === 'datetime') && typeof v === 'string') return dateCell(v);
  if (typeof v === 'string') return stripBidiControls(v);
  if (kind === 'text' || kind === 'number' || kind === 'boolean' || kind === 'date' || kind === 'datetime' || typeof v !== 'number') return v;
  return cellValue(kind, v);
}

export function addSheet(wb: ExcelJS.Workbook, name: string, columns: SheetColumn[], rows: CellInput[][], currency: string): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => {
    const format = columnFormat(c.kind, currency);
    return {
      header: c.header,
      key: `c${i}`,
      width: c.width ?? Math.max(10, Math.min(40, c.header.length + 4)),
      ...(format === undefined ? {} : { style: { numFmt: format } }),
    };
  });
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(Object.fromEntries(row.map((v, i) => [`c${i}`, cell(columns[i]!.kind, v)])));
  return ws;
}

export function newWorkbook(at: Date): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'cspulse';
  wb.created = at;
  wb.modified = at;
  return wb;
}

/** The workbook's bytes, every zip entry dated `at`. */
export async function packWorkbook(wb: ExcelJS.Workbook, at: Date): Promise<Uint8Array> {
  const built = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
  const out = new JSZip();
  for (const [name, file] of Object.entries(built.files)) {
    if (!file.dir) out.file(name, await file.async('uint8array'), { date: at, createFolders: false });
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
