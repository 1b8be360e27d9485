/**
 * Locks for the local runtime: one file per lock name, created with O_EXCL, holding the owner's host and pid.
 * A lock whose owner on this host is no longer running (killed mid-ingest) is taken over at once; anything else
 * is waited for. Two `cspulse ingest` processes on one lake therefore publish one after the other.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockTimeoutError, type Locks } from '../../core/ports.ts';

const POLL_MS = 50;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const fileName = (name: string): string => `${name.replace(/[^A-Za-z0-9._=-]+/g, '_')}.lock`;

export function createFileLocks(dir: string, options: { timeoutMs?: number } = {}): Locks {
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const host = hostname();

  async function take(path: string, name: string): Promise<void> {
    const started = Date.now();
    while (true) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(JSON.stringify({ host, pid: process.pid, since: new Date().toISOString() }));
        await handle.close();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let holder = 'another process';
      try {
        const owner = JSON.parse(await readFile(path, 'utf8')) as { host?: string; pid?: number };
        holder = `${owner.host}:${owner.pid}`;
        if (owner.host === host && typeof owner.pid === 'number' && !alive(owner.pid)) {
          await unlink(path).catch(() => undefined);
          continue;
        }
      } catch {
        // being written or removed right now: look again
      }
      if (Date.now() - started > timeoutMs) throw new LockTimeoutError(name, holder);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  return {
    async acquire(names) {
      await mkdir(dir, { recursive: true });
      const sorted = [...new Set(names)].sort();
      const held: string[] = [];
      try {
        for (const name of sorted) {
          const path = join(dir, fileName(name));
          await take(path, name);
          held.push(path);
        }
      } catch (error) {
        await Promise.all(held.map((p) => unlink(p).catch(() => undefined)));
        throw error;
      }
      return async () => {
        await Promise.all(held.map((p) => unlink(p).catch(() => undefined)));
      };
    },
  };
}
