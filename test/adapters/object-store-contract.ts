import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectNotFoundError, type ObjectInfo, type ObjectStore } from '../../functions/core/ports.ts';

export interface ObjectStoreUnderTest {
  store: ObjectStore;
  cleanup: () => Promise<void>;
}

export interface ObjectStoreContractOptions {
  /**
   * False for a backend that ignores `If-None-Match: *` (s3rver overwrites instead of answering 412), so the
   * "second putIfAbsent returns false" case cannot be observed against it.
   */
  honoursConditionalPut: boolean;
  /**
   * False for a backend that does not list in UTF-8 byte order across '/' boundaries (s3rver walks its
   * directories, so `a/b` comes before `a-c`; S3 itself puts `a-c` first). For such a backend the listing
   * test compares the listed keys after sorting them, so only membership is checked there.
   */
  listsInByteOrder: boolean;
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const info of iterable) out.push(info);
  return out;
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A deterministic byte pattern: byte i is (i * 7 + 3) mod 251, so any misplaced chunk changes the hash. */
function pattern(length: number, from = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = ((from + i) * 7 + 3) % 251;
  return bytes;
}

async function* chunked(total: number, chunkSize: number): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < total; offset += chunkSize) {
    yield pattern(Math.min(chunkSize, total - offset), offset);
  }
}

/**
 * The ObjectStore contract from functions/core/ports.ts. Every adapter runs it; each test uses its own key
 * prefix so the order of tests does not matter.
 */
export function objectStoreContract(
  name: string,
  factory: () => Promise<ObjectStoreUnderTest>,
  options: ObjectStoreContractOptions,
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let subject: ObjectStoreUnderTest;
    let store: ObjectStore;

    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });

    it('get of a missing key throws ObjectNotFoundError naming the key', async () => {
      const error = await store.get('missing/nothing-here.txt').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect((error as ObjectNotFoundError).key).toBe('missing/nothing-here.txt');
    });

    it('getStream of a missing key throws ObjectNotFoundError', async () => {
      const error = await store.getStream('missing/stream.txt').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect((error as ObjectNotFoundError).key).toBe('missing/stream.txt');
    });

    it('a missing key is missing even when longer keys start with it', async () => {
      // An existence check that lists by prefix must compare whole keys: these two exist, `manifest.json` does not.
      await store.put('prefix-of/manifest.json.rejected', 'r');
      await store.put('prefix-of/manifest.json/part', 'p');
      expect(await store.head('prefix-of/manifest.json')).toBeUndefined();
      await expect(store.get('prefix-of/manifest.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.getStream('prefix-of/manifest.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect((await store.head('prefix-of/manifest.json.rejected'))?.size).toBe(1);
    });

    it('stores a string as UTF-8 and reads back the same bytes', async () => {
      await store.put('put-string/상담.txt', '상담 a', { contentType: 'text/plain; charset=utf-8' });
      const bytes = await store.get('put-string/상담.txt');
      // 상 = EC 83 81, 담 = EB 8B B4 (UTF-8), then space and 'a'
      expect([...bytes]).toEqual([0xec, 0x83, 0x81, 0xeb, 0x8b, 0xb4, 0x20, 0x61]);
    });

    it('stores a Uint8Array including zero and 0xff bytes', async () => {
      await store.put('put-bytes/b.bin', new Uint8Array([0, 1, 2, 255, 0]));
      expect([...(await store.get('put-bytes/b.bin'))]).toEqual([0, 1, 2, 255, 0]);
    });

    it('stores an empty object', async () => {
      await store.put('put-empty/e', new Uint8Array(0));
      expect((await store.get('put-empty/e')).byteLength).toBe(0);
      expect((await store.head('put-empty/e'))?.size).toBe(0);
    });

    it('streams an AsyncIterable body of many chunks (6 MiB in 64 KiB chunks)', async () => {
      const total = 6 * 1024 * 1024;
      await store.put('put-stream/big.bin', chunked(total, 64 * 1024));
      const back = await store.get('put-stream/big.bin');
      expect(back.byteLength).toBe(total);
      expect(sha256(back)).toBe(sha256(pattern(total)));
    });

    it('getStream yields the whole object', async () => {
      const body = pattern(300_000);
      await store.put('get-stream/o.bin', body);
      const back = await readAll(await store.getStream('get-stream/o.bin'));
      expect(back.byteLength).toBe(300_000);
      expect(sha256(back)).toBe(sha256(body));
    });

    it('put replaces an existing object', async () => {
      await store.put('replace/r.txt', 'first version');
      await store.put('replace/r.txt', 'v2');
      expect(text(await store.get('replace/r.txt'))).toBe('v2');
      expect((await store.head('replace/r.txt'))?.size).toBe(2);
    });

    it('head returns size in bytes and a modification time, undefined when missing', async () => {
      const before = Date.now();
      await store.put('head/h.txt', '상담');
      const info = await store.head('head/h.txt');
      expect(info?.key).toBe('head/h.txt');
      expect(info?.size).toBe(6);
      expect(info?.lastModified).toBeInstanceOf(Date);
      // S3 keeps whole seconds; allow that rounding plus clock skew of a local server.
      expect(Math.abs((info?.lastModified.getTime() ?? 0) - before)).toBeLessThan(60_000);
      expect(await store.head('head/missing.txt')).toBeUndefined();
    });

    it('putIfAbsent creates a missing object and returns true', async () => {
      expect(await store.putIfAbsent('claim/first.json', '{"owner":"a"}')).toBe(true);
      expect(text(await store.get('claim/first.json'))).toBe('{"owner":"a"}');
    });

    it.skipIf(!options.honoursConditionalPut)(
      'putIfAbsent returns false and keeps the existing object when the key exists',
      async () => {
        expect(await store.putIfAbsent('claim/second.json', '{"owner":"a"}')).toBe(true);
        expect(await store.putIfAbsent('claim/second.json', '{"owner":"b"}')).toBe(false);
        expect(text(await store.get('claim/second.json'))).toBe('{"owner":"a"}');
      },
    );

    it.skipIf(!options.honoursConditionalPut)('exactly one of several concurrent putIfAbsent calls wins', async () => {
      const results = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map((owner) => store.putIfAbsent('claim/race.json', owner)),
      );
      expect(results.filter((won) => won)).toHaveLength(1);
      const winner = text(await store.get('claim/race.json'));
      expect(results[['a', 'b', 'c', 'd', 'e'].indexOf(winner)]).toBe(true);
    });

    it('putIfAbsent accepts a streamed body', async () => {
      expect(await store.putIfAbsent('claim/stream.bin', chunked(200_000, 10_000))).toBe(true);
      expect(sha256(await store.get('claim/stream.bin'))).toBe(sha256(pattern(200_000)));
    });

    it('lists recursively in key order, by a prefix that need not end at a slash', async () => {
      const keys = [
        'list/lake/contacts/client_id=b/dt=2026-03-01/part-0.parquet',
        'list/lake/contacts/client_id=a/dt=2026-03-02/part-0.parquet',
        'list/lake/contacts/client_id=a/dt=2026-03-01/part-1.parquet',
        'list/lake/contacts/client_id=a/dt=2026-03-01/part-0.parquet',
        'list/lake/contacts-old/x.parquet',
        'list/lake/contacts.txt',
        'list/lake/surveys/client_id=a/dt=2026-03-01/part-0.parquet',
      ];
      for (const key of keys) await store.put(key, key);

      const listed = (await collect(store.list('list/lake/'))).map((o) => o.key);
      const all = options.listsInByteOrder ? listed : [...listed].sort(byteOrder);
      // Byte order: '-' (0x2d) < '.' (0x2e) < '/' (0x2f), so contacts-old and contacts.txt precede contacts/.
      expect(all).toEqual([
        'list/lake/contacts-old/x.parquet',
        'list/lake/contacts.txt',
        'list/lake/contacts/client_id=a/dt=2026-03-01/part-0.parquet',
        'list/lake/contacts/client_id=a/dt=2026-03-01/part-1.parquet',
        'list/lake/contacts/client_id=a/dt=2026-03-02/part-0.parquet',
        'list/lake/contacts/client_id=b/dt=2026-03-01/part-0.parquet',
        'list/lake/surveys/client_id=a/dt=2026-03-01/part-0.parquet',
      ]);
      const oldInfo = await collect(store.list('list/lake/contacts-old/'));
      expect(oldInfo.map((o) => [o.key, o.size])).toEqual([
        ['list/lake/contacts-old/x.parquet', 'list/lake/contacts-old/x.parquet'.length],
      ]);

      const partial = await collect(store.list('list/lake/contacts/client_id=a/dt=2026-03-0'));
      expect(partial.map((o) => o.key)).toEqual([
        'list/lake/contacts/client_id=a/dt=2026-03-01/part-0.parquet',
        'list/lake/contacts/client_id=a/dt=2026-03-01/part-1.parquet',
        'list/lake/contacts/client_id=a/dt=2026-03-02/part-0.parquet',
      ]);

      const contacts = await collect(store.list('list/lake/contacts'));
      expect(contacts).toHaveLength(6);

      expect(await collect(store.list('list/lake/nothing'))).toEqual([]);
    });

    it('lists more objects than one page holds', async () => {
      // 25 keys; the S3 adapter under test is built with a small page size so this spans several pages.
      const keys = Array.from({ length: 25 }, (_, i) => `paged/k-${String(i).padStart(3, '0')}`);
      await Promise.all(keys.map((key) => store.put(key, 'x')));
      const listed = await collect(store.list('paged/'));
      expect(listed.map((o) => o.key)).toEqual(keys);
    });

    it('copy makes an independent object with the same bytes, replacing one already there', async () => {
      await store.put('copy/a.bin', new Uint8Array([1, 2, 3, 0, 255]));
      await store.put('copy/dt=2026-03-01/b b.bin', 'old');
      await store.copy('copy/a.bin', 'copy/dt=2026-03-01/b b.bin');
      expect([...(await store.get('copy/dt=2026-03-01/b b.bin'))]).toEqual([1, 2, 3, 0, 255]);
      // the two are separate objects: replacing or deleting one leaves the other
      await store.put('copy/a.bin', 'new');
      expect([...(await store.get('copy/dt=2026-03-01/b b.bin'))]).toEqual([1, 2, 3, 0, 255]);
      await store.delete('copy/dt=2026-03-01/b b.bin');
      expect(Buffer.from(await store.get('copy/a.bin')).toString()).toBe('new');
    });

    it('copy of a missing key throws ObjectNotFoundError naming it', async () => {
      await expect(store.copy('copy/missing.bin', 'copy/x.bin')).rejects.toMatchObject({ name: 'ObjectNotFoundError', key: 'copy/missing.bin' });
    });

    it('delete removes the object; deleting a missing key is not an error', async () => {
      await store.put('delete/d.txt', 'bye');
      await store.delete('delete/d.txt');
      expect(await store.head('delete/d.txt')).toBeUndefined();
      await expect(store.get('delete/d.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.delete('delete/never-existed.txt')).resolves.toBeUndefined();
      expect(await collect(store.list('delete/'))).toEqual([]);
    });
  });
}
