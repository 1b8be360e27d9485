/**
 * Bytes of an export → UTF-8 bytes, streaming, for the CSV framer and the SQL stage that reads its output.
 *
 * - gzip is detected by its magic number, whatever the file is called, and decompressed up to a size limit.
 * - UTF-8 (a BOM at the start is dropped) is validated chunk by chunk with Node's native `isUtf8`.
 * - CP949 / EUC-KR and the single-byte encodings are transcoded through lookup tables built once from
 *   iconv-lite (the source of truth for what each byte sequence means); applying a table byte by byte is three
 *   times faster than decoding to a JS string and encoding it again, which matters at a hundred megabytes.
 *   CP949 is a superset of EUC-KR (KS X 1001), so one table serves both; it decodes 똠, which EUC-KR cannot.
 * - UTF-16LE goes through TextDecoder.
 *
 * An undecodable byte sequence is not guessed at: it becomes U+FFFD and its offset in the output chunk is
 * reported, so the framer can say which line and column it is in and reject the file, or keep it when the
 * source allows invalid bytes in columns it does not map. A file that is plainly in another encoding than
 * declared (UTF-8 text in a CP949 source, anywhere in the file), binary data, or a file past the size limit is
 * rejected whole. NUL bytes carry nothing in a text export and are dropped.
 */
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import { FileRejectedError } from '../types.ts';

export const TEXT_ENCODINGS = ['utf-8', 'cp949', 'euc-kr', 'utf-16le', 'windows-1251', 'windows-1252', 'latin1'] as const;
export type TextEncoding = (typeof TEXT_ENCODINGS)[number];

export interface Utf8Chunk {
  /** valid UTF-8 that ends on a character boundary */
  bytes: Buffer;
  /** offsets in `bytes` of the U+FFFD characters that replaced undecodable input (usually none) */
  replaced: number[];
}

export interface DecodeLimits {
  /** largest decoded (and decompressed) size accepted, in bytes */
  maxBytes: number;
  /** why the limit is what it is, added to the rejection (Lambda: what its /tmp can stage) */
  maxBytesReason?: string;
  /** epoch milliseconds after which the file is given up on */
  deadline?: number;
}

/** The end of a size rejection: the limit, and why when the runtime says. */
const limitText = (maxBytes: number, reason: string | undefined): string =>
  `${maxBytes.toLocaleString('en')} bytes, the limit for one export${reason === undefined ? '' : ` (${reason})`}`;

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);
/** Share of NUL bytes above which a chunk is binary data, not text with a few stray NULs. */
const BINARY_NUL_SHARE = 0.01;

/** Gunzips the stream when it starts with the gzip magic number; otherwise passes it through. */
export async function* gunzipIfNeeded(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  maxBytes = Number.POSITIVE_INFINITY,
  maxBytesReason?: string,
): AsyncIterable<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  async function* all(): AsyncIterable<Uint8Array> {
    yield head;
    while (true) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield* all();
    return;
  }
  const gunzip = Readable.from(all()).pipe(createGunzip());
  let total = 0;
  try {
    for await (const chunk of gunzip) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) {
        gunzip.destroy();
        throw new FileRejectedError(file, `decompresses to more than ${limitText(maxBytes, maxBytesReason)}`);
      }
      yield chunk as Uint8Array;
    }
  } catch (cause) {
    if (cause instanceof FileRejectedError) throw cause;
    throw new FileRejectedError(file, `corrupt gzip data: ${(cause as Error).message}`, { cause });
  }
}

/** Length of the longest prefix of `bytes` that ends on a UTF-8 character boundary. */
function utf8Boundary(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back >= need ? n : n - back;
    }
  }
  return n;
}

/** Replaces every invalid UTF-8 sequence by U+FFFD; returns the new bytes and the replacement offsets. */
function repairUtf8(bytes: Buffer): Utf8Chunk {
  const out: number[] = [];
  const replaced: number[] = [];
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    let need = -1;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    let ok = need >= 0 && i + need < n;
    for (let k = 1; ok && k <= need; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    // overlong forms and surrogates, as isUtf8 rejects them
    if (ok && need === 2) {
      const c1 = bytes[i + 1]!;
      ok = !(b === 0xe0 && c1 < 0xa0) && !(b === 0xed && c1 >= 0xa0);
    } else if (ok && need === 3) {
      const c1 = bytes[i + 1]!;
      ok = !(b === 0xf0 && c1 < 0x90) && !(b === 0xf4 && c1 >= 0x90);
    }
    if (ok) {
      for (let k = 0; k <= need; k++) out.push(bytes[i + k]!);
      i += need + 1;
    } else {
      replaced.push(out.length);
      out.push(0xef, 0xbf, 0xbd);
      i++;
    }
  }
  return { bytes: Buffer.from(out), replaced };
}

/** Packed UTF-8 bytes of each CP949 byte pair (length in the top byte; 0 = not a character). */
let cp949Table: Uint32Array | undefined;
/** UTF-8 of each single byte in a single-byte code page, per encoding. */
const singleByteTables = new Map<string, Buffer[]>();

function pack(text: string): number {
  if (text.length === 0 || text === '\ufffd') return 0;
  const utf8 = Buffer.from(text, 'utf8');
  if (utf8.length > 3 || [...text].length !== 1) return 0;
  let packed = utf8.length << 24;
  for (let i = 0; i < utf8.length; i++) packed |= utf8[i]! << (8 * (2 - i));
  return packed;
}

function cp949Pairs(): Uint32Array {
  if (cp949Table) return cp949Table;
  const table = new Uint32Array(1 << 16);
  const pair = Buffer.alloc(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x41; trail <= 0xfe; trail++) {
      pair[0] = lead;
      pair[1] = trail;
      table[(lead << 8) | trail] = pack(iconv.decode(pair, 'cp949'));
    }
  }
  cp949Table = table;
  return table;
}

function singleByteTable(encoding: string): Buffer[] {
  let table = singleByteTables.get(encoding);
  if (!table) {
    table = Array.from({ length: 256 }, (_, b) => Buffer.from(iconv.decode(Buffer.from([b]), encoding), 'utf8'));
    singleByteTables.set(encoding, table);
  }
  return table;
}

/** Counts three-byte UTF-8 sequences whose lead is in the Hangul syllable range (EA–ED). */
function hangulUtf8Sequences(bytes: Uint8Array): number {
  let count = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0xea && b <= 0xed && (bytes[i + 1]! & 0xc0) === 0x80 && (bytes[i + 2]! & 0xc0) === 0x80) {
      count++;
      i += 2;
    }
  }
  return count;
}

/**
 * A CP949 transcoder that keeps an unfinished lead byte between chunks. Each call returns the UTF-8 of the
 * complete characters in its input.
 */
function cp949Transcoder() {
  const table = cp949Pairs();
  let carry = -1;
  return {
    write(chunk: Uint8Array, final: boolean): Utf8Chunk {
      const out = Buffer.allocUnsafe(chunk.length * 2 + 8);
      const replaced: number[] = [];
      let o = 0;
      let i = 0;
      const n = chunk.length;
      const emit = (packed: number) => {
        const length = packed >>> 24;
        out[o++] = (packed >>> 16) & 0xff;
        if (length > 1) out[o++] = (packed >>> 8) & 0xff;
        if (length > 2) out[o++] = packed & 0xff;
      };
      const bad = () => {
        replaced.push(o);
        REPLACEMENT.copy(out, o);
        o += 3;
      };
      if (carry >= 0 && n > 0) {
        const packed = table[(carry << 8) | chunk[0]!]!;
        if (packed !== 0) {
          emit(packed);
          i = 1;
        } else bad();
        carry = -1;
      }
      while (i < n) {
        const b = chunk[i]!;
        if (b < 0x80) {
          out[o++] = b;
          i++;
          continue;
        }
        if (i + 1 === n) {
          carry = b;
          i++;
          break;
        }
        const packed = table[(b << 8) | chunk[i + 1]!]!;
        if (packed === 0) {
          bad();
          i++;
          continue;
        }
        emit(packed);
        i += 2;
      }
      if (final && carry >= 0) {
        bad();
        carry = -1;
      }
      return { bytes: out.subarray(0, o), replaced };
    },
  };
}

/** Drops NUL bytes, counting them over the whole file: a file that is more than a trace of NULs is binary. */
function nulStripper(file: string) {
  let seen = 0;
  let nulsSeen = 0;
  return (chunk: Utf8Chunk): Utf8Chunk => {
    seen += chunk.bytes.length;
    if (chunk.bytes.indexOf(0) === -1) return chunk;
    let nuls = 0;
    for (let i = 0; i < chunk.bytes.length; i++) if (chunk.bytes[i] === 0) nuls++;
    nulsSeen += nuls;
    if (nulsSeen > Math.max(8, seen * BINARY_NUL_SHARE)) {
      throw new FileRejectedError(file, 'contains binary data (NUL bytes), not text: is it UTF-16, a spreadsheet or an archive?');
    }
    return withoutNuls(chunk, nuls);
  };
}

function withoutNuls(chunk: Utf8Chunk, nuls: number): Utf8Chunk {
  const bytes = chunk.bytes;
  const out = Buffer.allocUnsafe(bytes.length - nuls);
  const replaced: number[] = [];
  let o = 0;
  let r = 0;
  for (let i = 0; i < bytes.length; i++) {
    while (r < chunk.replaced.length && chunk.replaced[r] === i) {
      replaced.push(o);
      r++;
    }
    if (bytes[i] !== 0) out[o++] = bytes[i]!;
  }
  return { bytes: out, replaced };
}

/** Signatures of binary formats people upload by mistake as CSV. */
function binaryFormatOf(head: Uint8Array): string | undefined {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'a ZIP archive (an XLSX workbook is one: use an xlsx source)';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'a legacy Excel/Office file (save it as CSV or XLSX)';
  if (head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46) return 'a PDF document';
  if (head[0] === 0x50 && head[1] === 0x41 && head[2] === 0x52 && head[3] === 0x31) return 'a Parquet file';
  return undefined;
}

/**
 * Decodes an export to UTF-8 chunks. @throws FileRejectedError when the file cannot be text in the declared
 * encoding (see the module comment); undecodable sequences are reported in `replaced`, not thrown.
 */
export async function* decodeToUtf8(
  chunks: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  file: string,
  limits: DecodeLimits,
): AsyncIterable<Utf8Chunk> {
  let total = 0;
  let first = true;
  const check = (chunk: Uint8Array) => {
    total += chunk.length;
    if (total > limits.maxBytes) {
      throw new FileRejectedError(file, `is larger than ${limitText(limits.maxBytes, limits.maxBytesReason)}`);
    }
    if (limits.deadline !== undefined && Date.now() > limits.deadline) {
      throw new FileRejectedError(file, 'took longer to read than the time allowed for one export');
    }
    if (first) {
      first = false;
      const binary = binaryFormatOf(chunk);
      if (binary !== undefined) throw new FileRejectedError(file, `is ${binary}, not a text export`);
    }
  };
  const bytes = gunzipIfNeeded(chunks, file, limits.maxBytes, limits.maxBytesReason);
  const stripNuls = nulStripper(file);

  if (encoding === 'utf-16le') {
    const decoder = new TextDecoder('utf-16le', { fatal: true });
    let offset = 0;
    const fail = (cause: unknown): never => {
      throw new FileRejectedError(file, `is not valid UTF-16LE (near byte ${offset.toLocaleString('en')}); check the source's encoding`, { cause });
    };
    for await (const chunk of bytes) {
      check(chunk);
      let text = '';
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch (cause) {
        fail(cause);
      }
      offset += chunk.length;
      if (text.length > 0) yield stripNuls({ bytes: Buffer.from(text, 'utf8'), replaced: [] });
    }
    let tail = '';
    try {
      tail = decoder.decode();
    } catch (cause) {
      fail(cause);
    }
    if (tail.length > 0) yield stripNuls({ bytes: Buffer.from(tail, 'utf8'), replaced: [] });
    return;
  }

  if (encoding === 'utf-8') {
    let carry: Buffer | undefined;
    let atStart = true;
    for await (const raw of bytes) {
      check(raw);
      let chunk = carry ? Buffer.concat([carry, raw]) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      carry = undefined;
      if (atStart && chunk.length >= 3) {
        atStart = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      } else if (atStart) {
        carry = chunk;
        continue;
      }
      const end = utf8Boundary(chunk);
      if (end < chunk.length) carry = Buffer.from(chunk.subarray(end));
      const whole = chunk.subarray(0, end);
      if (whole.length === 0) continue;
      yield stripNuls(isUtf8(whole) ? { bytes: whole, replaced: [] } : repairUtf8(Buffer.from(whole)));
    }
    if (carry && carry.length > 0) {
      const rest = atStart && carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf ? carry.subarray(3) : carry;
      if (rest.length > 0) yield stripNuls(isUtf8(rest) ? { bytes: rest, replaced: [] } : repairUtf8(rest));
    }
    return;
  }

  if (encoding === 'cp949' || encoding === 'euc-kr') {
    const transcoder = cp949Transcoder();
    let pending: Uint8Array | undefined;
    for await (const raw of bytes) {
      check(raw);
      if (total === raw.length && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) {
        throw new FileRejectedError(file, `declared ${encoding} but the file starts with a UTF-8 byte order mark; set "encoding: utf-8" on the source`);
      }
      // UTF-8 Korean text decodes as valid-looking CP949 garbage, so every chunk is checked, not just the first.
      const end = utf8Boundary(raw);
      const whole = raw.subarray(0, end);
      if (whole.length >= 1024 && isUtf8(whole) && hangulUtf8Sequences(whole) >= 16) {
        throw new FileRejectedError(
          file,
          `declared ${encoding} but the bytes from offset ${(total - raw.length).toLocaleString('en')} are UTF-8 Korean text; set "encoding: utf-8" on the source`,
        );
      }
      if (pending) yield stripNuls(transcoder.write(pending, false));
      pending = raw;
    }
    if (pending) yield stripNuls(transcoder.write(pending, true));
    return;
  }

  const table = singleByteTable(encoding);
  for await (const raw of bytes) {
    check(raw);
    const out = Buffer.allocUnsafe(raw.length * 3);
    let o = 0;
    for (let i = 0; i < raw.length; i++) {
      const b = raw[i]!;
      if (b < 0x80) out[o++] = b;
      else {
        const utf8 = table[b]!;
        for (let k = 0; k < utf8.length; k++) out[o++] = utf8[k]!;
      }
    }
    yield stripNuls({ bytes: out.subarray(0, o), replaced: [] });
  }
}
