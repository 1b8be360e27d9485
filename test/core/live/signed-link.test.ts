import { describe, expect, it } from 'vitest';
import { LinkRefusedError } from '../../../functions/core/live/errors.ts';
import { livePath, signLink, verifyLink } from '../../../functions/core/live/signed-link.ts';

const KEY = 'test-link-key';
const EXPIRES = 1_775_000_000; // 2026-03-31T23:33:20Z
const NOW = new Date('2026-03-31T02:00:30Z');

/**
 * The signature computed outside this code base, with OpenSSL:
 *   printf 'cspulse-live/v1\nlivemall\n1775000000' | openssl dgst -sha256 -hmac 'test-link-key' -binary | base64 | tr '+/' '-_' | tr -d '='
 */
const OPENSSL_SIGNATURE = 'pyIgIi7TSfnLosouD8Nfhpz63KHhzA8MMjCzeZZBJpE';

const refusal = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof LinkRefusedError) return error.reason;
    throw error;
  }
};

describe('signed links', () => {
  it('sign the client and the expiry with HMAC-SHA256, as OpenSSL computes it', () => {
    expect(signLink(KEY, 'livemall', EXPIRES)).toBe(OPENSSL_SIGNATURE);
    expect(livePath(KEY, 'livemall', new Date(EXPIRES * 1000), 'en')).toBe(`/live/livemall?e=${EXPIRES}&s=${OPENSSL_SIGNATURE}&lang=en`);
  });

  it('open the page until they expire', () => {
    expect(verifyLink(KEY, 'livemall', String(EXPIRES), OPENSSL_SIGNATURE, NOW)).toEqual({ expiresAt: new Date(EXPIRES * 1000) });
    expect(refusal(() => verifyLink(KEY, 'livemall', String(EXPIRES), OPENSSL_SIGNATURE, new Date(EXPIRES * 1000)))).toBe('expired');
  });

  it('refuse a tampered expiry, a tampered signature, another client and another key', () => {
    expect(refusal(() => verifyLink(KEY, 'livemall', String(EXPIRES + 86_400), OPENSSL_SIGNATURE, NOW))).toBe('signature');
    expect(refusal(() => verifyLink(KEY, 'livemall', String(EXPIRES), `q${OPENSSL_SIGNATURE.slice(1)}`, NOW))).toBe('signature');
    // E and F differ only in the two bits past the 256 of the signature: the same bytes, another link
    expect(refusal(() => verifyLink(KEY, 'livemall', String(EXPIRES), `${OPENSSL_SIGNATURE.slice(0, -1)}F`, NOW))).toBe('signature');
    expect(refusal(() => verifyLink(KEY, 'othermall', String(EXPIRES), OPENSSL_SIGNATURE, NOW))).toBe('signature');
    expect(refusal(() => verifyLink('another-key', 'livemall', String(EXPIRES), OPENSSL_SIGNATURE, NOW))).toBe('signature');
  });

  it('refuse what is not a link of ours, and a signed expiry past the longest a link may live', () => {
    for (const [e, s] of [
      [null, OPENSSL_SIGNATURE],
      [String(EXPIRES), null],
      ['1e9', OPENSSL_SIGNATURE],
      [`0${EXPIRES}`, OPENSSL_SIGNATURE],
      [String(EXPIRES), `${OPENSSL_SIGNATURE}A`],
      [String(EXPIRES), `+${OPENSSL_SIGNATURE.slice(1)}`],
    ] as const) {
      expect(refusal(() => verifyLink(KEY, 'livemall', e, s, NOW)), `${e} ${s}`).toBe('malformed');
    }
    const far = Math.floor(NOW.getTime() / 1000) + 60 * 86_400;
    expect(refusal(() => verifyLink(KEY, 'livemall', String(far), signLink(KEY, 'livemall', far), NOW))).toBe('expired');
  });
});
