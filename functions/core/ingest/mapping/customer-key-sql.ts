/**
 * The customer key in SQL. A million distinct phone numbers cannot each make a round trip through
 * libphonenumber in JS, so the spellings customer-key.ts keys without a numbering plan (its `shortcutKey`:
 * Korean numbers with their 0, +82 10…, +82 2…–9…, +1 NXX NXX XXXX) and the hidden all-zero numbers are
 * normalized here with the same rule; every other value is normalized once per distinct value by
 * `normalizeCustomer` itself and joined back. test/core/ingest/mapping/customer-key-sql.test.ts compares the
 * two on generated spellings.
 *
 * The key is HMAC-SHA256 (RFC 2104) of the normalized text, computed by the engine from the padded key
 * blocks, and equal to `createHmac('sha256', secret).update(normalized).digest('hex')`.
 */
import { createHash } from 'node:crypto';
import type { CustomerKeyScope } from '../customer-key.ts';

/**
 * The digits of a raw customer value, the input of the shortcut rule (computed once per row). Most numbers are
 * written with dashes only; two replaces are half the cost of the regular expression the rest take.
 */
export const customerDigitsSql = (v: string): string =>
  `CASE WHEN contains(${v}, ' ') OR contains(${v}, '(') OR contains(${v}, ')') OR contains(${v}, '.') ` +
  `THEN regexp_replace(${v}, '[^0-9]+', '', 'g') ELSE replace(replace(${v}, '-', ''), '+', '') END`;

/**
 * SQL giving the normalized text of a trimmed raw customer value `v` (with its digits, customerDigitsSql)
 * where the shortcut rule decides it, '' for a hidden number (no key), and NULL where `normalizeCustomer`
 * must decide.
 */
export function shortcutNormalizedSql(v: string, digits: string, scope: CustomerKeyScope): string {
  // a source of user ids only: no spelling is a phone number, each distinct id is keyed by normalizeCustomer
  if (scope.customerKind === 'user_id') return 'CAST(NULL AS VARCHAR)';
  const korean = scope.phoneRegion === 'KR' ? `WHEN NOT starts_with(${v}, '+') AND starts_with(${digits}, '0') AND NOT starts_with(${digits}, '00') THEN 'tel:' || ${digits} ` : '';
  return (
    `CASE WHEN NOT regexp_full_match(${v}, '[+]?[0-9 ().-]+') THEN NULL ` +
    `WHEN ltrim(${digits}, '0') = '' THEN '' ` +
    `WHEN starts_with(${v}, '+') AND regexp_matches(${digits}, '^820?(10|[2-9])') THEN 'tel:0' || regexp_replace(substr(${digits}, 3), '^0', '') ` +
    `WHEN starts_with(${v}, '+') AND length(${digits}) = 11 AND starts_with(${digits}, '1') AND substr(${digits}, 2, 1) >= '2' THEN 'tel:+' || ${digits} ` +
    `${korean}ELSE NULL END`
  );
}

/** The two padded key blocks of HMAC-SHA256 for a secret (RFC 2104: keys longer than a block are hashed). */
export function hmacPads(secret: string): { inner: Uint8Array; outer: Uint8Array } {
  let key = Buffer.from(secret, 'utf8');
  if (key.length > 64) key = createHash('sha256').update(key).digest();
  const block = Buffer.alloc(64);
  key.copy(block);
  return { inner: block.map((b) => b ^ 0x36), outer: block.map((b) => b ^ 0x5c) };
}

/**
 * SQL for the hex HMAC of `normalized`; `pads` are SQL expressions for the BLOB pads (a table holds them, so
 * no key material is ever part of a statement's text, which errors carry).
 */
export const hmacSql = (normalized: string, pads: { inner: string; outer: string }): string =>
  `sha256(${pads.outer} || unhex(sha256(${pads.inner} || encode(${normalized}))))`;
