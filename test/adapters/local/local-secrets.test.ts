import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalSecrets,
  ensureLocalSecret,
  InvalidSecretNameError,
} from '../../../functions/adapters/local/local-secrets.ts';
import { SecretNotFoundError } from '../../../functions/core/ports.ts';

describe('local secrets', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'cspulse-secrets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads <dir>/<name>, dropping the newline an editor or echo adds', async () => {
    await mkdir(path.join(dir, 'cspulse', 'acme'), { recursive: true });
    await writeFile(path.join(dir, 'cspulse', 'acme', 'smtp-password'), 'p@ss word\n');
    await writeFile(path.join(dir, 'plain'), 'no-newline');
    const secrets = createLocalSecrets(dir);
    expect(await secrets.get('cspulse/acme/smtp-password')).toBe('p@ss word');
    expect(await secrets.get('plain')).toBe('no-newline');
  });

  it('throws SecretNotFoundError naming a missing secret', async () => {
    const error = await createLocalSecrets(dir).get('cspulse/none').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect((error as SecretNotFoundError).secretName).toBe('cspulse/none');
  });

  it.each([['../etc/passwd'], ['/etc/passwd'], ['a/../../b'], [''], ['a//b']])('rejects the name %j', async (name) => {
    await expect(createLocalSecrets(dir).get(name)).rejects.toBeInstanceOf(InvalidSecretNameError);
    await expect(ensureLocalSecret(dir, name)).rejects.toBeInstanceOf(InvalidSecretNameError);
  });

  it('ensureLocalSecret creates a 32-byte hex key readable by the owner only, then keeps it', async () => {
    const key = await ensureLocalSecret(dir, 'cspulse/acme/pii-hash-key');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dir, 'cspulse', 'acme', 'pii-hash-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toBe(key);
    expect(await ensureLocalSecret(dir, 'cspulse/acme/pii-hash-key')).toBe(key);
    expect(await createLocalSecrets(dir).get('cspulse/acme/pii-hash-key')).toBe(key);
    expect(await readdir(path.join(dir, 'cspulse', 'acme'))).toEqual(['pii-hash-key']);
  });

  it('ensureLocalSecret gives each client its own key', async () => {
    const a = await ensureLocalSecret(dir, 'cspulse/a/pii-hash-key');
    const b = await ensureLocalSecret(dir, 'cspulse/b/pii-hash-key');
    expect(a).not.toBe(b);
  });

  it('ensureLocalSecret keeps a key that already exists', async () => {
    await writeFile(path.join(dir, 'given'), 'operator-chosen-key\n');
    expect(await ensureLocalSecret(dir, 'given')).toBe('operator-chosen-key');
  });

  it('concurrent first calls agree on one key', async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, () => ensureLocalSecret(dir, 'race/pii-hash-key')));
    expect(new Set(keys).size).toBe(1);
    expect(await readdir(path.join(dir, 'race'))).toEqual(['pii-hash-key']);
  });
});
