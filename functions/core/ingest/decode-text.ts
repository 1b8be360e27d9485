/**
 * Bytes of an export → text, streaming. Handles gzip (by its magic number, whatever the file is called),
 * UTF-8 with or without BOM, CP949/EUC-KR through iconv-lite (Node's TextDecoder corrupts CP949-only
 * syllables such as 똠) and UTF-16LE. A file that is not in its declared encoding is rejected whole with a
 * hint, because half-decoded Korean text would pass as valid but wrong categories.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import { FileRejectedError } from './types.ts';

export type TextEncoding = 'utf-8' | 'cp949' | 'euc-kr' | 'utf-16le';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

export async function* gunzipIfNeeded(chunks: AsyncIterable<Uint8Array>, file: string): AsyncIterable<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: () => iterator.next(),
      return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
    }),
  };
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield head;
    yield* rest;
    return;
  }
  async function* all(): AsyncIterable<Uint8Array> {
    yield head;
    yield* rest;
  }
  const gunzip = Readable.from(all()).pipe(createGunzip());
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } catch (cause) {
    throw new FileRejectedError(file, `corrupt gzip data: ${(cause as Error).message}`, { cause });
  }
}

/** True when the bytes are well-formed UTF-8 and contain at least one multi-byte sequence. */
function looksLikeUtf8Text(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  let multiByte = 0;
  let i = 0;
  while (i < sample.length) {
    const b = sample[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (need < 0) return false;
    if (i + need >= sample.length) break; // cut at the sample's end: judge on what we have
    for (let k = 1; k <= need; k++) if ((sample[i + k]! & 0xc0) !== 0x80) return false;
    multiByte++;
    i += need + 1;
  }
  return multiByte > 0;
}

export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  encoding: TextEncoding,
  file: string,
): AsyncIterable<string> {
  const bytes = gunzipIfNeeded(chunks, file);
  if (encoding === 'utf-8' || encoding === 'utf-16le') {
    const decoder = new TextDecoder(encoding, { fatal: true });
    let offset = 0;
    for await (const chunk of bytes) {
      try {
        const text = decoder.decode(chunk, { stream: true });
        if (text.length > 0) yield text;
      } catch (cause) {
        throw new FileRejectedError(
          file,
          `not valid ${encoding.toUpperCase()} (within bytes ${offset}-${offset + chunk.length}); ` +
            `Korean CTI exports are often CP949: set "encoding: cp949" on the source if that is what it is`,
          { cause },
        );
      }
      offset += chunk.length;
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
    return;
  }
  const decoder = iconv.getDecoder(encoding);
  let first = true;
  for await (const chunk of bytes) {
    if (first) {
      first = false;
      if ((chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) || looksLikeUtf8Text(chunk)) {
        throw new FileRejectedError(
          file,
          `declared ${encoding} but the file is UTF-8; set "encoding: utf-8" on the source`,
        );
      }
    }
    const text = decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (text.length > 0) yield text;
  }
  const tail = decoder.end();
  if (tail !== undefined && tail.length > 0) yield tail;
}
