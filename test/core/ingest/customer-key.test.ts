import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import {
  classifyCustomer,
  customerHasher,
  customerKeyScope,
  customerSampleReport,
  normalizeCustomer,
  type CustomerKeyScope,
} from '../../../functions/core/ingest/customer-key.ts';

const KR: CustomerKeyScope = { phoneRegion: 'KR' };
const US: CustomerKeyScope = { phoneRegion: 'US' };
const JP: CustomerKeyScope = { phoneRegion: 'JP' };
const GB: CustomerKeyScope = { phoneRegion: 'GB' };

const keysOf = (spellings: readonly string[], scope: CustomerKeyScope): Set<string | null> =>
  new Set(spellings.map((s) => normalizeCustomer(s, scope)));

/**
 * Hand-picked spellings per country: each entry is one number as CTI exports, chat platforms and people
 * write it, with the key worked out by hand (E.164, or the national digits for Korea). Numbers are from the
 * ranges regulators keep for fiction where one exists (US 555-01xx, Ofcom's 020 7946 0xxx / 0161 496 0xxx).
 */
const NUMBERS: { country: string; scope: CustomerKeyScope; key: string; spellings: string[] }[] = [
  {
    country: 'KR mobile',
    scope: KR,
    key: 'tel:01012345678',
    spellings: ['010-1234-5678', '01012345678', '010 1234 5678', '010.1234.5678', '(010) 1234-5678', '+82 10-1234-5678',
      '+821012345678', '+82 010-1234-5678', '+82-10-1234-5678', ' 010 1234 5678 ', '０１０－１２３４－５６７８', '001-82-10-1234-5678'],
  },
  { country: 'KR mobile', scope: KR, key: 'tel:01012345679', spellings: ['010-1234-5679', '+82 10 1234 5679'] },
  { country: 'KR mobile', scope: KR, key: 'tel:01098765432', spellings: ['010-9876-5432', '+82 10-9876-5432'] },
  { country: 'KR Seoul', scope: KR, key: 'tel:021234567', spellings: ['02-123-4567', '021234567', '(02) 123-4567', '+82 2-123-4567', '+82-2-1234567'] },
  { country: 'KR Gyeonggi', scope: KR, key: 'tel:0311234567', spellings: ['031-123-4567', '+82 31 123 4567'] },
  { country: 'KR internet phone', scope: KR, key: 'tel:07012345678', spellings: ['070-1234-5678', '+82 70-1234-5678'] },
  {
    country: 'US',
    scope: US,
    key: 'tel:+14155550123',
    spellings: ['(415) 555-0123', '415-555-0123', '415.555.0123', '4155550123', '415 555 0123', '1-415-555-0123', '1 (415) 555-0123',
      '+1 415-555-0123', '+1 (415) 555-0123', '+14155550123', '+1.415.555.0123'],
  },
  { country: 'US', scope: US, key: 'tel:+14155550124', spellings: ['(415) 555-0124', '+1 415 555 0124'] },
  { country: 'US', scope: US, key: 'tel:+16505550123', spellings: ['(650) 555-0123', '+1-650-555-0123'] },
  {
    country: 'JP mobile',
    scope: JP,
    key: 'tel:+819012345678',
    spellings: ['090-1234-5678', '09012345678', '090 1234 5678', '+81 90-1234-5678', '+819012345678', '+81-90-1234-5678',
      '０９０－１２３４－５６７８', '（090）1234-5678', '010-81-90-1234-5678'],
  },
  { country: 'JP mobile', scope: JP, key: 'tel:+818012345678', spellings: ['080-1234-5678', '+81 80 1234 5678'] },
  { country: 'JP Tokyo', scope: JP, key: 'tel:+81312345678', spellings: ['03-1234-5678', '0312345678', '(03) 1234-5678', '+81 3-1234-5678'] },
  { country: 'JP Osaka', scope: JP, key: 'tel:+81612345678', spellings: ['06-1234-5678', '+81 6 1234 5678'] },
  {
    country: 'GB London',
    scope: GB,
    key: 'tel:+442079460018',
    spellings: ['020 7946 0018', '02079460018', '(020) 7946 0018', '020-7946-0018', '+44 20 7946 0018', '+44 (0)20 7946 0018',
      '+442079460018', '0044 20 7946 0018', '00 44 20 7946 0018'],
  },
  { country: 'GB London', scope: GB, key: 'tel:+442079460019', spellings: ['020 7946 0019', '+44 20 7946 0019'] },
  { country: 'GB Manchester', scope: GB, key: 'tel:+441614960000', spellings: ['0161 496 0000', '+44 161 496 0000', '(0161) 496 0000'] },
];

describe('normalizeCustomer: one number, one key, in any country', () => {
  for (const { country, scope, key, spellings } of NUMBERS) {
    it(`${country}: every spelling of ${spellings[0]} gives ${key}`, () => {
      expect(keysOf(spellings, scope)).toEqual(new Set([key]));
      expect(spellings.every((s) => classifyCustomer(s, scope).kind === 'phone')).toBe(true);
    });
  }

  it('never gives two different numbers one key, across countries too', () => {
    const all = NUMBERS.map(({ key }) => key);
    expect(new Set(all).size).toBe(all.length);
  });

  it('gives an international spelling the same key whatever the client region', () => {
    for (const scope of [KR, US, JP, GB, {}]) {
      expect(normalizeCustomer('+1 415-555-0123', scope)).toBe('tel:+14155550123');
      expect(normalizeCustomer('+82 10-1234-5678', scope)).toBe('tel:01012345678');
      expect(normalizeCustomer('+44 20 7946 0018', scope)).toBe('tel:+442079460018');
    }
  });

  it('reads a foreign number dialled through the international prefix of the region', () => {
    expect(normalizeCustomer('001-1-415-555-0123', KR)).toBe('tel:+14155550123'); // KT's 001
    expect(normalizeCustomer('011 44 20 7946 0018', US)).toBe('tel:+442079460018'); // NANP's 011
    expect(normalizeCustomer('010-44-20-7946-0018', JP)).toBe('tel:+442079460018'); // Japan's 010
  });
});

describe('normalizeCustomer: what keeps the digits-only rule', () => {
  it('keeps national spellings that leave out the trunk prefix, and country codes without a plus', () => {
    // The national format of 010-1234-5678 has the 0, of (415) 555-0123 none: only the Korean one falls back.
    expect(classifyCustomer('1012345678', KR)).toEqual({ kind: 'phone_fallback', normalized: 'tel:1012345678' });
    expect(classifyCustomer('82-10-1234-5678', KR)).toEqual({ kind: 'phone_fallback', normalized: 'tel:821012345678' });
    expect(classifyCustomer('9012345678', JP)).toEqual({ kind: 'phone_fallback', normalized: 'tel:9012345678' });
    expect(classifyCustomer('2079460018', GB)).toEqual({ kind: 'phone_fallback', normalized: 'tel:2079460018' });
    // An Anonymous Bank customer number is a valid Israeli landline if one adds the 0 it does not have.
    expect(classifyCustomer('26102034', { phoneRegion: 'IL' })).toEqual({ kind: 'phone_fallback', normalized: 'tel:26102034' });
    expect(normalizeCustomer('02-610-2034', { phoneRegion: 'IL' })).toBe('tel:+97226102034');
  });

  it('keeps numbers of the wrong length and national spellings without a region', () => {
    expect(classifyCustomer('555-0123', US)).toEqual({ kind: 'phone_fallback', normalized: 'tel:5550123' });
    expect(classifyCustomer('+1 415 555', US)).toEqual({ kind: 'phone_fallback', normalized: 'tel:+1415555' });
    expect(classifyCustomer('+82 123', KR)).toEqual({ kind: 'phone_fallback', normalized: 'tel:0123' });
    expect(classifyCustomer('(415) 555-0123', {})).toEqual({ kind: 'phone_fallback', normalized: 'tel:4155550123' });
    expect(classifyCustomer('010-1234-5678', {})).toEqual({ kind: 'phone_fallback', normalized: 'tel:01012345678' });
  });

  it('keeps a Korean number the same key as the digits-only rule whether or not the plan places it', () => {
    // 010-0000-1234 is not a Korean mobile range libphonenumber accepts; its key is still its digits.
    expect(normalizeCustomer('010-0000-1234', KR)).toBe(normalizeCustomer('010-0000-1234', {}));
    expect(normalizeCustomer('010-1234-5678', KR)).toBe(normalizeCustomer('010-1234-5678', {}));
  });
});

describe('normalizeCustomer: hidden ids, e-mails and user ids', () => {
  it('gives hidden caller ids no key', () => {
    for (const hidden of ['발신번호표시제한', '', '   ', 'anonymous', 'Anonymous', 'PRIVATE', '0000', '+0', '---', '００００']) {
      expect(classifyCustomer(hidden, KR)).toEqual({ kind: 'hidden', normalized: null });
    }
    expect(normalizeCustomer(null, US)).toBeNull();
  });

  it('lower-cases, trims and NFC-normalizes e-mail addresses', () => {
    expect(normalizeCustomer(' Kim@Example.COM ', KR)).toBe('email:kim@example.com');
    // é as one code point (NFC) and as e + combining acute (NFD, how macOS writes file names and pastes)
    expect(normalizeCustomer('Jos\u00e9@Example.com')).toBe('email:jos\u00e9@example.com');
    expect(normalizeCustomer('Jose\u0301@example.com')).toBe('email:jos\u00e9@example.com');
    // 김민지 precomposed and as conjoining jamo
    expect(normalizeCustomer('\uae40\ubbfc\uc9c0@example.kr')).toBe(normalizeCustomer('\u1100\u1175\u11b7\u1106\u1175\u11ab\u110c\u1175@example.kr'));
  });

  it('keeps user ids as written, and apart from a phone number with the same digits', () => {
    expect(normalizeCustomer('user_8841', KR)).toBe('id:user_8841');
    expect(normalizeCustomer('USER_8841', KR)).toBe('id:USER_8841');
    expect(normalizeCustomer('+1 415-555-0123 ext. 12', US)).toBe('id:+1 415-555-0123 ext. 12');
  });

  it('namespaces the user ids of a source that says they are its own, never its phone numbers or e-mails', () => {
    const chat: CustomerKeyScope = { phoneRegion: 'US', userIdNamespace: 'chat' };
    expect(normalizeCustomer('user_8841', chat)).toBe('id@chat:user_8841');
    expect(normalizeCustomer('user_8841', { ...chat, userIdNamespace: 'board' })).toBe('id@board:user_8841');
    // a global user id that itself contains the namespace and a colon is still another customer
    expect(normalizeCustomer('chat:user_8841', US)).toBe('id:chat:user_8841');
    expect(normalizeCustomer('(415) 555-0123', chat)).toBe('tel:+14155550123');
    expect(normalizeCustomer('Kim@Example.com', chat)).toBe('email:kim@example.com');
  });

  it('keys every value of a source of user ids as its id, so none joins a caller with the same digits', () => {
    const zendesk: CustomerKeyScope = { phoneRegion: 'US', userIdNamespace: 'zendesk', customerKind: 'user_id' };
    // read by its spelling, this requester id is the US number (234) 567-8901 a CTI would key the same way
    expect(normalizeCustomer('12345678901', US)).toBe('tel:+12345678901');
    expect(normalizeCustomer('(234) 567-8901', US)).toBe('tel:+12345678901');
    expect(classifyCustomer('12345678901', zendesk)).toEqual({ kind: 'user_id', normalized: 'id@zendesk:12345678901' });
    // as written, trimmed: neither an e-mail (lower-cased) nor a hidden all-zero number
    expect(classifyCustomer(' Kim@Example.com ', zendesk)).toEqual({ kind: 'user_id', normalized: 'id@zendesk:Kim@Example.com' });
    expect(normalizeCustomer('0000', zendesk)).toBe('id@zendesk:0000');
    expect(normalizeCustomer('12345678901', { customerKind: 'user_id' })).toBe('id:12345678901');
    // an empty or withheld value still gives no key
    expect(normalizeCustomer('', zendesk)).toBeNull();
    expect(normalizeCustomer('anonymous', zendesk)).toBeNull();
    expect(normalizeCustomer(null, zendesk)).toBeNull();
  });

  it('never throws and is stable on its own output class, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom<CustomerKeyScope>(KR, US, JP, GB, {}), (raw, scope) => {
        const { kind, normalized } = classifyCustomer(raw, scope);
        expect(normalized === null).toBe(kind === 'hidden');
        expect(classifyCustomer(raw, scope).normalized).toBe(normalized);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeCustomer: tel: and sip: URIs', () => {
  it('reads a tel: URI (RFC 3966) by its number: the same customer as the CTI\'s spelling', () => {
    // Genesys Cloud writes the customer as tel:+<E.164>; a Korean CTI writes 010-1234-5678
    const cti = normalizeCustomer('010-1234-5678', KR);
    expect(cti).toBe('tel:01012345678');
    for (const uri of ['tel:+821012345678', 'tel:+82-10-1234-5678', 'TEL:+82.10.1234.5678', 'tel:+82-10-1234-5678;ext=12', 'tel:010-1234-5678;phone-context=+82']) {
      expect(normalizeCustomer(uri, KR), uri).toBe(cti);
    }
    expect(normalizeCustomer('tel:+14155550123', KR)).toBe(normalizeCustomer('(415) 555-0123', US));
    expect(normalizeCustomer('tel:+14155550123', KR)).toBe('tel:+14155550123');
  });

  it('reads a sip: URI (RFC 3261) by its user part, parameters and host left out', () => {
    const key = normalizeCustomer('+1 415-555-0123', US);
    for (const uri of ['sip:+14155550123@trunk.example.com;user=phone', 'sips:+14155550123@10.0.0.1:5061', 'sip:%2B14155550123@pbx.example.com', 'sip:4155550123@pbx.example.com']) {
      expect(normalizeCustomer(uri, US), uri).toBe(key);
    }
  });

  it('keys a SIP user that is no number by the URI without its parameters, and hidden users by none', () => {
    expect(normalizeCustomer('sip:Alice@PBX.example.com;transport=tls', US)).toBe('id:sip:alice@pbx.example.com');
    expect(normalizeCustomer('sip:anonymous@anonymous.invalid', US)).toBeNull();
    expect(normalizeCustomer('tel:', US)).toBeNull();
    // a source of user ids keeps every value as written, URIs too
    expect(normalizeCustomer('tel:+14155550123', { ...US, customerKind: 'user_id' })).toBe('id:tel:+14155550123');
  });

  it('counts the URIs of a sample by what their user part is', () => {
    const report = customerSampleReport(['tel:+14155550123', 'sip:+14155550124@trunk.example.com', 'sip:alice@pbx.example.com', 'tel:555-0199', '650-555-0123'], US);
    expect(report).toMatchObject({ values: 5, phone: 3, phone_fallback: 1, user_id: 1, uri: 4 });
    expect(report.fallback_shapes).toEqual([{ shape: 'tel:###-####', count: 1 }]);
  });
});

describe('the shortcuts past the numbering plan', () => {
  // The plan as libphonenumber-js answers it directly: the number it reads and whether it places it (a
  // national spelling must be valid, an international one of possible length).
  const plan = (value: string, region: CountryCode) => {
    const n = parsePhoneNumberFromString(value, region);
    if (n === undefined || !(value.startsWith('+') ? n.isPossible() : n.isValid())) return undefined;
    const national = n.formatNational().replace(/\D/g, '');
    // "as written": the digits after the 0 or the calling code are the national number, and the national
    // format is that number with its 0 (not so for 15xx/16xx service numbers, which nobody dials with a 0)
    const significant = national === `0${n.nationalNumber}` || n.countryCallingCode === '1' ? n.nationalNumber : undefined;
    if (n.countryCallingCode !== '82') return { significant, key: `tel:${n.number}` };
    return n.isValid() ? { significant, key: `tel:${national}` } : undefined;
  };
  // The shortcuts are the digits-only rule (a Korean key stays what it was) and must agree with the plan
  // wherever the plan reads the number as written. Where it reads the digits otherwise (a carrier-selection
  // code after the 0, a 0 put before a 16xx service number) nobody dials that spelling, and the old key is kept.
  const check = (values: fc.Arbitrary<string>, region: CountryCode, writtenSignificant: (digits: string) => string) =>
    fc.assert(
      fc.property(values, (value) => {
        const digits = value.replace(/\D/g, '');
        const key = normalizeCustomer(value, { phoneRegion: region });
        expect(key).toBe(legacyDigitsRule(value));
        const placed = plan(value, region);
        if (placed !== undefined && placed.significant === writtenSignificant(digits)) expect(key).toBe(placed.key);
      }),
      { numRuns: 3000 },
    );
  const legacyDigitsRule = (value: string): string => {
    const digits = value.replace(/\D/g, '');
    if (!value.startsWith('+')) return `tel:${digits}`;
    return digits.startsWith('82') ? `tel:0${digits.slice(2).replace(/^0/, '')}` : `tel:+${digits}`;
  };
  const tail = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));

  it('keys a Korean national spelling with its 0 by its digits, as the plan does where it reads it so', () => {
    // every leading-digit class after the 0, national numbers of 8 to 11 digits, with or without hyphens
    const values = fc
      .tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 6, max: 9 }).chain(tail), fc.boolean())
      .map(([lead, rest, dashed]) => (dashed ? `0${lead}-${rest.slice(0, 4)}-${rest.slice(4)}` : `0${lead}${rest}`));
    check(values, 'KR', (digits) => digits.slice(1));
  });

  it('keys +82 10… and +82 2…–9… by the digits rule, as the plan does where it reads them so', () => {
    const values = fc
      .tuple(fc.constantFrom('', '0'), fc.constantFrom('10', ...Array.from({ length: 80 }, (_, i) => String(i + 20))), fc.integer({ min: 5, max: 9 }).chain(tail))
      .map(([zero, lead, rest]) => `+82 ${zero}${lead}-${rest}`);
    check(values, 'KR', (digits) => digits.slice(2).replace(/^0/, ''));
  });

  it('keys +1 NXX NXX XXXX as the plan does', () => {
    const values = fc
      .tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 200, max: 999 }), tail(4), fc.boolean())
      .map(([area, exchange, line, spaced]) => (spaced ? `+1 ${area} ${exchange} ${line}` : `+1${area}${exchange}${line}`));
    for (const region of ['US', 'KR', 'GB'] as const) check(values, region, (digits) => digits.slice(1));
  });

  it('counts most of these spellings as placed by the plan, so the comparison above is not empty', () => {
    const placed = ['010-1234-5678', '02-123-4567', '+82 10-1234-5678', '+82 31 123 4567', '+1 415 555 0123'].filter(
      (v) => classifyCustomer(v, KR).kind === 'phone',
    );
    expect(placed).toHaveLength(5);
  });
});

describe('customerKeyScope', () => {
  it('reads the region from phone_region, else from the zone, and the namespace from the source', () => {
    expect(customerKeyScope({ timezone: 'Asia/Seoul' })).toEqual({ phoneRegion: 'KR', userIdNamespace: undefined });
    expect(customerKeyScope({ timezone: 'America/Los_Angeles' }, { user_id_namespace: 'chat' })).toEqual({ phoneRegion: 'US', userIdNamespace: 'chat' });
    expect(customerKeyScope({ timezone: 'Asia/Seoul', phone_region: 'JP' }).phoneRegion).toBe('JP');
    expect(customerKeyScope({ timezone: 'UTC' }).phoneRegion).toBeUndefined();
  });

  it('reads customer_kind from the source; auto is the default', () => {
    expect(customerKeyScope({ timezone: 'Asia/Kolkata' }, { user_id_namespace: 'zendesk', customer_kind: 'user_id' })).toEqual({
      phoneRegion: 'IN',
      userIdNamespace: 'zendesk',
      customerKind: 'user_id',
    });
    expect(customerKeyScope({ timezone: 'Asia/Seoul' }, { customer_kind: 'auto' }).customerKind).toBeUndefined();
  });
});

describe('customerHasher', () => {
  const secret = 'client-secret-0123456789';
  const hmac = (text: string): string => createHmac('sha256', secret).update(text).digest('hex');

  it('is HMAC-SHA256 of the normalized value under the client secret', () => {
    const hash = customerHasher(secret);
    expect(hash('+82 10-1234-5678')).toBe(hmac('tel:01012345678'));
    expect(hash('010-1234-5678')).toBe(hmac('tel:01012345678'));
    expect(hash('010-1234-5678')).not.toContain('1234');
    expect(hash(null)).toBeNull();
    expect(hash('발신번호표시제한')).toBeNull();
  });

  it('reads national numbers in the region it was given, and in a per-call scope', () => {
    const us = customerHasher(secret, US);
    expect(us('(415) 555-0123')).toBe(hmac('tel:+14155550123'));
    expect(us('(415) 555-0123')).toBe(us('+1 415-555-0123'));
    const plain = customerHasher(secret);
    expect(plain('(415) 555-0123')).toBe(hmac('tel:4155550123'));
    expect(plain('(415) 555-0123', US)).toBe(hmac('tel:+14155550123'));
  });

  it('keeps the cached keys of one scope out of another', () => {
    const hash = customerHasher(secret, US);
    const chat = { userIdNamespace: 'chat' };
    expect(hash('user_8841')).toBe(hmac('id:user_8841'));
    expect(hash('user_8841', chat)).toBe(hmac('id@chat:user_8841'));
    expect(hash('user_8841', { userIdNamespace: 'chat' })).toBe(hmac('id@chat:user_8841'));
    expect(hash('user_8841')).toBe(hmac('id:user_8841'));
    // the namespaced scope still reads phone numbers in the hasher's region
    expect(hash('(415) 555-0123', chat)).toBe(hmac('tel:+14155550123'));
    // a source of user ids keeps its own cache: the same digits are a phone number elsewhere
    expect(hash('4155550123')).toBe(hmac('tel:+14155550123'));
    expect(hash('4155550123', { customerKind: 'user_id' })).toBe(hmac('id:4155550123'));
    expect(hash('4155550123')).toBe(hmac('tel:+14155550123'));
  });

  it('gives different clients different keys for the same customer', () => {
    expect(customerHasher('secret-of-client-a-000')('01012345678')).not.toBe(customerHasher('secret-of-client-b-000')('01012345678'));
  });

  it('refuses a short secret', () => {
    expect(() => customerHasher('short')).toThrow(/at least 16/);
  });
});

describe('customerSampleReport', () => {
  it('counts every kind of value and shows the fallback spellings without their digits', () => {
    // By hand, for a US client:
    //   phone (4): (415) 555-0123, +1 415-555-0123, 650-555-0123, +82 10-1234-5678
    //   phone_fallback (3): 555-0123 and 555-0199 (###-####, no area code), 1012 (####)
    //   hidden (3): '', anonymous, null       email (1)       user_id (2)
    const sample = ['(415) 555-0123', '+1 415-555-0123', '650-555-0123', '+82 10-1234-5678', '555-0123', '555-0199', '1012',
      '', 'anonymous', null, 'Kim@example.com', 'user_8841', 'member 17'];
    expect(customerSampleReport(sample, US)).toEqual({
      phone_region: 'US',
      values: 13,
      hidden: 3,
      email: 1,
      user_id: 2,
      phone: 4,
      phone_fallback: 3,
      uri: 0,
      fallback_shapes: [
        { shape: '###-####', count: 2 },
        { shape: '####', count: 1 },
      ],
    });
  });

  it('shows that without a region every national spelling falls back', () => {
    const report = customerSampleReport(['(415) 555-0123', '415-555-0124', '+1 415-555-0123'], {});
    expect(report).toMatchObject({ phone_region: null, phone: 1, phone_fallback: 2 });
    expect(report.fallback_shapes).toEqual([
      { shape: '###-###-####', count: 1 },
      { shape: '(###) ###-####', count: 1 },
    ]);
  });
});
