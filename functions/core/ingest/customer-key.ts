/**
 * The customer's phone number, e-mail or user id never reaches the lake: it is normalized so that the
 * spellings of one customer agree, then replaced by HMAC-SHA256 under a per-client secret. Repeat-contact,
 * retry-after-abandon and FCR only need equality, and a keyed hash cannot be reversed by hashing every number.
 *
 * Normalized forms (the text that is hashed):
 * - `tel:…` a phone number. It is read with libphonenumber-js (Google's numbering plans) in the client's
 *   `phone_region`, so `(415) 555-0123`, `415-555-0123`, `1-415-555-0123` and `+1 415 555 0123` are one
 *   customer of a US client, `020 7946 0018` and `+44 (0)20 7946 0018` one of a GB client. The key is E.164
 *   (`tel:+14155550123`), except for Korean numbers (calling code 82), which keep the national digits keys
 *   have always had (`tel:01012345678` for `010-1234-5678`, `01012345678`, `+82 10-1234-5678`), so no Korean
 *   client's history changes key.
 * - A value the numbering plan cannot place keeps the digits-only rule these keys had before: its digits,
 *   with `+` kept, and `+82…` turned into `0…`. That covers numbers too short or too long for their country,
 *   numbers without a region to read them in, and national spellings that leave out the trunk prefix their
 *   country's national format has (`1012345678` for 010-1234-5678, or the Anonymous Bank's 8-digit customer
 *   numbers, which would otherwise read as Israeli landlines). Such values were never phone numbers as people
 *   dial them, and reading them as such would re-key ids that happen to be all digits.
 * - `email:…` lower-cased, trimmed and in Unicode NFC, so an address typed on a Mac (NFD) is the same.
 * - `id:…` any other user id, as written; `id@<namespace>:…` for a source whose config says its user ids
 *   are its own (`user_id_namespace`). A namespace has no `:`, so the two forms never collide. A source whose
 *   customer field holds nothing but user ids (`customer_kind: user_id`, as Zendesk's all-digit requester
 *   ids) keys every value this way, so an id is never read as a phone number and joined to a caller.
 * Hidden caller ids (발신번호표시제한, anonymous, 0000…) give no key.
 *
 * URIs: contact-center platforms write the caller as a URI (Genesys Cloud's `ani` is `tel:+5511…`, a SIP
 * trunk's From is `sip:+1415…@host;user=phone`). Only the user part is the customer: a `tel:` URI's number
 * (RFC 3966: `tel:+82-10-1234-5678;ext=1`, its visual separators `-` `.` `(` `)` and its `;` parameters) and a
 * `sip:`/`sips:` URI's user (RFC 3261: `sip:user@host;params`, percent-escapes decoded) are read as the
 * value itself would be, so `tel:+82-10-1234-5678` is the same customer as `010-1234-5678` from a CTI. A SIP
 * user that is no phone number (`sip:alice@pbx.example.com`) is a user id: the URI without its parameters.
 *
 * Which numbers the plan places: a national spelling must be a valid number of its country by the complete
 * (`max`) metadata, Google's own digit patterns, and an international one (`+…`) of a possible length. With
 * the smaller `min` metadata, which checks lengths and loose patterns only, 400 of the 4,082 customer numbers
 * of the Anonymous Bank's February file would pass as Israeli 1-xxx numbers and change key.
 *
 * Stability: a Korean number written with its 0, or as +82 10… / +82 2…–9…, is keyed by its digits whatever
 * the plan says (shortcutKey below), so no metadata update can re-key it. Elsewhere an update can at most
 * move a number from its digits-only key to its E.164 key (a newly assigned range); libphonenumber-js is
 * pinned in package.json. A non-Korean client's national spellings keyed before phone_region existed
 * (`tel:4155550123`) now join the E.164 key; docs/deploy.md says how to re-key a lake by re-ingesting.
 */
import { createHmac } from 'node:crypto';
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { phoneRegionOf } from '../config/phone-region.ts';

/** How a source's raw customer values are read. */
export interface CustomerKeyScope {
  /** country national spellings are read in; without one only `+…` spellings are parsed */
  readonly phoneRegion?: CountryCode | undefined;
  /** namespace of the source's user ids when they are local to it */
  readonly userIdNamespace?: string | undefined;
  /** `user_id`: every value is a user id, whatever it looks like (the source's `customer_kind`) */
  readonly customerKind?: 'auto' | 'user_id' | undefined;
}

/** The scope of a client's source (or of the client alone: no namespace). */
export function customerKeyScope(
  config: Pick<ClientConfig, 'phone_region' | 'timezone'>,
  source?: Pick<SourceConfig, 'user_id_namespace' | 'customer_kind'>,
): CustomerKeyScope {
  const scope: CustomerKeyScope = { phoneRegion: phoneRegionOf(config), userIdNamespace: source?.user_id_namespace };
  return source?.customer_kind === 'user_id' ? { ...scope, customerKind: 'user_id' } : scope;
}

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
/** Full-width digits, plus, parentheses, hyphen and space (Japanese and Korean input methods), folded by NFKC. */
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;
const KOREA_CALLING_CODE = '82';

export type CustomerValueKind = 'hidden' | 'email' | 'user_id' | 'phone' | 'phone_fallback';

export interface ClassifiedCustomer {
  readonly kind: CustomerValueKind;
  /** the text that is hashed; null when the value gives no key */
  readonly normalized: string | null;
  /** the value was a `tel:`, `sip:` or `sips:` URI, read by its user part */
  readonly uri?: true;
}

const URI_SCHEME = /^(tel|sips?):/i;

/** The user part of a tel/sip URI (see the module comment), or undefined when the value is no such URI. */
export function uriUserPart(value: string): { user: string; uri: string } | undefined {
  const scheme = URI_SCHEME.exec(value);
  if (scheme === null) return undefined;
  const rest = value.slice(scheme[0].length);
  const isTel = scheme[1]!.toLowerCase() === 'tel';
  // tel: the number ends at the first parameter; sip: the user ends at the '@' (or, without one, at a ';')
  const at = isTel ? -1 : rest.indexOf('@');
  const userEnd = at >= 0 ? at : rest.search(/[;?]/);
  const rawUser = userEnd >= 0 ? rest.slice(0, userEnd) : rest;
  const withoutParams = isTel ? rawUser : rawUser.split(';')[0]!;
  let user: string;
  try {
    user = decodeURIComponent(withoutParams);
  } catch {
    user = withoutParams;
  }
  const hostEnd = at >= 0 ? rest.slice(at).search(/[;?]/) : -1;
  const uri = `${scheme[1]!.toLowerCase()}:${at >= 0 ? `${user}${hostEnd >= 0 ? rest.slice(at, at + hostEnd) : rest.slice(at)}` : user}`;
  return { user: user.trim(), uri };
}

const HIDDEN_VALUE: ClassifiedCustomer = { kind: 'hidden', normalized: null };

const digitsOf = (text: string): string => text.replace(/\D/g, '');

/** The rule every phone number had before numbering plans, and still the rule for what they cannot place. */
function digitsOnlyKey(value: string, digits: string): string {
  if (value.startsWith('+')) {
    if (digits.startsWith(KOREA_CALLING_CODE)) return `tel:0${digits.slice(2).replace(/^0/, '')}`;
    return `tel:+${digits}`;
  }
  return `tel:${digits}`;
}

const CALLING_CODES = new Map<CountryCode, string>();
const callingCodeOf = (region: CountryCode): string => {
  let code = CALLING_CODES.get(region);
  if (code === undefined) CALLING_CODES.set(region, (code = getCountryCallingCode(region)));
  return code;
};

/**
 * Whether a national spelling carries the trunk prefix its country's national format has (the 0 of
 * 010-1234-5678 or 020 7946 0018; NANP numbers have none). A number dialled through an international prefix
 * (00, 001, 011) to another country is not a national spelling.
 */
function writtenAsDialled(number: PhoneNumber, digits: string, region: CountryCode): boolean {
  if (number.countryCallingCode !== callingCodeOf(region)) return true;
  const national = digitsOf(number.formatNational());
  const significant = number.nationalNumber;
  if (!national.endsWith(significant)) return true;
  return digits.startsWith(national.slice(0, national.length - significant.length));
}

/** The numbering-plan key of a phone-like value, or undefined when the plan cannot place it. */
function numberingPlanKey(value: string, digits: string, region: CountryCode | undefined): string | undefined {
  const international = value.startsWith('+');
  if (!international && region === undefined) return undefined;
  const number = parsePhoneNumberFromString(value, region);
  if (number === undefined) return undefined;
  if (international ? !number.isPossible() : !number.isValid() || !writtenAsDialled(number, digits, region!)) return undefined;
  if (number.countryCallingCode === KOREA_CALLING_CODE) {
    return number.isValid() ? `tel:${digitsOf(number.formatNational())}` : undefined;
  }
  return `tel:${number.number}`;
}

/**
 * Keys for the spellings most exports use that need no numbering plan, which costs about 10 µs a value (the
 * library compiles its patterns again on every call):
 * - a Korean national spelling with its 0 (010-1234-5678, 02-123-4567) and +82 10…, +82 2…–9…: the
 *   digits-only rule, so a Korean key stays what it always was; the plan gives the same key wherever it reads
 *   the digits as written, and reads them otherwise only for spellings nobody dials (a carrier-selection
 *   code after the 0, a 0 put before a 16xx service number);
 * - +1 NXX NXX XXXX: a NANP number has no national prefix to drop, so E.164 is the digits as written.
 * test/core/ingest/customer-key.test.ts compares them with the plan over every leading-digit class.
 */
function shortcutKey(value: string, digits: string, region: CountryCode | undefined): string | undefined {
  if (value.startsWith('+')) {
    if (/^820?(?:10|[2-9])/.test(digits)) return digitsOnlyKey(value, digits);
    if (digits.length === 11 && /^1[2-9]/.test(digits)) return `tel:+${digits}`;
    return undefined;
  }
  if (region === 'KR' && digits.startsWith('0') && !digits.startsWith('00')) return `tel:${digits}`;
  return undefined;
}

/** What a raw customer value is and the text its key is the hash of. */
export function classifyCustomer(raw: string | null, scope: CustomerKeyScope = {}): ClassifiedCustomer {
  return classify(raw, scope, true);
}

/**
 * @param placement whether to ask the numbering plan if it places a phone number (kind `phone`) even when a
 *   shortcut gives the key; hashing needs only the key
 */
function classify(raw: string | null, scope: CustomerKeyScope, placement: boolean): ClassifiedCustomer {
  if (raw === null) return HIDDEN_VALUE;
  const value = raw.trim();
  if (HIDDEN.has(value.toLowerCase())) return HIDDEN_VALUE;
  if (scope.customerKind === 'user_id') return userId(value, scope);
  const uri = uriUserPart(value);
  if (uri !== undefined) {
    if (uri.user === '' || HIDDEN.has(uri.user.toLowerCase())) return { ...HIDDEN_VALUE, uri: true };
    const inner = classify(uri.user, scope, placement);
    // a SIP user that is no number (and no e-mail) is the URI's own identity, not a bare name
    const read = inner.kind === 'user_id' ? userId(uri.uri.toLowerCase(), scope) : inner;
    return { ...read, uri: true };
  }
  if (value.includes('@')) return { kind: 'email', normalized: `email:${value.toLowerCase().normalize('NFC')}` };
  const phone = PHONE_LIKE.test(value) ? value : FULL_WIDTH.test(value) ? value.normalize('NFKC').trim() : undefined;
  if (phone !== undefined && PHONE_LIKE.test(phone)) {
    const digits = digitsOf(phone);
    if (digits.length === 0 || /^0+$/.test(digits)) return HIDDEN_VALUE;
    const shortcut = shortcutKey(phone, digits, scope.phoneRegion);
    if (shortcut !== undefined && !placement) return { kind: 'phone', normalized: shortcut };
    const key = numberingPlanKey(phone, digits, scope.phoneRegion);
    const kind = key === undefined ? 'phone_fallback' : 'phone';
    return { kind, normalized: shortcut ?? key ?? digitsOnlyKey(phone, digits) };
  }
  return userId(value, scope);
}

function userId(value: string, scope: CustomerKeyScope): ClassifiedCustomer {
  const namespace = scope.userIdNamespace;
  return { kind: 'user_id', normalized: namespace === undefined ? `id:${value}` : `id@${namespace}:${value}` };
}

/**
 * Canonical text of a customer identifier, namespaced so that a phone number and a user id with the same
 * digits stay different customers; null for a hidden or empty identifier.
 */
export function normalizeCustomer(raw: string | null, scope: CustomerKeyScope = {}): string | null {
  return classify(raw, scope, false).normalized;
}

/**
 * Hashes one raw customer value. `scope` is the source's (customerKeyScope(config, source)); without it, or
 * for what it leaves out, the hasher's own defaults apply.
 */
export type CustomerHasher = (raw: string | null, scope?: CustomerKeyScope) => string | null;

const CACHE_LIMIT = 50_000;

/**
 * A hasher bound to one client's secret and, through `defaults`, its phone region. It caches recent results
 * per scope, since repeat callers are common.
 */
export function customerHasher(secret: string, defaults: CustomerKeyScope = {}): CustomerHasher {
  if (secret.length < 16) throw new Error('the customer-key secret must be at least 16 characters');
  const caches = new Map<string, { scope: CustomerKeyScope; keys: Map<string, string | null> }>();
  let lastScope: CustomerKeyScope | undefined;
  let last = cacheOf(defaults);

  function cacheOf(scope: CustomerKeyScope) {
    const effective: CustomerKeyScope = {
      phoneRegion: scope.phoneRegion ?? defaults.phoneRegion,
      userIdNamespace: scope.userIdNamespace ?? defaults.userIdNamespace,
      customerKind: scope.customerKind ?? defaults.customerKind,
    };
    const id = `${effective.phoneRegion ?? ''}|${effective.userIdNamespace ?? ''}|${effective.customerKind ?? 'auto'}`;
    let cache = caches.get(id);
    if (cache === undefined) {
      cache = { scope: effective, keys: new Map() };
      caches.set(id, cache);
    }
    return cache;
  }

  return (raw, scope) => {
    if (raw === null) return null;
    if (scope !== lastScope) {
      last = cacheOf(scope ?? defaults);
      lastScope = scope;
    }
    const hit = last.keys.get(raw);
    if (hit !== undefined) return hit;
    const normalized = normalizeCustomer(raw, last.scope);
    const key = normalized === null ? null : createHmac('sha256', secret).update(normalized).digest('hex');
    if (last.keys.size >= CACHE_LIMIT) last.keys.clear();
    last.keys.set(raw, key);
    return key;
  };
}

/** How the customer values of a sample file would be keyed (`cspulse config check --sample`). */
export interface CustomerSampleReport {
  /** region national spellings were read in; null when the scope has none */
  readonly phone_region: CountryCode | null;
  /** values looked at, null and empty ones included */
  readonly values: number;
  readonly hidden: number;
  readonly email: number;
  readonly user_id: number;
  /** phone numbers the numbering plan placed */
  readonly phone: number;
  /** phone-like values that kept the digits-only rule */
  readonly phone_fallback: number;
  /** values written as `tel:` or `sip:` URIs (counted above by what their user part is) */
  readonly uri: number;
  /** the commonest spellings among the fallbacks, every digit shown as `#` (no number is revealed) */
  readonly fallback_shapes: readonly { readonly shape: string; readonly count: number }[];
}

const SHAPES_SHOWN = 5;

/** Counts what each raw customer value of a sample is, and which spellings fell back to digits only. */
export function customerSampleReport(values: Iterable<string | null>, scope: CustomerKeyScope): CustomerSampleReport {
  const counts: Record<CustomerValueKind, number> = { hidden: 0, email: 0, user_id: 0, phone: 0, phone_fallback: 0 };
  const shapes = new Map<string, number>();
  let total = 0;
  let uris = 0;
  for (const raw of values) {
    total += 1;
    const { kind, uri } = classifyCustomer(raw, scope);
    counts[kind] += 1;
    if (uri) uris += 1;
    if (kind === 'phone_fallback') {
      const shape = raw!.trim().replace(/\p{Nd}/gu, '#').replace(/@.*$/, '@…');
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    }
  }
  const fallbackShapes = [...shapes]
    .map(([shape, count]) => ({ shape, count }))
    .sort((a, b) => b.count - a.count || (a.shape < b.shape ? -1 : a.shape > b.shape ? 1 : 0))
    .slice(0, SHAPES_SHOWN);
  return { phone_region: scope.phoneRegion ?? null, values: total, ...counts, uri: uris, fallback_shapes: fallbackShapes };
}
