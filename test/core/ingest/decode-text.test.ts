import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../functions/core/ingest/decode-text.ts';
import { FileRejectedError } from '../../../functions/core/ingest/types.ts';

async function* split(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function text(bytes: Uint8Array, encoding: Parameters<typeof decodeText>[1], size = 3): Promise<string> {
  let out = '';
  for await (const part of decodeText(split(bytes, size), encoding, 'f.csv')) out += part;
  return out;
}

const KOREAN = '콜ID,상담유형\n1,똠양꿍 배송\n';

describe('decodeText', () => {
  it('decodes CP949, including syllables outside EUC-KR such as 똠, across chunk boundaries', async () => {
    const bytes = iconv.encode(KOREAN, 'cp949');
    expect(await text(bytes, 'cp949', 1)).toBe(KOREAN);
    expect(await text(bytes, 'cp949', 7)).toBe(KOREAN);
  });

  it('strips a UTF-8 BOM and decodes split multi-byte characters', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(KOREAN, 'utf8')]);
    expect(await text(bytes, 'utf-8', 1)).toBe(KOREAN);
  });

  it('gunzips by magic number', async () => {
    expect(await text(gzipSync(iconv.encode(KOREAN, 'cp949')), 'cp949', 10)).toBe(KOREAN);
  });

  it('rejects a CP949 file declared as UTF-8 with a hint', async () => {
    await expect(text(iconv.encode(KOREAN, 'cp949'), 'utf-8')).rejects.toThrow(FileRejectedError);
    await expect(text(iconv.encode(KOREAN, 'cp949'), 'utf-8')).rejects.toThrow(/encoding: cp949/);
  });

  it('rejects a UTF-8 file declared as CP949', async () => {
    await expect(text(Buffer.from(KOREAN, 'utf8'), 'cp949', 1000)).rejects.toThrow(/encoding: utf-8/);
  });

  it('rejects binary garbage declared as UTF-8 instead of crashing', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    await expect(text(garbage, 'utf-8', 512)).rejects.toThrow(FileRejectedError);
  });

  it('rejects corrupt gzip', async () => {
    const gz = gzipSync(Buffer.from(KOREAN));
    await expect(text(gz.subarray(0, 12), 'utf-8', 100)).rejects.toThrow(/corrupt gzip/);
  });
});
