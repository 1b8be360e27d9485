import { describe, expect, it } from 'vitest';
import { DEFAULT_SENDER, isReservedDomain, resolveSender, senderWarning } from '../../../functions/core/config/sender.ts';

describe('resolveSender', () => {
  it("takes the client's sender, else the deployment's default, else the placeholder", () => {
    expect(resolveSender({ sender: 'cs@shop.co.kr' }, 'reports@cs-partner.co.kr')).toBe('cs@shop.co.kr');
    expect(resolveSender({}, 'reports@cs-partner.co.kr')).toBe('reports@cs-partner.co.kr');
    expect(resolveSender({})).toBe(DEFAULT_SENDER);
  });
});

describe('isReservedDomain', () => {
  it('knows the RFC 2606 / 6761 names and nothing that merely contains them', () => {
    for (const d of ['example.com', 'cspulse.example.com', 'EXAMPLE.org', 'a.example', 'x.test', 'y.invalid', 'localhost', 'host.local']) {
      expect(isReservedDomain(d), d).toBe(true);
    }
    for (const d of ['example.co.kr', 'myexample.com', 'example.com.au', 'testing.io', 'localhost.kr', 'cs-partner.co.kr']) {
      expect(isReservedDomain(d), d).toBe(false);
    }
  });
});

describe('senderWarning', () => {
  it('is silent for a sender on a real domain', () => {
    expect(senderWarning({ sender: 'reports@cs-partner.co.kr' })).toBeUndefined();
  });
  it('names the missing sender and the placeholder default', () => {
    expect(senderWarning({})).toMatch(/^no sender: .*reports@cspulse\.example\.com/);
  });
});
