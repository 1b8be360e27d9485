/**
 * XLSX workbooks (Office Open XML spreadsheets), streamed: exceljs's WorkbookReader unzips the workbook and
 * parses one worksheet's XML row by row, so a sheet of a million rows is never held whole. One sheet is read:
 * the one the source names (`sheet`, its tab name: 채널톡 exports put the chats in "UserChat data" beside
 * "User data", "Manager data", "Message data" …), else the workbook's first tab. Its first row is the header
 * unless `header: false`.
 *
 * Cells become text as the sheet stores them, not as Excel displays them: a number as JavaScript writes it
 * (a date cell is its serial, read with `format: excel`; a time of day or a duration its fraction of a day,
 * `unit: days`), a formula its cached result, rich text its plain text, TRUE/FALSE, an error its code
 * (`#N/A`). Text that looks like a date stays text, read with a token format. Cells right of the header are
 * not read. Each record's line is the sheet's row number.
 *
 * Lookups: `lookups: [{ sheet: User data, key: id, by: userId }]` makes the columns of another sheet readable
 * as `<sheet>.<column>` (`User data.mobileNumber`), from its row whose `key` equals the read row's `by`: the
 * customer's phone number of a chat lives in 채널톡's user sheet. The lookup sheet is held in memory (the
 * columns the mapping reads); read-sheet rows that come before it in the workbook wait in a spool file.
 *
 * Whole-file rejections: not a zip (an encrypted workbook is an OLE container: the password must be removed;
 * an old binary .xls likewise), no such sheet (the sheets are listed), the 1904 date system (its serials would
 * read four years early).
 */
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { SourceConfig } from '../../config/client-config.ts';
import { columnsNamed, mappingParts } from '../mapping/columns-named.ts';
import { MappingConfigError } from '../mapping/errors.ts';
import { compileContactSql, type SqlMapping } from '../mapping/sql-mapping.ts';
import { FileRejectedError } from '../types.ts';
import type { ReadRecordsInput, RecordSet } from './read-records.ts';
import { RecordFileWriter } from './record-file.ts';

type XlsxSource = Extract<SourceConfig, { format: 'mapped-xlsx' }>;

const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0];

/** A cell's value as text (see the module comment). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { richText?: { text?: string }[]; result?: unknown; formula?: unknown; sharedFormula?: unknown; text?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText(v.result);
    if (v.error !== undefined) return String(v.error);
    if (v.text !== undefined) return cellText(v.text);
  }
  return String(value);
}

/**
 * The body's first bytes, checked before the zip reader sees anything (an error raised inside the stream the
 * reader pipes would not reach us), and the whole body again.
 */
async function checkedBody(body: AsyncIterable<Uint8Array>, file: string): Promise<AsyncIterable<Uint8Array>> {
  const iterator = body[Symbol.asyncIterator]();
  const held: Uint8Array[] = [];
  let size = 0;
  while (size < 4) {
    const next = await iterator.next();
    if (next.done) break;
    held.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(held).subarray(0, 4);
  if (head.length === 4 && OLE_SIGNATURE.every((b, i) => head[i] === b)) {
    throw new FileRejectedError(
      file,
      'not an XLSX workbook: an encrypted workbook (an export downloaded with a file password) or an old .xls file; open it and save it as .xlsx without a password',
    );
  }
  if (head[0] !== 0x50 || head[1] !== 0x4b) throw new FileRejectedError(file, 'not an XLSX workbook (an XLSX file is a zip archive, starting "PK")');
  return (async function* () {
    yield* held;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  })();
}

/** A lookup sheet read into memory: the values of the columns the mapping names, by the key column's value. */
interface Lookup {
  sheet: string;
  key: string;
  by: string;
  /** the lookup sheet's columns the mapping reads, as `<sheet>.<column>` in the record header */
  columns: string[];
  rows: Map<string, string[]> | undefined;
}

export async function readXlsxRecords(input: ReadRecordsInput & { source: XlsxSource }): Promise<RecordSet> {
  const { source, file } = input;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(await checkedBody(input.body, file)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  if (!source.header && source.lookups.length > 0) throw new MappingConfigError(source.id, 'lookups', 'a lookup needs the sheets\' header rows (header: true)');
  const named = [...columnsNamed(mappingParts(source))];
  const positional = named.filter((c): c is number => typeof c === 'number');
  const lookups: Lookup[] = source.lookups.map((l) => ({
    ...l,
    columns: named.filter((c): c is string => typeof c === 'string' && c.startsWith(`${l.sheet}.`)).map((c) => c.slice(l.sheet.length + 1)),
    rows: undefined,
  }));
  let writer: RecordFileWriter | undefined;
  let mapping: SqlMapping | undefined;
  let header: string[] | null = null;
  let width = 0;
  let records = 0;
  let rejected = 0;
  let lastRow = 0;
  const seen: string[] = [];
  let found = false;
  // rows of the read sheet that arrive before a lookup sheet they need wait in a spool file
  const spoolPath = `${input.path}.spool`;
  let spool: number | undefined;
  let byIndex: number[] = [];
  const looked = (fields: string[]): string[] =>
    lookups.flatMap((l, i) => {
      const values = l.rows!.get(fields[byIndex[i]!]!.trim());
      return l.columns.map((_, c) => values?.[c] ?? '');
    });
  const write = (line: number, fields: string[]) => {
    writer!.writeFields(line, lookups.length === 0 ? fields : [...fields, ...looked(fields)]);
    records++;
  };
  try {
    for await (const sheet of reader) {
      const meta = reader as unknown as { model?: { sheets?: { name: string }[] }; properties?: { model?: { date1904?: boolean } } };
      if (meta.properties?.model?.date1904) {
        throw new FileRejectedError(file, 'the workbook uses the 1904 date system; save it with the 1900 date system (Excel: Options, Advanced)');
      }
      const name = (sheet as unknown as { name?: string }).name ?? '';
      seen.push(name);
      const lookup = lookups.find((l) => l.sheet === name && l.rows === undefined);
      if (lookup !== undefined) {
        lookup.rows = await readLookup(sheet, lookup, file);
        continue;
      }
      const wanted = source.sheet ?? meta.model?.sheets?.[0]?.name ?? name;
      if (found || name !== wanted) continue;
      found = true;
      writer = new RecordFileWriter(input.path, Buffer.from(','));
      for await (const row of sheet) {
        const values = (row.values as unknown[]) ?? [];
        lastRow = row.number;
        const cells = values.slice(1).map(cellText);
        if (mapping === undefined) {
          if (source.header) {
            header = cells.map((c) => c.trim());
            width = header.length;
            byIndex = lookups.map((l) => header!.indexOf(l.by));
            const missing = lookups.filter((_, i) => byIndex[i]! < 0).map((l) => l.by);
            if (missing.length > 0) throw new FileRejectedError(file, `source ${source.id}: missing column ${missing.join(', ')} (the lookup key) in sheet ${JSON.stringify(name)}`);
            const full = [...header, ...lookups.flatMap((l) => l.columns.map((c) => `${l.sheet}.${c}`))];
            mapping = compileContactSql(source, { header: full, width: full.length, clientZone: input.clientZone, file, delimiter: ',', ...input.compile });
            continue;
          }
          width = Math.max(0, ...positional.map((c) => c + 1));
          mapping = compileContactSql(source, { header: null, width, clientZone: input.clientZone, file, delimiter: ',', ...input.compile });
        }
        const fields = Array.from({ length: width }, (_, i) => cells[i] ?? '');
        if (fields.every((f) => f.trim() === '')) continue;
        const bytes = fields.reduce((n, f) => n + Buffer.byteLength(f), 0);
        if (bytes > input.limits.maxRecordBytes) {
          input.onReject({ line: row.number, field: '(row)', reason: `row larger than ${input.limits.maxRecordBytes} bytes`, raw: fields.join(',').slice(0, 2000) });
          rejected++;
          continue;
        }
        if (lookups.every((l) => l.rows !== undefined)) write(row.number, fields);
        else {
          spool ??= openSync(spoolPath, 'w', 0o600);
          writeSync(spool, `${JSON.stringify([row.number, fields])}\n`);
        }
      }
    }
    const unread = lookups.filter((l) => l.rows === undefined);
    if (unread.length > 0 && found) {
      throw new FileRejectedError(file, `no sheet ${unread.map((l) => JSON.stringify(l.sheet)).join(', ')} to look up; the workbook has ${seen.map((x) => JSON.stringify(x)).join(', ')}`);
    }
    if (spool !== undefined) {
      closeSync(spool);
      spool = undefined;
      for await (const line of createInterface({ input: createReadStream(spoolPath, 'utf8'), crlfDelay: Infinity })) {
        const [number, fields] = JSON.parse(line) as [number, string[]];
        write(number, fields);
      }
    }
  } catch (error) {
    if (error instanceof FileRejectedError || error instanceof MappingConfigError) throw error;
    throw new FileRejectedError(file, `not a readable XLSX workbook: ${(error as Error).message}`, { cause: error });
  } finally {
    writer?.close();
    if (spool !== undefined) closeSync(spool);
    rmSync(spoolPath, { force: true });
  }
  if (!found) {
    throw new FileRejectedError(file, `no sheet ${JSON.stringify(source.sheet ?? '(the first)')}; the workbook has ${seen.map((s) => JSON.stringify(s)).join(', ') || 'no sheets'}`);
  }
  if (mapping === undefined) throw new FileRejectedError(file, `sheet ${JSON.stringify(seen.find((s) => s === (source.sheet ?? s)))} is empty: no header row`);
  return { path: input.path, width: header === null ? width : width + lookups.reduce((n, l) => n + l.columns.length, 0), delimiter: ',', mapping, header: header === null ? null : [...header, ...lookups.flatMap((l) => l.columns.map((c) => `${l.sheet}.${c}`))], records, rejected, lines: lastRow, blankLines: 0 };
}

/** A lookup sheet's rows: header first; the first row of each key wins. */
async function readLookup(sheet: AsyncIterable<ExcelJS.Row>, lookup: Lookup, file: string): Promise<Map<string, string[]>> {
  const rows = new Map<string, string[]>();
  let keyIndex = -1;
  let indexes: number[] | undefined;
  for await (const row of sheet) {
    const cells = ((row.values as unknown[]) ?? []).slice(1).map(cellText);
    if (indexes === undefined) {
      const names = cells.map((c) => c.trim());
      keyIndex = names.indexOf(lookup.key);
      indexes = lookup.columns.map((c) => names.indexOf(c));
      const missing = [...(keyIndex < 0 ? [lookup.key] : []), ...lookup.columns.filter((_, i) => indexes![i]! < 0)];
      if (missing.length > 0) throw new FileRejectedError(file, `sheet ${JSON.stringify(lookup.sheet)} has no column ${missing.join(', ')}`);
      continue;
    }
    const key = (cells[keyIndex] ?? '').trim();
    if (key !== '' && !rows.has(key)) rows.set(key, indexes.map((i) => cells[i] ?? ''));
  }
  return rows;
}
