import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderStore, InvalidObjectKeyError } from '../../../functions/adapters/local/folder-store.ts';
import type { ObjectInfo, ObjectStore } from '../../../functions/core/ports.ts';
import { objectStoreContract } from '../object-store-contract.ts';

objectStoreContract(
  'folder',
  async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'cspulse-folder-contract-'));
    return { store: createFolderStore(root), cleanup: () => rm(root, { recursive: true, force: true }) };
  },
  { honoursConditionalPut: true, listsInByteOrder: true },
);

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of iterable) keys.push(info.key);
  return keys;
}

describe('createFolderStore', () => {
  let root: string;
  let store: ObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'cspulse-folder-'));
    store = createFolderStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('maps a key to the file under the root', async () => {
    await store.put('lake/contacts/client_id=acme/dt=2026-03-01/part-0.parquet', 'PAR1');
    const file = path.join(root, 'lake', 'contacts', 'client_id=acme', 'dt=2026-03-01', 'part-0.parquet');
    expect(await readFile(file, 'utf8')).toBe('PAR1');
  });

  it.each([
    ['../outside.txt'],
    ['a/../../outside.txt'],
    ['a/..'],
    ['/etc/passwd'],
    ['a/./b'],
    ['a//b'],
    [''],
    ['a\\..\\b'],
  ])('rejects the key %j with InvalidObjectKeyError', async (key) => {
    await expect(store.put(key, 'x')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.putIfAbsent(key, 'x')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.head(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
    expect(await readdir(path.dirname(root))).not.toContain('outside.txt');
  });

  it('rejects a listing prefix that climbs out of the root', () => {
    expect(() => store.list('../')).toThrow(InvalidObjectKeyError);
    expect(() => store.list('/abs')).toThrow(InvalidObjectKeyError);
  });

  it('leaves neither the object nor a temp file behind when a streamed body fails midway', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(1000);
      throw new Error('source connection reset');
    }
    await expect(store.put('partial/p.bin', failing())).rejects.toThrow('source connection reset');
    expect(await store.head('partial/p.bin')).toBeUndefined();
    expect(await readdir(path.join(root, 'partial'))).toEqual([]);
  });

  it('a failed replace keeps the previous object whole', async () => {
    await store.put('keep/k.txt', 'old');
    async function* failing(): AsyncIterable<Uint8Array> {
      yield Buffer.from('new-but-');
      throw new Error('interrupted');
    }
    await expect(store.put('keep/k.txt', failing())).rejects.toThrow('interrupted');
    expect(Buffer.from(await store.get('keep/k.txt')).toString()).toBe('old');
  });

  it('does not list temp files left by a crash during a write', async () => {
    await store.put('crash/a.txt', 'a');
    // what a process killed between open() and rename() leaves behind
    await writeFile(path.join(root, 'crash', '.tmp-0123456789abcdef'), 'half');
    expect(await collect(store.list('crash/'))).toEqual(['crash/a.txt']);
    expect(await collect(store.list(''))).toEqual(['crash/a.txt']);
  });

  it('removes a temp file a killed put left over an hour ago when the next put lands in its folder', async () => {
    await store.put('dt=2026-03-02/cti.parquet', 'v1');
    const folder = path.join(root, 'dt=2026-03-02');
    await writeFile(path.join(folder, '.tmp-0123456789abcdef'), 'half a put');
    const anHourAgo = new Date(Date.now() - 61 * 60_000);
    await utimes(path.join(folder, '.tmp-0123456789abcdef'), anHourAgo, anHourAgo);
    // a put under way in another process (written to a moment ago) is left alone
    await writeFile(path.join(folder, '.tmp-fedcba9876543210'), 'being written');
    await store.put('dt=2026-03-02/cti.parquet', 'v2');
    expect((await readdir(folder)).sort()).toEqual(['.tmp-fedcba9876543210', 'cti.parquet']);
  });

  it('a private store (the quarantine) writes files 0600 in folders 0700', async () => {
    const privateRoot = path.join(root, 'quarantine');
    const quarantine = createFolderStore(privateRoot, { private: true });
    await quarantine.put('quarantine/client_id=acme/cti--x.jsonl', '{"raw":"010-1234-5678"}\n');
    const mode = async (p: string) => (await stat(p)).mode & 0o777;
    expect(await mode(path.join(privateRoot, 'quarantine/client_id=acme/cti--x.jsonl'))).toBe(0o600);
    for (const dir of ['', 'quarantine', 'quarantine/client_id=acme']) expect(await mode(path.join(privateRoot, dir)), dir).toBe(0o700);
    await quarantine.copy('quarantine/client_id=acme/cti--x.jsonl', 'copies/cti--x.jsonl');
    expect(await mode(path.join(privateRoot, 'copies'))).toBe(0o700);
  });

  it('leaves no temp file after putIfAbsent, won or lost', async () => {
    expect(await store.putIfAbsent('claims/c', 'one')).toBe(true);
    expect(await store.putIfAbsent('claims/c', 'two')).toBe(false);
    expect(await readdir(path.join(root, 'claims'))).toEqual(['c']);
  });

  it('list on a root that does not exist yet is empty', async () => {
    const fresh = createFolderStore(path.join(root, 'not-created'));
    expect(await collect(fresh.list(''))).toEqual([]);
  });
});
