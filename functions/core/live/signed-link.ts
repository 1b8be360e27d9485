/**
 * The live page's access: a link signed with the client's own link key and an expiry, so whoever holds a link
 * from the daily e-mail opens that client's page until it expires, and nobody can make one for another client or
 * a later date. `…/live/<client>?e=<expiry, seconds since the epoch>&s=<signature>`; the signature is
 * HMAC-SHA256 (RFC 2104) over a versioned text of the client id and the expiry, base64url without padding.
 * Verification recomputes it and compares in constant time (crypto.timingSafeEqual), so the time a wrong
 * signature takes to refuse says nothing about how much of it was right.
 *
 * The key is a secret of its own per client (`cspulse/<client>/live-link-key`), not the client's customer-key
 * secret: that one lets whoever holds it recompute a customer's key from a phone number, so it stays with the
 * ingest function alone, while the link key is read by the functions that make and check links, and rotating it
 * only ends the links already sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LinkRefusedError } from './errors.ts';

/** The longest a link may claim to live, whatever the signature: a month, the most `live.link_days` allows. */
export const MAX_LINK_SECONDS = 31 * 86_400 + 3_600;

export const linkKeySecretName = (clientId: string): string => `cspulse/${clientId}/live-link-key`;

const CLIENT = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
const EXPIRY = /^[1-9]\d{0,11}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

const payload = (clientId: string, expires: number): string => `cspulse-live/v1\n${clientId}\n${expires}`;

export function signLink(key: string, clientId: string, expires: number): string {
  return createHmac('sha256', key).update(payload(clientId, expires)).digest('base64url');
}

/** The path and query of a link to the client's page that opens it until `expiresAt`. */
export function livePath(key: string, clientId: string, expiresAt: Date, locale?: string): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const query = new URLSearchParams({ e: String(expires), s: signLink(key, clientId, expires) });
  if (locale !== undefined) query.set('lang', locale);
  return `/live/${clientId}?${query.toString()}`;
}

export function liveUrl(baseUrl: string, key: string, clientId: string, expiresAt: Date, locale?: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${livePath(key, clientId, expiresAt, locale)}`;
}

/**
 * Checks a link's client id, expiry and signature.
 * @throws LinkRefusedError `malformed` (not a link we make), `expired`, or `signature` (tampered, or signed for
 *   another client)
 */
export function verifyLink(key: string, clientId: string, e: string | null | undefined, s: string | null | undefined, now: Date): { expiresAt: Date } {
  if (!CLIENT.test(clientId) || e == null || s == null || !EXPIRY.test(e) || !SIGNATURE.test(s)) throw new LinkRefusedError('malformed');
  const expires = Number(e);
  // compared as text, not as decoded bytes: the last of 43 base64url characters carries two unused bits, so four
  // spellings decode to the same signature, and a link must have exactly one
  const expected = Buffer.from(signLink(key, clientId, expires), 'ascii');
  const given = Buffer.from(s, 'ascii');
  // both are 43 characters here; the length check only guards timingSafeEqual's contract
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new LinkRefusedError('signature');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (expires <= nowSeconds || expires > nowSeconds + MAX_LINK_SECONDS) throw new LinkRefusedError('expired');
  return { expiresAt: new Date(expires * 1000) };
}
