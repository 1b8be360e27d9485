/**
 * The customer's phone number, e-mail or user id never reaches the lake: it is normalized so that the
 * spellings of one customer agree (`010-1234-5678`, `01012345678`, `+82 10-1234-5678`, `+821012345678`),
 * then replaced by HMAC-SHA256 under a per-client secret. Repeat-contact and FCR KPIs only need equality,
 * and a keyed hash cannot be reversed by hashing every Korean mobile number.
 */
import { createHmac } from 'node:crypto';

/** Values CTI systems write when the caller withheld the number. */
const HIDDEN = new Set([
  '',
  '발신번호표시제한',
  '발신번호 표시제한',
  '번호비공개',
  '비공개',
  '표시제한',
  'anonymous',
  'unknown',
  'private',
  'restricted',
  'withheld',
  'unavailable',
  'null',
  'none',
]);

const PHONE_LIKE = /^\+?[\d\s\-().]+$/;

/**
 * Canonical text of a customer identifier, namespaced so that a phone number and a user id with the same
 * digits stay different customers; null for a hidden or empty identifier.
 */
export function normalizeCustomer(raw: string | null): string | null {
  if (raw === null) return null;
  const value = raw.trim();
  if (HIDDEN.has(value.toLowerCase())) return null;
  if (value.includes('@')) return `email:${value.toLowerCase()}`;
  if (PHONE_LIKE.test(value)) {
    const digits = value.replace(/\D/g, '');
    if (digits.length === 0 || /^0+$/.test(digits)) return null;
    if (value.startsWith('+')) {
      // Korean numbers in international form become the national form customers and CTIs write.
      if (digits.startsWith('82')) return `tel:0${digits.slice(2).replace(/^0/, '')}`;
      return `tel:+${digits}`;
    }
    return `tel:${digits}`;
  }
  return `id:${value}`;
}

export type CustomerHasher = (raw: string | null) => string | null;

/** A hasher bound to one client's secret; caches recent results since repeat callers are common. */
export function customerHasher(secret: string): CustomerHasher {
  if (secret.length < 16) throw new Error('the customer-key secret must be at least 16 characters');
  const cache = new Map<string, string | null>();
  return (raw) => {
    if (raw === null) return null;
    const hit = cache.get(raw);
    if (hit !== undefined) return hit;
    const normalized = normalizeCustomer(raw);
    const key = normalized === null ? null : createHmac('sha256', secret).update(normalized).digest('hex');
    if (cache.size >= 50_000) cache.clear();
    cache.set(raw, key);
    return key;
  };
}
