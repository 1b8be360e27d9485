/**
 * CSV/TSV bytes (already UTF-8) → the record file, with the physical line each record starts on.
 *
 * This decides where records begin and end, which is what makes "every line is accounted for" true:
 * - A line without a quote character (nearly every line of a real export) is one record, written through
 *   unchanged; finding its end is one native `indexOf`.
 * - A quote opens a quoted field only as the first character of a field (RFC 4180); `""` inside is a quote; a
 *   quote anywhere else in an unquoted field is a literal character, as in `12" pizza`.
 * - A quoted field may run across lines, but a record that does so must come out with the file's number of
 *   fields. If it does not, or its quote is never closed, or text follows a closing quote, the quote was
 *   broken: the line it opened on is rejected on its own and reading resumes at the next line. One stray quote
 *   costs one record, not the rest of the file.
 * - Line ends are read per line: CRLF, LF, or (in a file that never has LF) CR alone. Blank lines are counted
 *   but are not records.
 * - A record longer than the limit is rejected the same way: its first line goes, reading resumes after it.
 *
 * Rows with the wrong number of fields are left to the SQL stage's strict reader, which reports each with the
 * line number this writes in front of it; rows the framer had to parse (quotes, invalid bytes) it checks itself.
 */
import { FileRejectedError } from '../types.ts';
import type { RecordFileWriter } from './record-file.ts';
import type { TextEncoding, Utf8Chunk } from './text-decoding.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface FramingRejection {
  /** physical line the rejected record starts on */
  line: number;
  field: string;
  reason: string;
  /** the line's text, for the quarantine */
  raw: string;
}

export interface CsvFramingOptions {
  file: string;
  delimiter: string;
  header: boolean;
  encoding: TextEncoding;
  /** `replace`: undecodable bytes in columns the mapping does not read are kept as U+FFFD */
  invalidBytes: 'reject' | 'replace';
  maxRecordBytes: number;
  /**
   * Called once, with the trimmed header (or null without one) and the number of fields. Returns the 0-based
   * columns the mapping reads. May throw FileRejectedError (missing columns).
   */
  onHeader(header: string[] | null, width: number): ReadonlySet<number>;
  onReject(rejection: FramingRejection): void;
}

export interface CsvFramingResult {
  header: string[] | null;
  width: number;
  /** records written to the record file */
  records: number;
  /** records rejected here (broken quotes, too long, wrong width of a parsed record) */
  rejected: number;
  /** physical lines in the file, blank ones and the header included */
  lines: number;
  blankLines: number;
  /** undecodable byte sequences kept as U+FFFD in columns the mapping does not read */
  replacedUnmapped: number;
}

type Parsed =
  | { kind: 'incomplete' }
  | { kind: 'record'; fields: string[]; starts: number[]; end: number; lines: number }
  | { kind: 'broken'; reason: string; column: number };

const SPACE = 0x20;
const TAB = 0x09;
/** UTF-8 of the spaces in JS's trim set beyond ASCII (their line is trimmed wherever they stand). */
const WIDE_SPACES = [0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff].map((c) =>
  Buffer.from(String.fromCodePoint(c), 'utf8'),
);

/**
 * Sorted offsets in `buf` of spaces that may stand at the start or end of a field: an ASCII space, tab or
 * vertical tab/form feed next to a delimiter, a line end or the buffer's edge, and any wide Unicode space.
 * Every search is a native `indexOf`; a record holding none of them needs no trimming.
 */
function edgeSpaces(buf: Buffer, delimiter: Buffer): number[] {
  const out: number[] = [];
  const d0 = delimiter[0]!;
  const dLast = delimiter[delimiter.length - 1]!;
  const isEdge = (b: number | undefined) => b === undefined || b === LF || b === CR || b === d0 || b === dLast;
  for (const ascii of [SPACE, TAB, 0x0b, 0x0c]) {
    if (ascii === d0) continue;
    for (let i = buf.indexOf(ascii); i !== -1; i = buf.indexOf(ascii, i + 1)) {
      if (ascii === 0x0b || ascii === 0x0c || isEdge(buf[i - 1]) || isEdge(buf[i + 1])) out.push(i);
    }
  }
  for (const wide of WIDE_SPACES) for (let i = buf.indexOf(wide); i !== -1; i = buf.indexOf(wide, i + 1)) out.push(i);
  return out.sort((a, b) => a - b);
}

/** Unicode spaces and the BOM, trimmed from header names. */
const SPACES = /^[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\s\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+$/gu;

export async function frameCsv(
  chunks: AsyncIterable<Utf8Chunk>,
  out: RecordFileWriter,
  options: CsvFramingOptions,
): Promise<CsvFramingResult> {
  const delimiter = Buffer.from(options.delimiter, 'utf8');
  const d0 = delimiter[0]!;
  const dn = delimiter.length;
  const isDelimiterAt = (buf: Buffer, i: number): boolean => {
    if (buf[i] !== d0) return false;
    for (let k = 1; k < dn; k++) if (buf[i + k] !== delimiter[k]) return false;
    return true;
  };

  let header: string[] | null = null;
  let headerDone = false;
  let width = -1;
  let mapped: ReadonlySet<number> = new Set();
  let line = 1;
  let blankLines = 0;
  let rejected = 0;
  let replacedUnmapped = 0;
  let crOnly: boolean | undefined;
  /** true while the rest of a rejected overlong line is still arriving */
  let skipping = false;

  let buf: Buffer = Buffer.alloc(0);
  /** offsets in buf of U+FFFD replacements, ascending */
  let replaced: number[] = [];

  const columnName = (index: number): string =>
    header?.[index] !== undefined && header[index] !== '' ? `${index + 1} (${header[index]})` : String(index + 1);

  const countLines = (from: number, to: number): number => {
    let n = 0;
    for (let i = buf.indexOf(LF, from); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) n++;
    return n;
  };

  /** Parses one record at `start` with the quote rules; see the module comment. */
  const parse = (start: number, final: boolean): Parsed => {
    const fields: string[] = [];
    const starts: number[] = [];
    let i = start;
    let lines = 1;
    const n = buf.length;
    while (true) {
      starts.push(i);
      if (buf[i] === QUOTE) {
        let j = i + 1;
        const parts: Buffer[] = [];
        while (true) {
          const q = buf.indexOf(QUOTE, j);
          if (q === -1) {
            if (!final) return { kind: 'incomplete' };
            return { kind: 'broken', reason: `the quoted field in column ${columnName(fields.length)} is never closed`, column: fields.length };
          }
          lines += countLines(j, q);
          if (q + 1 >= n && !final) return { kind: 'incomplete' };
          if (buf[q + 1] === QUOTE) {
            parts.push(buf.subarray(j, q + 1));
            j = q + 2;
            continue;
          }
          parts.push(buf.subarray(j, q));
          fields.push(Buffer.concat(parts).toString('utf8'));
          const next = q + 1;
          if (next >= n) return { kind: 'record', fields, starts, end: n, lines };
          if (isDelimiterAt(buf, next)) {
            i = next + dn;
            break;
          }
          if (buf[next] === LF) return { kind: 'record', fields, starts, end: next + 1, lines };
          if (buf[next] === CR && (next + 1 >= n || buf[next + 1] === LF)) {
            if (next + 1 >= n && !final) return { kind: 'incomplete' };
            return { kind: 'record', fields, starts, end: Math.min(n, next + 2), lines };
          }
          return { kind: 'broken', reason: `column ${columnName(fields.length - 1)} has text after the closing quote of a quoted field`, column: fields.length - 1 };
        }
        continue;
      }
      // unquoted: up to the next delimiter or line end
      let lf = buf.indexOf(LF, i);
      if (lf === -1) {
        if (!final) return { kind: 'incomplete' };
        lf = n;
      }
      let end = i;
      while (end < lf && !isDelimiterAt(buf, end)) end++;
      if (end < lf) {
        fields.push(buf.toString('utf8', i, end));
        i = end + dn;
        continue;
      }
      const contentEnd = lf > i && buf[lf - 1] === CR ? lf - 1 : lf;
      fields.push(buf.toString('utf8', i, contentEnd));
      return { kind: 'record', fields, starts, end: Math.min(n, lf + 1), lines };
    }
  };

  /** End of the physical line at `start` (index of its LF, or the buffer's end). */
  const lineEndAt = (start: number): number => {
    const lf = buf.indexOf(LF, start);
    return lf === -1 ? buf.length : lf;
  };
  const textOf = (start: number, lf: number): string => buf.toString('utf8', start, lf > start && buf[lf - 1] === CR ? lf - 1 : lf);

  const rejectLine = (start: number, reason: string): number => {
    const lf = lineEndAt(start);
    options.onReject({ line, field: '(row)', reason, raw: textOf(start, lf) });
    rejected++;
    line++;
    return Math.min(buf.length, lf + 1);
  };

  /** A CR ending the buffer may yet be a line's end, in a file whose kind of line end is not known yet. */
  const keepUndecidedCr = (end: number): number => (crOnly === undefined && end === buf.length && buf[end - 1] === CR ? end - 1 : end);

  /** Rejects the overlong line at `start` whose end has not arrived yet; its rest is skipped as it arrives. */
  const rejectUnfinished = (start: number, reason: string): number => {
    const end = rejectLine(start, reason);
    skipping = true;
    return keepUndecidedCr(end);
  };

  /** Replacement offsets in [from, to): the columns they fall in decide whether the file can be kept. */
  const checkReplacements = (from: number, to: number, starts: number[] | undefined): void => {
    for (const offset of replaced) {
      if (offset < from || offset >= to) continue;
      let column = 0;
      if (starts) while (column + 1 < starts.length && starts[column + 1]! <= offset) column++;
      if (options.invalidBytes === 'reject' || mapped.has(column) || !starts) {
        throw new FileRejectedError(
          options.file,
          `line ${line}, column ${columnName(column)}: bytes that are not valid ${options.encoding.toUpperCase()}` +
            (options.invalidBytes === 'reject'
              ? '; check the source\'s encoding (or set invalid_bytes: replace if they are in a column the mapping does not read)'
              : ' in a column the mapping reads'),
        );
      }
      replacedUnmapped++;
    }
  };

  const takeHeader = (parsed: Extract<Parsed, { kind: 'record' }>): void => {
    headerDone = true;
    width = parsed.fields.length;
    if (options.header) {
      header = parsed.fields.map((name) => name.replace(SPACES, ''));
      mapped = options.onHeader(header, width);
    } else {
      mapped = options.onHeader(null, width);
    }
  };

  /** Frames what can be framed in buf from `pos`; returns where it stopped. */
  const frame = (final: boolean): number => {
    let pos = 0;
    if (skipping) {
      // The rest of an overlong line that was already rejected. It is looked for here, after the CR-only
      // rule has turned a classic Mac file's CRs into LFs: looked for in the raw chunk, the LF never came and
      // the rest of such a file was skipped with it.
      const lf = buf.indexOf(LF);
      if (lf === -1) return final ? buf.length : keepUndecidedCr(buf.length);
      skipping = false;
      pos = lf + 1;
    }
    let quoteAt = -2;
    let nextReplaced = 0;
    const spaces = edgeSpaces(buf, delimiter);
    let nextSpace = 0;
    const n = buf.length;
    while (pos < n) {
      const b = buf[pos]!;
      if (b === LF) {
        blankLines++;
        line++;
        pos++;
        continue;
      }
      if (b === CR) {
        if (pos + 1 >= n && !final) break;
        if (pos + 1 >= n || buf[pos + 1] === LF) {
          blankLines++;
          line++;
          pos += pos + 1 >= n ? 1 : 2;
          continue;
        }
      }
      let lf = buf.indexOf(LF, pos);
      if (lf === -1) {
        if (!final) {
          if (n - pos > options.maxRecordBytes) pos = rejectUnfinished(pos, `the record is longer than ${options.maxRecordBytes.toLocaleString('en')} bytes`);
          break;
        }
        lf = n;
      }
      const contentEnd = lf > pos && buf[lf - 1] === CR ? lf - 1 : lf;
      if (quoteAt !== -1 && quoteAt < pos) quoteAt = buf.indexOf(QUOTE, pos);
      while (nextReplaced < replaced.length && replaced[nextReplaced]! < pos) nextReplaced++;
      const plain = (quoteAt === -1 || quoteAt >= lf) && (nextReplaced >= replaced.length || replaced[nextReplaced]! >= lf);
      if (plain && headerDone) {
        if (contentEnd - pos > options.maxRecordBytes) {
          pos = rejectLine(pos, `the record is longer than ${options.maxRecordBytes.toLocaleString('en')} bytes`);
          continue;
        }
        while (nextSpace < spaces.length && spaces[nextSpace]! < pos) nextSpace++;
        out.writePlain(line, nextSpace < spaces.length && spaces[nextSpace]! < lf, buf, pos, contentEnd);
        line++;
        pos = lf + 1;
        continue;
      }
      const parsed = parse(pos, final);
      if (parsed.kind === 'incomplete') {
        if (n - pos > options.maxRecordBytes) {
          const reason = `a quoted field runs past ${options.maxRecordBytes.toLocaleString('en')} bytes without closing`;
          quoteAt = -2;
          if (buf.indexOf(LF, pos) !== -1) {
            pos = rejectLine(pos, reason);
            continue;
          }
          pos = rejectUnfinished(pos, reason);
        }
        break;
      }
      if (!headerDone) {
        if (parsed.kind === 'broken') throw new FileRejectedError(options.file, `line ${line}: the first row cannot be read: ${parsed.reason}`);
        checkReplacements(pos, parsed.end, undefined);
        takeHeader(parsed);
        if (options.header) {
          line += parsed.lines;
          pos = parsed.end;
          continue;
        }
      }
      if (parsed.kind === 'broken') {
        pos = rejectLine(pos, `${parsed.reason}; the line is read on its own and reading goes on with the next line`);
        quoteAt = -2;
        continue;
      }
      if (parsed.fields.length !== width) {
        if (parsed.lines > 1) {
          pos = rejectLine(
            pos,
            `a quoted field opened on this line runs across lines and the record would have ${parsed.fields.length} fields, not ${width}: ` +
              'the quote is taken for a stray one, the line is read on its own and reading goes on with the next line',
          );
          quoteAt = -2;
          continue;
        }
        options.onReject({ line, field: '(row)', reason: `expected ${width} fields, found ${parsed.fields.length}`, raw: textOf(pos, lineEndAt(pos)) });
        rejected++;
        line++;
        pos = parsed.end;
        continue;
      }
      checkReplacements(pos, parsed.end, parsed.starts);
      if (parsed.end - pos > options.maxRecordBytes) {
        pos = rejectLine(pos, `the record is longer than ${options.maxRecordBytes.toLocaleString('en')} bytes`);
        quoteAt = -2;
        continue;
      }
      out.writeFields(line, parsed.fields);
      line += parsed.lines;
      pos = parsed.end;
    }
    return pos;
  };

  const toLf = (bytes: Buffer, from: number): void => {
    for (let i = bytes.indexOf(CR, from); i !== -1; i = bytes.indexOf(CR, i + 1)) bytes[i] = LF;
  };

  const append = (chunk: Utf8Chunk): void => {
    let bytes = chunk.bytes;
    if (crOnly === true) {
      bytes = Buffer.from(bytes);
      toLf(bytes, 0);
    }
    const base = buf.length;
    buf = buf.length === 0 ? bytes : Buffer.concat([buf, bytes]);
    for (const offset of chunk.replaced) replaced.push(base + offset);
    // A file whose first line ends in CR not followed by LF (classic Mac) uses CR alone throughout.
    if (crOnly === undefined) {
      const cr = buf.indexOf(CR);
      const lf = buf.indexOf(LF);
      if (lf !== -1 && (cr === -1 || lf < cr || buf[cr + 1] === LF)) crOnly = false;
      else if (cr !== -1 && cr + 1 < buf.length) {
        crOnly = true;
        buf = Buffer.from(buf);
        toLf(buf, 0);
      }
    }
  };

  const keepFrom = (pos: number): void => {
    buf = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    replaced = replaced.filter((o) => o >= pos).map((o) => o - pos);
  };

  const split = (chunk: Utf8Chunk, at: number): [Utf8Chunk, Utf8Chunk] => [
    { bytes: chunk.bytes.subarray(0, at), replaced: chunk.replaced.filter((o) => o < at) },
    { bytes: chunk.bytes.subarray(at), replaced: chunk.replaced.filter((o) => o >= at).map((o) => o - at) },
  ];

  for await (const chunk of chunks) {
    // The unfinished record of the previous chunk is finished with this chunk's first line, so the rest of the
    // chunk is framed where it lies instead of being copied behind it.
    const firstLf = buf.length > 0 && crOnly === false && !skipping ? chunk.bytes.indexOf(LF) : -1;
    if (firstLf !== -1 && firstLf + 1 < chunk.bytes.length) {
      const [head, rest] = split(chunk, firstLf + 1);
      append(head);
      keepFrom(frame(false));
      append(rest);
    } else append(chunk);
    keepFrom(frame(false));
  }
  while (buf.length > 0) {
    const pos = frame(true);
    if (pos === 0 && buf.length > 0) throw new Error(`framing made no progress at line ${line} of ${options.file}`);
    keepFrom(pos);
  }
  if (!headerDone) {
    throw new FileRejectedError(options.file, options.header ? 'the file is empty: no header row' : 'the file is empty');
  }
  return { header, width, records: out.count, rejected, lines: line - 1, blankLines, replacedUnmapped };
}
