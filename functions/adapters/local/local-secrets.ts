import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SecretNotFoundError, type Secrets } from '../../core/ports.ts';

export class InvalidSecretNameError extends Error {
  constructor(readonly secretName: string) {
    super(`invalid secret name ${JSON.stringify(secretName)}: use names like cspulse/acme/pii-hash-key`);
    this.name = 'InvalidSecretNameError';
  }
}

/** Secret names may have `/` levels like Secrets Manager names, but must stay inside the folder. */
function fileOf(dir: string, name: string): string {
  const segments = name.split('/');
  if (name.length === 0 || name.includes('\\') || name.includes('\0')) throw new InvalidSecretNameError(name);
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('.tmp-'))) {
    throw new InvalidSecretNameError(name);
  }
  return path.join(path.resolve(dir), ...segments);
}

/** `echo key > file` adds a newline that is not part of the secret. */
function withoutFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** Secrets from files: the secret `cspulse/acme/pii-hash-key` is the file `<dir>/cspulse/acme/pii-hash-key`. */
export function createLocalSecrets(dir: string): Secrets {
  return {
    async get(name) {
      const file = fileOf(dir, name);
      try {
        return withoutFinalNewline(await readFile(file, 'utf8'));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
          throw new SecretNotFoundError(name, { cause: error });
        }
        throw error;
      }
    },
  };
}

/**
 * Returns the secret, creating it first as 32 random bytes in hex (readable by the owner only) when it does
 * not exist. Used for the per-client key of the PII hash: made once on first ingest, then never changed,
 * since a new key would give every customer a new customer_key. Concurrent first calls agree on one key.
 */
export async function ensureLocalSecret(dir: string, name: string): Promise<string> {
  const secrets = createLocalSecrets(dir);
  try {
    return await secrets.get(name);
  } catch (error) {
    if (!(error instanceof SecretNotFoundError)) throw error;
  }
  const file = fileOf(dir, name);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  // Written whole under a temp name, then linked into place: link() fails if another process won the race,
  // and no reader ever sees an empty or half-written key file.
  const temp = path.join(path.dirname(file), `.tmp-${randomBytes(8).toString('hex')}`);
  await writeFile(temp, key, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return secrets.get(name);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
