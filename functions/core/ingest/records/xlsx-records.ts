/**
 * XLSX workbooks (Office Open XML spreadsheets). The workbook is written to the run's staging folder, opened as
 * a package (xlsx/package.ts: any part by name, absolute or relative relationship targets, any part order),
 * and one worksheet is streamed row by row (xlsx/sheet-rows.ts), so a sheet of a million rows is never held
 * whole. One sheet is read: the one the source names (`sheet`, its tab name: 채널톡 exports put the chats in
 * "UserChat data" beside "User data", "Manager data", "Message data" …), else the workbook's first tab. Its
 * first non-blank row is the header unless `header: false`.
 *
 * Cells become text as the sheet stores them, not as Excel displays them (xlsx/sheet-rows.ts): a date cell is
 * its serial (read with `format: excel`), a time of day or a duration its fraction of a day (`unit: days`), a
 * formula its cached result, rich text its plain text, TRUE/FALSE, an error its code (`#N/A`); text that looks
 * like a date stays text, read with a token format. Cells right of the header are not read. Each record's line
 * is the sheet's row number.
 *
 * Lookups: `lookups: [{ sheet: User data, key: id, by: userId }]` makes the columns of another sheet readable
 * as `<sheet>.<column>` (`User data.mobileNumber`), from its row whose `key` equals the read row's `by`: the
 * customer's phone number of a chat lives in 채널톡's user sheet. Lookup sheets are read first (the columns the
 * mapping reads, held in memory), then the read sheet, whatever order the workbook keeps them in.
 *
 * Memory: the shared-string table is held up to a budget and spilled to disk past it (xlsx/shared-strings.ts);
 * a cell or row longer than the record limit rejects its row with the column named and is never held whole.
 *
 * Whole-file rejections: not a zip (an encrypted workbook is an OLE container: the password must be removed;
 * an old binary .xls likewise), no such sheet (the sheets are listed), the 1904 date system (its serials would
 * read four years early), XML that is not well-formed.
 */
import { rmSync } from 'node:fs';
import type { SourceConfig } from '../../config/client-config.ts';
import { columnsNamed, mappingParts } from '../mapping/columns-named.ts';
import { MappingConfigError } from '../mapping/errors.ts';
import { compileContactSql, type SqlMapping } from '../mapping/sql-mapping.ts';
import { FileRejectedError } from '../types.ts';
import type { ReadRecordsInput, RecordSet } from './read-records.ts';
import { RecordFileWriter } from './record-file.ts';
import { spoolWorkbook, WorkbookPackage } from './xlsx/package.ts';
import { SharedStrings } from './xlsx/shared-strings.ts';
import { sheetRows, type SheetRow } from './xlsx/sheet-rows.ts';
import { readSharedStrings, readWorkbookInfo, type WorkbookInfo } from './xlsx/workbook.ts';

type XlsxSource = Extract<SourceConfig, { format: 'mapped-xlsx' }>;

/** Shared strings held in memory before the rest go to disk. */
export const SHARED_STRINGS_BUDGET_BYTES = 32 * 1024 ** 2;
/** The widest sheet Excel writes (XFD). */
const MAX_COLUMNS = 16_384;

/** A lookup sheet read into memory: the values of the columns the mapping names, by the key column's value. */
interface Lookup {
  sheet: string;
  key: string;
  by: string;
  /** the lookup sheet's columns the mapping reads, as `<sheet>.<column>` in the record header */
  columns: string[];
  rows: Map<string, string[]>;
}

const quoted = (names: string[]) => names.map((n) => JSON.stringify(n)).join(', ') || 'no sheets';

function partOf(info: WorkbookInfo, name: string, file: string, missing: (names: string) => string): string {
  const sheet = info.sheets.find((s) => s.name === name);
  if (sheet === undefined) throw new FileRejectedError(file, missing(quoted(info.sheets.map((s) => s.name))));
  if (sheet.part === undefined) throw new FileRejectedError(file, `sheet ${JSON.stringify(name)} is not a worksheet, or its part is missing from the workbook`);
  return sheet.part;
}

export async function readXlsxRecords(input: ReadRecordsInput & { source: XlsxSource }): Promise<RecordSet> {
  const { source, file } = input;
  if (!source.header && source.lookups.length > 0) throw new MappingConfigError(source.id, 'lookups', 'a lookup needs the sheets\' header rows (header: true)');
  const limits = { maxBytes: input.limits.maxBytes, deadline: input.limits.deadline };
  const workbookPath = `${input.path}.xlsx`;
  const strings = new SharedStrings(`${input.path}.sst`, SHARED_STRINGS_BUDGET_BYTES, input.limits.maxRecordBytes);
  let pkg: WorkbookPackage | undefined;
  try {
    const size = await spoolWorkbook(input.body, workbookPath, file, limits);
    if (size === 0) throw new FileRejectedError(file, 'the file is empty (0 bytes)');
    pkg = await WorkbookPackage.open(workbookPath, file, limits);
    const info = await readWorkbookInfo(pkg, file);
    if (info.date1904) throw new FileRejectedError(file, 'the workbook uses the 1904 date system; save it with the 1900 date system (Excel: Options, Advanced)');
    const wanted = source.sheet ?? info.sheets[0]?.name;
    if (wanted === undefined) throw new FileRejectedError(file, `no sheet "${source.sheet ?? '(the first)'}"; the workbook has no sheets`);
    const part = partOf(info, wanted, file, (names) => `no sheet ${JSON.stringify(source.sheet ?? '(the first)')}; the workbook has ${names}`);
    await readSharedStrings(pkg, file, info.sharedStringsPart, strings);
    const lookups: Lookup[] = [];
    const named = [...columnsNamed(mappingParts(source))];
    for (const l of source.lookups) {
      const lookupPart = partOf(info, l.sheet, file, (names) => `no sheet ${JSON.stringify(l.sheet)} to look up; the workbook has ${names}`);
      const columns = named.filter((c): c is string => typeof c === 'string' && c.startsWith(`${l.sheet}.`)).map((c) => c.slice(l.sheet.length + 1));
      lookups.push({ ...l, columns, rows: await readLookup(sheetRows(pkg.read(lookupPart), file, lookupPart, strings, { maxColumns: MAX_COLUMNS, maxCellChars: input.limits.maxRecordBytes }), l, columns, file) });
    }
    return await readSheet(input, source, sheetRows(pkg.read(part), file, part, strings, { maxColumns: MAX_COLUMNS, maxCellChars: input.limits.maxRecordBytes }), wanted, lookups);
  } finally {
    pkg?.close();
    strings.close();
    rmSync(workbookPath, { force: true });
  }
}

/** The read sheet's rows → the record file, under the header (and the lookup columns after it). */
async function readSheet(input: ReadRecordsInput & { source: XlsxSource }, source: XlsxSource, rows: AsyncIterable<SheetRow>, name: string, lookups: Lookup[]): Promise<RecordSet> {
  const { file } = input;
  const named = [...columnsNamed(mappingParts(source))];
  const positional = named.filter((c): c is number => typeof c === 'number');
  const lookupColumns = lookups.flatMap((l) => l.columns.map((c) => `${l.sheet}.${c}`));
  let mapping: SqlMapping | undefined;
  let header: string[] | null = null;
  let width = 0;
  let byIndex: number[] = [];
  let records = 0;
  let rejected = 0;
  let lastRow = 0;
  const writer = new RecordFileWriter(input.path, Buffer.from(','));
  try {
    for await (const row of rows) {
      lastRow = Math.max(lastRow, row.number);
      if (mapping === undefined) {
        if (source.header) {
          if (row.cells.every((c) => c.trim() === '')) continue;
          if (row.problem !== undefined) throw new FileRejectedError(file, `the header row ${row.number} of sheet ${JSON.stringify(name)} cannot be read: ${row.problem}`);
          header = row.cells.map((c) => c.trim());
          while (header.length > 0 && header.at(-1) === '') header.pop();
          width = header.length;
          byIndex = lookups.map((l) => header!.indexOf(l.by));
          const missing = lookups.filter((_, i) => byIndex[i]! < 0).map((l) => l.by);
          if (missing.length > 0) throw new FileRejectedError(file, `source ${source.id}: missing column ${missing.join(', ')} (the lookup key) in sheet ${JSON.stringify(name)}`);
          const full = [...header, ...lookupColumns];
          mapping = compileContactSql(source, { header: full, width: full.length, clientZone: input.clientZone, file, delimiter: ',', ...input.compile });
          continue;
        }
        width = Math.max(0, ...positional.map((c) => c + 1));
        mapping = compileContactSql(source, { header: null, width, clientZone: input.clientZone, file, delimiter: ',', ...input.compile });
      }
      const fields = Array.from({ length: width }, (_, i) => row.cells[i] ?? '');
      if (row.problem === undefined && fields.every((f) => f.trim() === '')) continue;
      const bytes = fields.reduce((n, f) => n + Buffer.byteLength(f), 0);
      const problem = row.problem ?? (bytes > input.limits.maxRecordBytes ? `row larger than ${input.limits.maxRecordBytes} bytes` : undefined);
      if (problem !== undefined) {
        input.onReject({ line: row.number, field: '(row)', reason: problem, raw: fields.join(',').slice(0, 2000) });
        rejected++;
        continue;
      }
      const looked = lookups.flatMap((l, i) => {
        const values = l.rows.get(fields[byIndex[i]!]!.trim());
        return l.columns.map((_, c) => values?.[c] ?? '');
      });
      writer.writeFields(row.number, lookups.length === 0 ? fields : [...fields, ...looked]);
      records++;
    }
  } finally {
    writer.close();
  }
  if (mapping === undefined) throw new FileRejectedError(file, `sheet ${JSON.stringify(name)} is empty: no header row`);
  return {
    path: input.path,
    width: width + lookupColumns.length,
    delimiter: ',',
    mapping,
    header: header === null ? null : [...header, ...lookupColumns],
    records,
    rejected,
    trimmed: writer.trimmed,
    lines: lastRow,
    blankLines: 0,
  };
}

/** A lookup sheet's rows: header first; the first row of each key wins; rows that cannot be read are left out. */
async function readLookup(rows: AsyncIterable<SheetRow>, lookup: { sheet: string; key: string }, columns: string[], file: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  let keyIndex = -1;
  let indexes: number[] | undefined;
  for await (const row of rows) {
    if (indexes === undefined) {
      if (row.cells.every((c) => c.trim() === '')) continue;
      const names = row.cells.map((c) => c.trim());
      keyIndex = names.indexOf(lookup.key);
      indexes = columns.map((c) => names.indexOf(c));
      const missing = [...(keyIndex < 0 ? [lookup.key] : []), ...columns.filter((_, i) => indexes![i]! < 0)];
      if (missing.length > 0) throw new FileRejectedError(file, `sheet ${JSON.stringify(lookup.sheet)} has no column ${missing.join(', ')}`);
      continue;
    }
    if (row.problem !== undefined) continue;
    const key = (row.cells[keyIndex] ?? '').trim();
    if (key !== '' && !found.has(key)) found.set(key, indexes.map((i) => row.cells[i] ?? ''));
  }
  return found;
}
