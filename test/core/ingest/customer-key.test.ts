import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { customerHasher, normalizeCustomer } from '../../../functions/core/ingest/customer-key.ts';

describe('normalizeCustomer', () => {
  it('treats the usual spellings of one Korean mobile number as one customer', () => {
    const spellings = ['010-1234-5678', '01012345678', '+82 10-1234-5678', '+821012345678', ' 010 1234 5678 ', '+82 010-1234-5678'];
    expect(new Set(spellings.map(normalizeCustomer))).toEqual(new Set(['tel:01012345678']));
  });

  it('gives hidden caller ids no key', () => {
    for (const hidden of ['발신번호표시제한', '', '   ', 'anonymous', 'Anonymous', 'PRIVATE', '0000']) {
      expect(normalizeCustomer(hidden)).toBeNull();
    }
    expect(normalizeCustomer(null)).toBeNull();
  });

  it('lower-cases e-mail addresses and keeps user ids and foreign numbers apart', () => {
    expect(normalizeCustomer(' Kim@Example.COM ')).toBe('email:kim@example.com');
    expect(normalizeCustomer('user_8841')).toBe('id:user_8841');
    expect(normalizeCustomer('+1 (415) 555-0100')).toBe('tel:+14155550100');
  });
});

describe('customerHasher', () => {
  it('is HMAC-SHA256 of the normalized value under the client secret', () => {
    const secret = 'client-secret-0123456789';
    const hash = customerHasher(secret);
    const expected = createHmac('sha256', secret).update('tel:01012345678').digest('hex');
    expect(hash('+82 10-1234-5678')).toBe(expected);
    expect(hash('010-1234-5678')).toBe(expected);
    expect(hash('010-1234-5678')).not.toContain('1234');
  });

  it('gives different clients different keys for the same customer', () => {
    expect(customerHasher('secret-of-client-a-000')('01012345678')).not.toBe(
      customerHasher('secret-of-client-b-000')('01012345678'),
    );
  });

  it('refuses a short secret', () => {
    expect(() => customerHasher('short')).toThrow(/at least 16/);
  });
});
