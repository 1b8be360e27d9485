/**
 * The record file: what every records reader (CSV/TSV, XLSX, JSON) hands to the SQL stage. One record per
 * CSV record, UTF-8, LF line ends; first the source line (or row, or record number), then `1` when some field
 * of the record may start or end with a space (the SQL stage trims only those records, which is far cheaper
 * than looking at every cell there), then the record's fields in column order. The SQL stage reads it with
 * DuckDB's strict CSV reader, all columns as text, so nothing is typed before the mapping decides.
 *
 * CSV sources write their records through unchanged where they are plain (most lines), so the file costs one
 * copy; anything else is written field by field, quoted as RFC 4180 says.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BUFFER_BYTES = 4 << 20;

export class RecordFileWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private closed = false;
  /** records written */
  count = 0;
  /** records written with the trim flag set */
  trimmed = 0;

  constructor(
    readonly path: string,
    /** the field delimiter as UTF-8 bytes */
    readonly delimiter: Buffer,
  ) {
    this.fd = openSync(path, 'w', 0o600);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= BUFFER_BYTES) return;
    this.flush();
    if (bytes > BUFFER_BYTES) throw new RangeError(`a record of ${bytes} bytes exceeds the record file buffer`);
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.used = 0;
  }

  private putLine(line: number, trim: boolean): void {
    // the line number is ASCII digits: written without building a string of the whole record
    const text = String(line);
    for (let i = 0; i < text.length; i++) this.buffer[this.used++] = text.charCodeAt(i);
    this.delimiter.copy(this.buffer, this.used);
    this.used += this.delimiter.length;
    this.buffer[this.used++] = trim ? 0x31 : 0x30;
    if (trim) this.trimmed++;
    this.delimiter.copy(this.buffer, this.used);
    this.used += this.delimiter.length;
  }

  /** A record whose bytes need no quoting changes (no quote, CR or LF in them): written as is. */
  writePlain(line: number, trim: boolean, bytes: Uint8Array, start: number, end: number): void {
    this.reserve(end - start + 32);
    this.putLine(line, trim);
    this.buffer.set(bytes.subarray(start, end), this.used);
    this.used += end - start;
    this.buffer[this.used++] = LF;
    this.count++;
  }

  /** A record given as fields: each quoted when it holds a quote, the delimiter, CR or LF. */
  writeFields(line: number, fields: readonly string[]): void {
    const encoded = fields.map((field) => Buffer.from(field, 'utf8'));
    let size = 32;
    for (const e of encoded) size += e.length * 2 + 2 + this.delimiter.length;
    this.reserve(size);
    this.putLine(line, fields.some(hasEdgeSpace));
    encoded.forEach((bytes, index) => {
      if (index > 0) {
        this.delimiter.copy(this.buffer, this.used);
        this.used += this.delimiter.length;
      }
      if (!needsQuotes(bytes, this.delimiter)) {
        this.buffer.set(bytes, this.used);
        this.used += bytes.length;
        return;
      }
      this.buffer[this.used++] = QUOTE;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === QUOTE) this.buffer[this.used++] = QUOTE;
        this.buffer[this.used++] = bytes[i]!;
      }
      this.buffer[this.used++] = QUOTE;
    });
    this.buffer[this.used++] = LF;
    this.count++;
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  /** Closes without handing on what is left: the file is being given up. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** JS's trim set at either end of a field: the records the SQL stage must trim. */
const EDGE_SPACE = /^\s|\s$/u;
export const hasEdgeSpace = (field: string): boolean => EDGE_SPACE.test(field);

function needsQuotes(bytes: Uint8Array, delimiter: Buffer): boolean {
  // an empty field stays empty: the reader takes it for no value, as the mapping's empty rule does anyway
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === QUOTE || b === CR || b === LF) return true;
    if (b === delimiter[0] && delimiter.every((d, k) => bytes[i + k] === d)) return true;
  }
  return false;
}
