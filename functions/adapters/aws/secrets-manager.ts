import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretNotFoundError, systemClock, type Clock, type Secrets } from '../../core/ports.ts';

export interface SecretsManagerSecretsOptions {
  /** How long a fetched value is reused. Lambda containers live for minutes to hours; a rotated secret is
   * picked up within this time. */
  ttlMs?: number;
  clock?: Clock;
}

const DEFAULT_TTL_MS = 5 * 60 * 1000;

interface CacheEntry {
  value: Promise<string>;
  expiresAt: number;
}

/**
 * Secrets from AWS Secrets Manager, cached per container: a warm Lambda asks once per secret per TTL
 * instead of once per invocation. Concurrent first requests share one call; failures are not cached.
 */
export function createSecretsManagerSecrets(
  client: SecretsManagerClient,
  options: SecretsManagerSecretsOptions = {},
): Secrets {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const clock = options.clock ?? systemClock;
  const cache = new Map<string, CacheEntry>();

  async function fetch(name: string): Promise<string> {
    try {
      const response = await client.send(new GetSecretValueCommand({ SecretId: name }));
      if (response.SecretString !== undefined) return response.SecretString;
      if (response.SecretBinary !== undefined) return Buffer.from(response.SecretBinary).toString('utf8');
      throw new SecretNotFoundError(name);
    } catch (error) {
      if ((error as { name?: string } | undefined)?.name === 'ResourceNotFoundException') {
        throw new SecretNotFoundError(name, { cause: error });
      }
      throw error;
    }
  }

  return {
    get(name) {
      const now = clock.now().getTime();
      const cached = cache.get(name);
      if (cached !== undefined && cached.expiresAt > now) return cached.value;
      const value = fetch(name);
      const entry = { value, expiresAt: now + ttlMs };
      cache.set(name, entry);
      value.catch(() => {
        if (cache.get(name) === entry) cache.delete(name);
      });
      return value;
    },
  };
}
