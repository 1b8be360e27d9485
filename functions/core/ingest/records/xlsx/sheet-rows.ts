/**
 * The rows of one worksheet part (SpreadsheetML, ECMA-376 Part 1 §18.3.1: `sheetData` > `row` > `c`), streamed.
 * A cell becomes text as the sheet stores it:
 * - `t="s"`: the shared string its value indexes; `t="inlineStr"`: the text of its `is` element;
 * - `t="str"` (a formula's text result), `t="e"` (an error such as `#N/A`), `t="d"` (an ISO 8601 date): the
 *   value as written;
 * - `t="b"`: TRUE or FALSE;
 * - a number (`t="n"` or none): a plain integer as written (an id keeps every digit), any other number as
 *   JavaScript writes it (`1.5E-3` is `0.0015`), so a date cell is its serial.
 * Rich text is its runs' text joined; phonetic runs (`rPh`, a reading guide above Japanese text) are not part
 * of the text, and neither is a formula. A cell's column comes from its reference (`C7`), else it follows the
 * cell before; a row's number from its `r`, else it follows the row before.
 *
 * Bounds: only the first `maxColumns` columns are kept, and of each cell at most `maxCellChars` + 1 characters;
 * a longer cell marks its row oversize (the row is then rejected with the column named), and the rest of its
 * text is counted, not kept.
 */
import type { SharedStrings } from './shared-strings.ts';
import { parseXml, type XmlHandlers } from './xml-stream.ts';

export interface SheetRow {
  /** the sheet's row number */
  number: number;
  /** cell texts by column index (0 = A), '' where the row has no cell */
  cells: string[];
  /** why the row cannot be read (a cell past the limit, a shared string that does not exist), naming the column */
  problem?: string;
}

export interface SheetLimits {
  maxColumns: number;
  maxCellChars: number;
}

/** `A` → 0, `AB` → 27; -1 when the reference has no column letters. */
export function columnIndex(reference: string): number {
  let index = 0;
  let letters = 0;
  for (let i = 0; i < reference.length; i++) {
    const c = reference.charCodeAt(i) & ~0x20;
    if (c < 0x41 || c > 0x5a) break;
    index = index * 26 + (c - 0x40);
    if (++letters > 4) return Number.MAX_SAFE_INTEGER;
  }
  return letters === 0 ? -1 : index - 1;
}

export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(0x41 + ((n - 1) % 26)) + name;
  return name;
}

const PLAIN_INTEGER = /^-?(0|[1-9][0-9]*)$/;

/** A number cell's text: see the module comment. */
export function numberText(stored: string): string {
  const value = stored.trim();
  if (PLAIN_INTEGER.test(value)) return value;
  const n = Number(value);
  return value === '' || !Number.isFinite(n) ? value : String(n);
}

class RowBuilder implements XmlHandlers {
  private row: SheetRow | undefined;
  private lastRow = 0;
  private column = -1;
  private type = 'n';
  /** collecting text: in a cell's v, or in a t of its inline string (not in a phonetic run) */
  private capture = false;
  private inPhonetic = false;
  private inInline = false;
  private kept = '';
  private chars = 0;
  /** characters kept of the row so far: a row past the limit is rejected anyway, so no more is kept */
  private rowChars = 0;

  constructor(
    private readonly strings: SharedStrings,
    private readonly limits: SheetLimits,
    private readonly out: SheetRow[],
  ) {}

  open(name: string, attributes: Record<string, string>): void {
    switch (name) {
      case 'row': {
        const r = Number(attributes.r);
        this.lastRow = Number.isInteger(r) && r > 0 ? r : this.lastRow + 1;
        this.row = { number: this.lastRow, cells: [] };
        this.column = -1;
        this.rowChars = 0;
        return;
      }
      case 'c': {
        const ref = attributes.r === undefined ? -1 : columnIndex(attributes.r);
        this.column = ref >= 0 ? ref : this.column + 1;
        this.type = attributes.t ?? 'n';
        this.kept = '';
        this.chars = 0;
        return;
      }
      case 'v':
        this.capture = this.row !== undefined && !this.inInline;
        return;
      case 'is':
        this.inInline = true;
        return;
      case 'rPh':
        this.inPhonetic = true;
        return;
      case 't':
        this.capture = this.inInline && !this.inPhonetic;
        return;
    }
  }

  text(text: string): void {
    if (!this.capture) return;
    this.chars += text.length;
    const room = this.limits.maxCellChars + 1 - this.rowChars - this.kept.length;
    if (room > 0) this.kept += text.length > room ? text.slice(0, room) : text;
  }

  close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.capture = false;
        return;
      case 'rPh':
        this.inPhonetic = false;
        return;
      case 'is':
        this.inInline = false;
        return;
      case 'c':
        this.endCell();
        return;
      case 'row':
        if (this.row !== undefined) this.out.push(this.row);
        this.row = undefined;
        return;
    }
  }

  private endCell(): void {
    const row = this.row;
    if (row === undefined || this.column < 0 || this.column >= this.limits.maxColumns) return;
    let value: string;
    switch (this.type) {
      case 's': {
        const index = Number(this.kept.trim());
        const shared = this.kept.trim() === '' ? '' : this.strings.get(index);
        if (shared === undefined) {
          row.problem ??= `column ${columnName(this.column)}: shared string ${this.kept.trim().slice(0, 20)} does not exist in the workbook`;
          value = '';
        } else value = shared;
        break;
      }
      case 'b':
        value = this.kept.trim() === '1' || this.kept.trim().toLowerCase() === 'true' ? 'TRUE' : this.kept === '' ? '' : 'FALSE';
        break;
      case 'inlineStr':
      case 'str':
      case 'e':
      case 'd':
        value = this.kept;
        break;
      default:
        value = numberText(this.kept);
    }
    const length = this.type === 's' ? value.length : this.chars;
    if (length > this.limits.maxCellChars) row.problem ??= `column ${columnName(this.column)}: a cell of more than ${this.limits.maxCellChars.toLocaleString('en')} characters`;
    if (this.rowChars + value.length > this.limits.maxCellChars) {
      row.problem ??= `row larger than ${this.limits.maxCellChars.toLocaleString('en')} characters`;
      value = '';
    }
    this.rowChars += value.length;
    while (row.cells.length < this.column) row.cells.push('');
    row.cells[this.column] = value;
    this.kept = '';
  }
}

/** The worksheet's rows in order, each once its `</row>` is read. */
export function sheetRows(chunks: AsyncIterable<Uint8Array>, file: string, part: string, strings: SharedStrings, limits: SheetLimits): AsyncIterable<SheetRow> {
  const out: SheetRow[] = [];
  return parseXml(chunks, file, part, new RowBuilder(strings, limits, out), out);
}
