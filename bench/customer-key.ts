/**
 * Cost of the customer hasher per distinct raw value (ingest calls it once per distinct value: its cache
 * absorbs repeat callers, so a file of N different numbers pays this N times). Prints µs per value and the
 * ratio against a baseline measured in the same run: HMAC-SHA256 of the raw value alone, the irreducible
 * part. Also times libphonenumber-js parsing with its `min` and `max` metadata, since the hasher uses `max`.
 * Not a test: nothing here gates CI.
 *
 *   npx tsx bench/customer-key.ts [values-per-kind]
 */
import { createHmac } from 'node:crypto';
import * as phoneMax from 'libphonenumber-js/max';
import * as phoneMin from 'libphonenumber-js/min';
import { customerHasher } from '../functions/core/ingest/customer-key.ts';

const perKind = Number(process.argv[2] ?? 200_000);
const SECRET = 'benchmark-secret-0123456789';

type Kind = 'kr national' | 'kr +82' | 'us national' | 'us e164' | 'jp national' | 'email' | 'id';

/** Distinct values as exports write them. */
function values(kind: Kind, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = String(10_000_000 + ((i * 7_919) % 89_999_999)).padStart(8, '0');
    if (kind === 'kr national') out.push(i % 2 === 0 ? `010-${d.slice(0, 4)}-${d.slice(4)}` : `010${d}`);
    else if (kind === 'kr +82') out.push(`+82 10-${d.slice(0, 4)}-${d.slice(4)}`);
    else if (kind === 'us national') out.push(`(415) ${d.slice(1, 4)}-${d.slice(4)}`);
    else if (kind === 'us e164') out.push(`+1650${d.slice(1)}`);
    else if (kind === 'jp national') out.push(`090-${d.slice(0, 4)}-${d.slice(4)}`);
    else if (kind === 'email') out.push(`customer.${d}@example.com`);
    else out.push(`member_${d}`);
  }
  return [...new Set(out)];
}

function time(label: string, list: readonly string[], run: (value: string) => unknown): number {
  for (let i = 0; i < Math.min(2_000, list.length); i++) run(list[i]!); // warm-up
  const start = process.hrtime.bigint();
  for (const value of list) run(value);
  const micros = Number(process.hrtime.bigint() - start) / 1_000 / list.length;
  console.log(`${label.padEnd(44)} ${micros.toFixed(2).padStart(7)} µs/value`);
  return micros;
}

const hmac = (value: string): string => createHmac('sha256', SECRET).update(value).digest('hex');

const cases: [Kind, 'KR' | 'US' | 'JP'][] = [
  ['kr national', 'KR'], ['kr +82', 'KR'], ['us national', 'US'], ['us e164', 'US'], ['jp national', 'JP'], ['email', 'US'], ['id', 'US'],
];
for (const [kind, region] of cases) {
  const list = values(kind, perKind);
  console.log(`\n${kind}: ${list.length} distinct values, region ${region}`);
  const base = time('baseline: HMAC-SHA256 of the raw value', list, hmac);
  // A fresh hasher per run and more values than its 50,000-entry cache: every call computes.
  const hasher = customerHasher(SECRET, { phoneRegion: region });
  const full = time('customerHasher (normalize + HMAC)', list, (v) => hasher(v));
  console.log(`${'  ratio to baseline'.padEnd(44)} ${(full / base).toFixed(1).padStart(7)}x`);
  if (kind !== 'email' && kind !== 'id') {
    for (const [name, lib] of [['min', phoneMin], ['max', phoneMax]] as const) {
      time(`libphonenumber-js/${name} parse + isValid + national`, list, (v) => {
        const number = lib.parsePhoneNumberFromString(v, region);
        return number?.isValid() && number.formatNational();
      });
    }
  }
}
