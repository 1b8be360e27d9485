/**
 * Masking of phone numbers and e-mail addresses in free text (survey comments), for the report and for the
 * lake: customers type their contact details into comments, and neither may reach a report e-mail or the
 * analysts' tables. The raw text stays only in the raw bucket.
 *
 * Matching runs on a normalized copy of the text, so a detail is found however it is spelt:
 * - every character NFKC-normalized one by one (fullwidth ０１０ and ＠, mathematical 𝟎𝟏𝟎, circled and
 *   superscript digits become ASCII);
 * - digits of every script folded to 0–9 (Arabic-Indic ٠١٠, Devanagari, Thai …: \p{Nd} by its place in its run
 *   of ten);
 * - dashes folded to "-" (every \p{Pd}, the minus sign, and ㅡ, the Hangul vowel Koreans type as a dash),
 *   middle dots to ".", and invisible format characters (zero-width space and joiners, bidi controls, the BOM:
 *   \p{Cf}) dropped.
 * A match is then masked in the original text (its span mapped back), so the rest of a comment is shown as the
 * customer wrote it.
 *
 * Shapes (tested per supported country in test/core/privacy/mask.test.ts):
 * - phone: 9 or more digits in one run, optionally after "+", separated by up to three of space . - ( ) / _ ,
 *   between digits: every national number of KR (02-123-4567 is 9), US, IN, JP, GB, DE and RU has 9 or more;
 *   order numbers and prices of up to 8 digits are left alone. Shown with its digits starred
 *   (+** **-****-****), so a reader sees that a number was there.
 * - e-mail: a local part (dot-atom of letters of any script, digits and RFC 5322 atext, or a quoted string)
 *   "@" a domain (labels of letters of any script and digits: IDN such as 회사.한국, a single label such as
 *   localhost, or an address literal [192.0.2.1] / [IPv6:2001:db8::1]). Shown as ***@***.
 */

const PHONE = /\+?\d(?:[ .\-()/_,]{0,3}\d)+/g;
const MIN_PHONE_DIGITS = 9;
const LOCAL_ATOM = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,62}[\\p{L}\\p{M}\\p{N}])?';
const EMAIL = new RegExp(
  `(?:"[^"\\n]{1,64}"|${LOCAL_ATOM}(?:\\.${LOCAL_ATOM})*)@(?:\\[[0-9A-Za-z.:]{2,64}\\]|${LABEL}(?:\\.${LABEL})*)`,
  'gu',
);
const DASHES = /[\p{Pd}\u2212\u3161\uFF70]/u;
const DOTS = /[\u00B7\u2027\u2219\u22C5\u30FB\uFF65]/u;
const FORMAT = /\p{Cf}/u;
const DIGIT = /\p{Nd}/u;

/** The value 0–9 of a decimal digit of any script: digits come in runs of ten from the script's zero. */
function digitValue(cp: number): number {
  let start = cp;
  while (start > 0 && DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

function fold(ch: string): string {
  if (DASHES.test(ch)) return '-';
  if (DOTS.test(ch)) return '.';
  let out = '';
  for (const c of ch.normalize('NFKC')) {
    if (c.length === 1 && c >= '0' && c <= '9') out += c;
    else if (DIGIT.test(c)) out += String(digitValue(c.codePointAt(0)!));
    else if (DASHES.test(c)) out += '-';
    else if (DOTS.test(c)) out += '.';
    else out += c;
  }
  return out;
}

interface Normalized {
  text: string;
  /** for each UTF-16 unit of text, the original span [start, end) it came from */
  starts: number[];
  ends: number[];
}

export function normalizeForMatching(original: string): Normalized {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of original) {
    const end = i + ch.length;
    if (!FORMAT.test(ch)) {
      const folded = fold(ch);
      text += folded;
      for (let k = 0; k < folded.length; k++) {
        starts.push(i);
        ends.push(end);
      }
    }
    i = end;
  }
  return { text, starts, ends };
}

interface Span {
  start: number;
  end: number;
  replacement: string;
}

function matches(n: Normalized): Span[] {
  const spans: Span[] = [];
  const toOriginal = (s: number, e: number, replacement: string) => spans.push({ start: n.starts[s]!, end: n.ends[e - 1]!, replacement });
  for (const m of n.text.matchAll(EMAIL)) toOriginal(m.index, m.index + m[0].length, '***@***');
  for (const m of n.text.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, '').length;
    if (digits >= MIN_PHONE_DIGITS) toOriginal(m.index, m.index + m[0].length, m[0].replace(/\d/g, '*'));
  }
  // an e-mail's digits may also look like a phone number: the earlier and longer span wins
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const s of spans) if (kept.length === 0 || s.start >= kept.at(-1)!.end) kept.push(s);
  return kept;
}

/** The text with every phone number and e-mail address masked (see the module comment). */
export function maskContactDetails(text: string): string {
  const spans = matches(normalizeForMatching(text));
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.replacement;
    at = s.end;
  }
  return out + text.slice(at);
}
