/**
 * The workbooks bench:xlsx reads, written as streams so no generator holds one whole:
 * - `shared-strings`: 8,000,000 distinct shared strings (about 23 MB zipped, 190 MB of XML) behind a sheet of
 *   2,000 chats that use strings from all over the table, the first hostile workbook of the XLSX issue;
 * - `huge-cell`: one inline cell of 480,000,000 characters (about 0.5 MB zipped) between two ordinary chats,
 *   the second;
 * - `chats-200k`: a 채널톡-shaped export in Excel's layout, 200,000 chats in "UserChat data" and 50,000 users in
 *   "User data" (the lookup sheet), every text in the shared-string table as Excel writes it.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const HEADER = ['id', 'userId', 'state', 'openedAt', 'firstRepliedAtAfterOpen', 'waitingTime', 'assigneeId', 'tags'];

const column = (i: number): string => String.fromCharCode(65 + i);
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const shared = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`;

/** Text produced piece by piece, batched into chunks of about 1 MB. */
function textStream(pieces: () => Iterable<string>): Readable {
  return Readable.from(
    (function* () {
      let buffer = '';
      for (const piece of pieces()) {
        buffer += piece;
        if (buffer.length >= 1 << 20) {
          yield Buffer.from(buffer, 'utf8');
          buffer = '';
        }
      }
      if (buffer.length > 0) yield Buffer.from(buffer, 'utf8');
    })(),
  );
}

function skeleton(zip: JSZip, sheets: string[], withSharedStrings: boolean): void {
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
  );
  zip.file('_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  zip.file(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets.map((s, i) => `<sheet name="${s}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}${withSharedStrings ? `<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>`,
  );
}

const sheetOf = (rows: () => Iterable<string>) =>
  textStream(function* () {
    yield `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`;
    yield* rows();
    yield '</sheetData></worksheet>';
  });

const headerRow = () => `<row r="1">${HEADER.map((h, i) => inline(`${column(i)}1`, h)).join('')}</row>`;

/** One chat row; `text(i, col)` gives a cell's XML for the columns it decides, else inline text. */
function chatRow(r: number, i: number, cells: Partial<Record<number, string>>): string {
  const minute = i % 600;
  const opened = `2026-03-02 ${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`;
  const replied = `2026-03-02 ${String(9 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:40`;
  const values = [`chat-${i}`, `u-${i % 50_000}`, 'closed', opened, replied, '0h 0m 40s', `m-${i % 40}`, '배송'];
  return `<row r="${r}">${values.map((v, c) => cells[c] ?? inline(`${column(c)}${r}`, v)).join('')}</row>`;
}

async function save(zip: JSZip, path: string): Promise<void> {
  await pipeline(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } }), createWriteStream(path));
}

export async function writeSharedStrings(path: string, strings = 8_000_000, rows = 2_000): Promise<void> {
  const zip = new JSZip();
  skeleton(zip, ['UserChat data'], true);
  zip.file(
    'xl/worksheets/sheet1.xml',
    sheetOf(function* () {
      yield headerRow();
      for (let i = 0; i < rows; i++) {
        const r = i + 2;
        // the id and the category from strings spread over the whole table (past any memory budget)
        const at = Math.floor((i * (strings - 1)) / (rows - 1));
        yield chatRow(r, i, { 0: shared(`A${r}`, at), 7: shared(`H${r}`, (at + 1) % strings) });
      }
    }),
  );
  zip.file(
    'xl/sharedStrings.xml',
    textStream(function* () {
      yield `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="${strings}" uniqueCount="${strings}">`;
      for (let i = 0; i < strings; i++) yield `<si><t>s${i.toString(36)}</t></si>`;
      yield '</sst>';
    }),
  );
  await save(zip, path);
}

export async function writeHugeCell(path: string, characters = 480_000_000): Promise<void> {
  const zip = new JSZip();
  skeleton(zip, ['UserChat data'], false);
  zip.file(
    'xl/worksheets/sheet1.xml',
    textStream(function* () {
      yield `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${MAIN}"><sheetData>`;
      yield headerRow();
      yield chatRow(2, 1, {});
      yield `<row r="3">${[`chat-2`, 'u-2', 'closed', '2026-03-02 10:00:00', '', '', '', ''].map((v, c) => (c === 7 ? '' : inline(`${column(c)}3`, v))).join('')}<c r="H3" t="inlineStr"><is><t>`;
      const block = 'a'.repeat(1 << 20);
      for (let left = characters; left > 0; left -= block.length) yield left >= block.length ? block : block.slice(0, left);
      yield '</t></is></c></row>';
      yield chatRow(4, 3, {});
      yield '</sheetData></worksheet>';
    }),
  );
  await save(zip, path);
}

export async function writeChats(path: string, chats = 200_000, users = 50_000): Promise<void> {
  const zip = new JSZip();
  skeleton(zip, ['UserChat data', 'User data'], true);
  // the shared-string table: fixed texts first, then every chat id, user id and phone number
  const fixed = [...HEADER, 'closed', '0h 0m 40s', '배송', '교환/반품', '결제', 'name', 'mobileNumber', ...Array.from({ length: 40 }, (_, m) => `m-${m}`)];
  const at = (text: string) => fixed.indexOf(text);
  const chatIndex = (i: number) => fixed.length + i;
  const userIndex = (u: number) => fixed.length + chats + u;
  const phoneIndex = (u: number) => fixed.length + chats + users + u;
  const categories = ['배송', '교환/반품', '결제'];
  zip.file(
    'xl/worksheets/sheet1.xml',
    sheetOf(function* () {
      yield `<row r="1">${HEADER.map((h, c) => shared(`${column(c)}1`, at(h))).join('')}</row>`;
      for (let i = 0; i < chats; i++) {
        const r = i + 2;
        yield chatRow(r, i, {
          0: shared(`A${r}`, chatIndex(i)),
          1: shared(`B${r}`, userIndex(i % users)),
          2: shared(`C${r}`, at('closed')),
          5: shared(`F${r}`, at('0h 0m 40s')),
          6: shared(`G${r}`, at(`m-${i % 40}`)),
          7: shared(`H${r}`, at(categories[i % 3]!)),
        });
      }
    }),
  );
  zip.file(
    'xl/worksheets/sheet2.xml',
    sheetOf(function* () {
      yield `<row r="1">${shared('A1', at('id'))}${shared('B1', at('name'))}${shared('C1', at('mobileNumber'))}</row>`;
      for (let u = 0; u < users; u++) yield `<row r="${u + 2}">${shared(`A${u + 2}`, userIndex(u))}${inline(`B${u + 2}`, '고객')}${shared(`C${u + 2}`, phoneIndex(u))}</row>`;
    }),
  );
  zip.file(
    'xl/sharedStrings.xml',
    textStream(function* () {
      yield `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}">`;
      for (const t of fixed) yield `<si><t>${t}</t></si>`;
      for (let i = 0; i < chats; i++) yield `<si><t>chat-${i}</t></si>`;
      for (let u = 0; u < users; u++) yield `<si><t>u-${u}</t></si>`;
      for (let u = 0; u < users; u++) yield `<si><t>010-${String(1000 + Math.floor(u / 10_000)).slice(-4)}-${String(u % 10_000).padStart(4, '0')}</t></si>`;
      yield '</sst>';
    }),
  );
  await save(zip, path);
}
