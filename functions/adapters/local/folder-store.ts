import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { ObjectNotFoundError, type ObjectBody, type ObjectInfo, type ObjectStore } from '../../core/ports.ts';

export class InvalidObjectKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidObjectKeyError';
  }
}

/**
 * Temp files live beside their target so the final rename/link stays on one file system (and is atomic).
 * Keys may not use the prefix, so a listing can skip temp files without hiding real objects.
 */
const TEMP_PREFIX = '.tmp-';
/**
 * A temp file untouched this long belongs to a put that was killed (a put writes its temp file continuously
 * and renames it within seconds): the next put into the same folder removes it.
 */
const STALE_TEMP_MS = 60 * 60_000;

function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

function validateKey(key: string): void {
  if (key.length === 0) throw new InvalidObjectKeyError(key, 'empty');
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'starts with /');
  if (key.includes('\\')) throw new InvalidObjectKeyError(key, 'contains a backslash');
  if (key.includes('\0')) throw new InvalidObjectKeyError(key, 'contains a NUL byte');
  for (const segment of key.split('/')) {
    if (segment === '..' || segment === '.') throw new InvalidObjectKeyError(key, `has a '${segment}' segment`);
    if (segment === '') throw new InvalidObjectKeyError(key, 'has an empty segment');
    if (isTempName(segment)) throw new InvalidObjectKeyError(key, `segment starts with ${TEMP_PREFIX}`);
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

async function* bodyChunks(body: ObjectBody): AsyncIterable<Uint8Array> {
  if (typeof body === 'string') {
    yield Buffer.from(body, 'utf8');
  } else if (body instanceof Uint8Array) {
    yield body;
  } else {
    yield* body;
  }
}

/**
 * An ObjectStore on a local folder: key `a/b/c.parquet` is the file `<root>/a/b/c.parquet`.
 * Writes go to a temp file that is fsynced and then renamed (put) or hard-linked (putIfAbsent) into place,
 * so readers and listings never see a partly written object.
 */
export interface FolderStoreOptions {
  /**
   * Files 0600 in folders 0700, for a store of raw values (the quarantine): only the owner can read them, as
   * the private bucket on AWS allows only the stack's roles.
   */
  private?: boolean;
}

export function createFolderStore(root: string, options: FolderStoreOptions = {}): ObjectStore {
  const absoluteRoot = path.resolve(root);
  const fileMode = options.private === true ? 0o600 : 0o644;
  const dirMode = options.private === true ? 0o700 : 0o755;

  /** Removes temp files of killed puts from a folder (see STALE_TEMP_MS). */
  async function sweepStaleTemps(dir: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      if (!isTempName(name)) continue;
      const file = path.join(dir, name);
      const s = await stat(file).catch(() => undefined);
      if (s !== undefined && now - s.mtimeMs > STALE_TEMP_MS) await unlink(file).catch(() => undefined);
    }
  }

  const fileOf = (key: string): string => {
    validateKey(key);
    const file = path.join(absoluteRoot, ...key.split('/'));
    // validateKey already rules out traversal; this guards against anything it missed.
    if (!file.startsWith(absoluteRoot + path.sep)) throw new InvalidObjectKeyError(key, 'escapes the store root');
    return file;
  };

  async function writeTemp(file: string, body: ObjectBody): Promise<string> {
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true, mode: dirMode });
    await sweepStaleTemps(dir);
    const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', fileMode);
    try {
      for await (const chunk of bodyChunks(body)) {
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
      }
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    return temp;
  }

  async function infoOf(key: string, file: string): Promise<ObjectInfo | undefined> {
    try {
      const s = await stat(file);
      if (!s.isFile()) return undefined;
      return { key, size: s.size, lastModified: s.mtime };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Depth-first in key order. Sorting bare entry names is not key order: the key `a-c` sorts before `a/b`
   * because '-' (0x2d) < '/' (0x2f), so a directory sorts as `name/`.
   */
  async function* walk(dir: string, keyPrefix: string, prefix: string): AsyncIterable<ObjectInfo> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const children = entries
      .filter((entry) => !isTempName(entry.name) && (entry.isFile() || entry.isDirectory()))
      .map((entry) => ({
        entry,
        sortKey: keyPrefix + entry.name + (entry.isDirectory() ? '/' : ''),
      }))
      .sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    for (const { entry, sortKey } of children) {
      // Skip subtrees that cannot contain a matching key.
      if (!(sortKey.startsWith(prefix) || prefix.startsWith(sortKey))) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* walk(full, sortKey, prefix);
      } else if (sortKey.startsWith(prefix)) {
        const info = await infoOf(sortKey, full);
        if (info) yield info;
      }
    }
  }

  return {
    async get(key) {
      const file = fileOf(key);
      try {
        return new Uint8Array(await readFile(file));
      } catch (error) {
        if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
        throw error;
      }
    },

    async getStream(key) {
      const file = fileOf(key);
      // Open first so a missing key fails here, not on the first read.
      let handle;
      try {
        handle = await open(file, 'r');
        if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      } catch (error) {
        await handle?.close();
        if (isNotFound(error)) throw new ObjectNotFoundError(key, { cause: error });
        throw error;
      }
      return handle.createReadStream() as AsyncIterable<Uint8Array>;
    },

    async put(key, body) {
      const file = fileOf(key);
      const temp = await writeTemp(file, body);
      try {
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    },

    async putIfAbsent(key, body) {
      const file = fileOf(key);
      const temp = await writeTemp(file, body);
      try {
        // link() fails with EEXIST when the target exists: an atomic create-if-absent of a complete file.
        await link(temp, file);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },

    async copy(from, to) {
      const source = fileOf(from);
      const target = fileOf(to);
      await mkdir(path.dirname(target), { recursive: true, mode: dirMode });
      // a hard link under a temp name, then renamed into place: the copy appears whole, sharing the bytes
      const temp = path.join(path.dirname(target), `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
      try {
        await link(source, temp);
      } catch (error) {
        if (isNotFound(error)) throw new ObjectNotFoundError(from, { cause: error });
        throw error;
      }
      try {
        await rename(temp, target);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw error;
      }
    },

    async head(key) {
      return infoOf(key, fileOf(key));
    },

    list(prefix) {
      if (prefix.startsWith('/')) throw new InvalidObjectKeyError(prefix, 'prefix starts with /');
      if (prefix.split('/').some((segment) => segment === '..' || segment === '.')) {
        throw new InvalidObjectKeyError(prefix, 'prefix has a relative segment');
      }
      return walk(absoluteRoot, '', prefix);
    },

    async delete(key) {
      try {
        await unlink(fileOf(key));
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
    },
  };
}

/** S3 orders keys by their UTF-8 bytes; JS string comparison orders by UTF-16 code units, which differs. */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
