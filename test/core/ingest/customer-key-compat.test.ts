/**
 * Existing keys keep their meaning: every distinct customer value of the demo exports (Korean CTI and chat,
 * Amazon Connect) and of the real Anonymous Bank files is normalized by the code before numbering plans
 * (copied below, unchanged, from customer-key.ts as of commit 69f9cde) and by today's code in its client's
 * region, and the two must agree byte for byte. The values are read from the files independently of ingest.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClientConfig } from '../../../functions/core/config/parse-config.ts';
import { classifyCustomer, customerKeyScope, type CustomerKeyScope, type CustomerValueKind } from '../../../functions/core/ingest/customer-key.ts';
import { demoOptions, simulate } from '../../../functions/simulator/index.ts';

// ---- customer-key.ts before phone_region (commit 69f9cde), verbatim ----
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
function legacyNormalizeCustomer(raw: string | null): string | null {
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
// ---- end of the old code ----

interface Comparison {
  distinct: number;
  kinds: Record<CustomerValueKind, number>;
  changed: { raw: string; before: string | null; after: string | null }[];
}

function compare(values: Iterable<string>, scope: CustomerKeyScope): Comparison {
  const kinds: Record<CustomerValueKind, number> = { hidden: 0, email: 0, user_id: 0, phone: 0, phone_fallback: 0 };
  const changed: Comparison['changed'] = [];
  let distinct = 0;
  for (const raw of new Set(values)) {
    distinct += 1;
    const before = legacyNormalizeCustomer(raw);
    const { kind, normalized: after } = classifyCustomer(raw, scope);
    kinds[kind] += 1;
    if (after !== before) changed.push({ raw, before, after });
  }
  return { distinct, kinds, changed };
}

const clientScope = async (path: string): Promise<CustomerKeyScope> => customerKeyScope(parseClientConfig(await readFile(path, 'utf8'), path));

describe('the demo exports', () => {
  let out: string;
  const values = { cti: [] as string[], chat: [] as string[], connect: [] as string[] };

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'cspulse-keys-'));
    await simulate(demoOptions(out));
    for (const file of await readdir(join(out, 'example', 'cti'))) {
      const rows = parse(iconv.decode(await readFile(join(out, 'example', 'cti', file)), 'cp949'), { columns: true, relax_column_count: true }) as Record<string, string>[];
      values.cti.push(...rows.map((r) => r['발신번호']!));
    }
    for (const file of await readdir(join(out, 'example', 'chat'))) {
      const rows = parse(await readFile(join(out, 'example', 'chat', file), 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
      values.chat.push(...rows.map((r) => r.user_id!));
    }
    // Firehose objects: one JSON record per line or concatenated; the customer is the voice endpoint's
    // address or, for chats, the customer_email attribute (clients/northwind.yaml).
    for (const file of await readdir(join(out, 'northwind', 'connect'))) {
      const text = await readFile(join(out, 'northwind', 'connect', file), 'utf8');
      for (const m of text.matchAll(/"CustomerEndpoint":\{"Address":"([^"]*)"|"customer_email":"([^"]*)"/g)) values.connect.push(m[1] ?? m[2]!);
    }
  }, 120_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('keeps every Korean caller id and chat user id of the example client byte-identical', async () => {
    const scope = await clientScope('clients/example.yaml');
    expect(scope.phoneRegion).toBe('KR');
    const cti = compare(values.cti, scope);
    const chat = compare(values.chat, scope);
    expect(cti.changed).toEqual([]);
    expect(chat.changed).toEqual([]);
    // the three spellings the simulated CTI writes (functions/simulator/customers.ts) are all there
    expect(values.cti.some((v) => /^010-\d{4}-\d{4}$/.test(v))).toBe(true);
    expect(values.cti.some((v) => /^010\d{8}$/.test(v))).toBe(true);
    expect(values.cti.some((v) => /^\+82 10-\d{4}-\d{4}$/.test(v))).toBe(true);
    expect(cti.kinds.phone).toBeGreaterThan(1000);
    expect(chat.kinds.user_id).toBeGreaterThan(100);
    expect(chat.kinds.email).toBeGreaterThan(100);
    expect(chat.kinds.phone).toBeGreaterThan(100);
  });

  it('keeps every Connect phone endpoint and chat e-mail of the US client byte-identical', async () => {
    const scope = await clientScope('clients/northwind.yaml');
    expect(scope.phoneRegion).toBe('US');
    const connect = compare(values.connect, scope);
    expect(connect.changed).toEqual([]);
    expect(connect.kinds.phone).toBeGreaterThan(1000);
    expect(connect.kinds.email).toBeGreaterThan(1000);
  });
});

describe('the Anonymous Bank files (real, Israel)', () => {
  const DATA = join(import.meta.dirname, '../../../../shared/data/anonymous-bank-1999');

  it.each([
    ['anonymous-bank', 'february_1999.txt', '\t'],
    ['anonymous-bank-august', 'august_1999_from_ods.csv', ','],
  ])('%s: every customer_id of %s keeps its key', async (client, file, separator) => {
    const scope = await clientScope(`test/fixtures/clients/${client}.yaml`);
    expect(scope.phoneRegion).toBe('IL');
    const lines = (await readFile(join(DATA, file), 'utf8')).split(/\r?\n/).filter((l) => l !== '');
    const column = lines[0]!.split(separator).indexOf('customer_id');
    const result = compare(lines.slice(1).map((l) => l.split(separator)[column]!), scope);
    expect(result.changed).toEqual([]);
    // 7- to 9-digit customer numbers without the 0 of an Israeli national number: all keep the digits rule
    expect(result.kinds.phone).toBe(0);
    expect(result.distinct).toBeGreaterThan(4000);
  });
});
