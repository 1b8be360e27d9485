/**
 * Masking of contact details in free text. Each planted value below is one a customer could type, with what a
 * person expects to remain of it worked out by hand; the first group are the 13 spellings that once reached
 * report e-mails unmasked.
 */
import { describe, expect, it } from 'vitest';
import { maskContactDetails, normalizeForMatching } from '../../../functions/core/privacy/mask.ts';

const cases = (rows: [string, string][]) => rows.map(([input, expected]) => ({ input, expected }));

describe('spellings that once got through', () => {
  it.each(
    cases([
      // fullwidth digits and hyphen-minus
      ['연락처 ０１０－１２３４－５６７８ 입니다', '연락처 ***-****-**** 입니다'],
      // Arabic-Indic digits
      ['رقمي ٠١٠١٢٣٤٥٦٧٨ شكرا', 'رقمي *********** شكرا'],
      // mathematical bold digits
      ['전화 𝟎𝟏𝟎 𝟏𝟐𝟑𝟒 𝟓𝟔𝟕𝟖', '전화 *** **** ****'],
      // en dash, the Hangul vowel ㅡ, slash, underscore, middle dot, fullwidth comma as separators
      ['010–1234–5678로 연락', '***-****-****로 연락'],
      ['010ㅡ1234ㅡ5678', '***-****-****'],
      ['010/1234/5678', '***/****/****'],
      ['010_1234_5678', '***_****_****'],
      ['010·1234·5678', '***.****.****'],
      ['010，1234，5678', '***,****,****'],
      // zero-width spaces between the digits
      ['010\u200b1234\u200b5678 주세요', '*********** 주세요'],
      // IDN, fullwidth at sign, single-label domain
      ['메일 홍길동@회사.한국 으로', '메일 ***@*** 으로'],
      ['kim＠shop.co.kr 로 보내주세요', '***@*** 로 보내주세요'],
      ['root@localhost 에게', '***@*** 에게'],
      // address literals and a quoted local part
      ['ops@[192.0.2.10] or x@[IPv6:2001:db8::1]', '***@*** or ***@***'],
      ['"kim cs"@example.com 입니다', '***@*** 입니다'],
    ]),
  )('$input', ({ input, expected }) => {
    expect(maskContactDetails(input)).toBe(expected);
  });
});

describe('phone numbers per supported country, as customers write them', () => {
  it.each(
    cases([
      // KR: mobile, Seoul landline (9 digits), with the country code
      ['010-1234-5678', '***-****-****'],
      ['01012345678', '***********'],
      ['+82 10-1234-5678', '+** **-****-****'],
      ['02-123-4567', '**-***-****'],
      // US
      ['(415) 555-0123', '(***) ***-****'],
      ['+1 415.555.0123', '+* ***.***.****'],
      // IN
      ['+91 98765 43210', '+** ***** *****'],
      // JP
      ['03-1234-5678', '**-****-****'],
      // GB
      ['+44 20 7946 0958', '+** ** **** ****'],
      // DE
      ['+49 (30) 12345678', '+** (**) ********'],
      // RU
      ['+7 (495) 123-45-67', '+* (***) ***-**-**'],
    ]),
  )('$input', ({ input, expected }) => {
    expect(maskContactDetails(input)).toBe(expected);
  });
});

describe('what is left alone', () => {
  it.each([
    '주문번호 12345678 환불 요청',
    '3,000원 할인 쿠폰',
    '2026-03-02 배송 예정',
    '10시 30분에 전화 주세요',
    '상담원 이상담 님 친절했어요 ㅋㅋㅋ',
    'N/A',
  ])('%s', (text) => {
    expect(maskContactDetails(text)).toBe(text);
  });

  it('the rest of the comment stays as written, masks in place', () => {
    expect(maskContactDetails('mail me: kim.cs+1@shop.co.kr or +82 10 1234 5678, order 12345')).toBe('mail me: ***@*** or +** ** **** ****, order 12345');
    expect(maskContactDetails('ａｂｃ ０１０-１２３４-５６７８ ａｂｃ')).toBe('ａｂｃ ***-****-**** ａｂｃ');
  });

  it('normalization maps every unit back to the original span', () => {
    const n = normalizeForMatching('a\u200b１');
    expect(n.text).toBe('a1');
    expect([n.starts, n.ends]).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });
});
