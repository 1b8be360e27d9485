import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretsManagerSecrets } from '../../../functions/adapters/aws/secrets-manager.ts';
import { SecretNotFoundError, type Clock } from '../../../functions/core/ports.ts';

describe('createSecretsManagerSecrets', () => {
  const client = new SecretsManagerClient({ region: 'ap-northeast-2' });
  const sm = mockClient(client);
  afterEach(() => sm.reset());

  let nowMs = Date.parse('2026-03-01T00:00:00Z');
  const clock: Clock = { now: () => new Date(nowMs) };

  const secretIds = () => sm.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input);

  it('asks for the secret by id and returns SecretString', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'cspulse/acme/pii-hash-key' }).resolves({ SecretString: 'k-acme' });
    const secrets = createSecretsManagerSecrets(client, { clock });
    expect(await secrets.get('cspulse/acme/pii-hash-key')).toBe('k-acme');
    expect(secretIds()).toEqual([{ SecretId: 'cspulse/acme/pii-hash-key' }]);
  });

  it('decodes SecretBinary as UTF-8', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([0xed, 0x82, 0xa4]) });
    // 키 is U+D0A4 = ED 82 A4 in UTF-8
    expect(await createSecretsManagerSecrets(client, { clock }).get('bin')).toBe('키');
  });

  it('reuses a value within the TTL and fetches it again after', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'v1' }).resolves({ SecretString: 'v2' });
    const secrets = createSecretsManagerSecrets(client, { clock, ttlMs: 60_000 });
    expect(await secrets.get('s')).toBe('v1');
    nowMs += 59_999;
    expect(await secrets.get('s')).toBe('v1');
    expect(secretIds()).toHaveLength(1);
    nowMs += 1;
    expect(await secrets.get('s')).toBe('v2');
    expect(secretIds()).toEqual([{ SecretId: 's' }, { SecretId: 's' }]);
  });

  it('shares one request among concurrent first calls and caches per name', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'a' }).resolves({ SecretString: 'A' });
    sm.on(GetSecretValueCommand, { SecretId: 'b' }).resolves({ SecretString: 'B' });
    const secrets = createSecretsManagerSecrets(client, { clock });
    expect(await Promise.all([secrets.get('a'), secrets.get('a'), secrets.get('b'), secrets.get('a')])).toEqual([
      'A',
      'A',
      'B',
      'A',
    ]);
    expect(secretIds()).toEqual([{ SecretId: 'a' }, { SecretId: 'b' }]);
  });

  it('maps ResourceNotFoundException to SecretNotFoundError and does not cache the failure', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} }),
      )
      .resolves({ SecretString: 'created-later' });
    const secrets = createSecretsManagerSecrets(client, { clock });
    const error = await secrets.get('cspulse/new/pii-hash-key').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect((error as SecretNotFoundError).secretName).toBe('cspulse/new/pii-hash-key');
    expect(await secrets.get('cspulse/new/pii-hash-key')).toBe('created-later');
    expect(secretIds()).toHaveLength(2);
  });

  it('rethrows other errors unchanged', async () => {
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    sm.on(GetSecretValueCommand).rejects(denied);
    await expect(createSecretsManagerSecrets(client, { clock }).get('x')).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
