/**
 * Collector secrets hold either `{"username","password"}` (HTTP basic auth) or `{"token"}` (bearer token).
 * Anything else is rejected with a message that names the secret but never echoes its value.
 */
import { CredentialsFormatError } from './errors.ts';

export type PullCredentials =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string };

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function parseCredentials(secretName: string, secretText: string): PullCredentials {
  let value: unknown;
  try {
    value = JSON.parse(secretText);
  } catch (cause) {
    throw new CredentialsFormatError(`secret ${secretName} is not JSON; expected {"username","password"} or {"token"}`, {
      cause,
    });
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (isNonEmptyString(record.token)) return { kind: 'bearer', token: record.token };
    if (isNonEmptyString(record.username) && typeof record.password === 'string') {
      return { kind: 'basic', username: record.username, password: record.password };
    }
  }
  throw new CredentialsFormatError(
    `secret ${secretName} must hold {"username","password"} for basic auth or {"token"} for a bearer token`,
  );
}

export function authorizationHeader(credentials: PullCredentials): string {
  if (credentials.kind === 'bearer') return `Bearer ${credentials.token}`;
  const pair = `${credentials.username}:${credentials.password}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}
