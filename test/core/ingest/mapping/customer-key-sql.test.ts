/**
 * The customer-key shortcut in SQL against the rule it stands in for (normalizeCustomer), on generated
 * spellings of Korean, NANP and other numbers, and the HMAC in SQL against Node's createHmac.
 */
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDuckDbWorkspace } from '../../../../functions/adapters/local/duckdb-workspace.ts';
import { normalizeCustomer, type CustomerKeyScope } from '../../../../functions/core/ingest/customer-key.ts';
import { customerDigitsSql, hmacPads, hmacSql, shortcutNormalizedSql } from '../../../../functions/core/ingest/mapping/customer-key-sql.ts';

const separators = fc.constantFrom('', '-', ' ', '.', '(', ')', ' - ');
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** phone-like spellings: a national 0…, +82 …, +1 …, 00…, short codes and junk digits, with separators */
const spelling = fc
  .tuple(
    fc.constantFrom('0', '010', '02', '+82 ', '+82-10-', '+820', '+1 ', '+1-415-', '+44 ', '00', '', '1588-', '070'),
    fc.array(fc.tuple(separators, digits(1, 5)), { minLength: 0, maxLength: 5 }),
  )
  .map(([head, parts]) => head + parts.map(([sep, d]) => sep + d).join(''))
  .filter((v) => v.trim() === v && v.length > 0);

async function shortcuts(values: string[], scope: CustomerKeyScope): Promise<(string | null)[]> {
  const ws = await openDuckDbWorkspace({ spillDir: tmpdir(), memoryLimitMb: 128 });
  try {
    await ws.run(`CREATE TABLE v (i INTEGER, raw VARCHAR)`);
    await ws.appendText('v', values.map((raw, i) => [String(i), raw]));
    const rows = await ws.query(
      `SELECT i, ${shortcutNormalizedSql('raw', 'digits', scope)} AS s FROM (SELECT *, ${customerDigitsSql('raw')} AS digits FROM v) ORDER BY i`,
    );
    return rows.map((r) => (r.s === null ? null : String(r.s)));
  } finally {
    await ws.close();
  }
}

describe('the customer-key shortcut in SQL', () => {
  for (const region of ['KR', 'US'] as const) {
    it(`gives normalizeCustomer's text wherever it decides (region ${region})`, async () => {
      const values = fc.sample(spelling, { numRuns: 3000, seed: 14 });
      values.push('010-1234-5678', '01012345678', '+82 10-1234-5678', '+821012345678', '+82 (0)10 1234 5678', '02-123-4567', '000', '0', '+1 415-555-0123', '1588-1234', '00821012345678');
      const scope = { phoneRegion: region };
      const sql = await shortcuts(values, scope);
      let decided = 0;
      values.forEach((v, i) => {
        const s = sql[i];
        if (s === null) return;
        decided++;
        expect(s === '' ? null : s, v).toBe(normalizeCustomer(v, scope));
      });
      // for a Korean client most spellings are decided without the numbering plan; elsewhere the +82 and +1 ones
      expect(decided).toBeGreaterThan(values.length / (region === 'KR' ? 3 : 10));
    });
  }

  it('leaves e-mails, user ids and full-width digits to normalizeCustomer', async () => {
    expect(await shortcuts(['kim@example.com', 'user-42', '０１０－１２３４－５６７８', '010 1234\u00a05678'], { phoneRegion: 'KR' })).toEqual([null, null, null, null]);
  });

  it('leaves every value of a source of user ids to normalizeCustomer, phone-like or not', async () => {
    const values = ['010-1234-5678', '+82 10-1234-5678', '12345678901', '0000', 'user-42'];
    expect(await shortcuts(values, { phoneRegion: 'KR', customerKind: 'user_id' })).toEqual(values.map(() => null));
  });

  it('computes HMAC-SHA256 as Node does, for a short and a long (hashed) secret', async () => {
    const ws = await openDuckDbWorkspace({ spillDir: tmpdir(), memoryLimitMb: 64 });
    try {
      for (const secret of ['test-secret-0123456789abcdef', 'x'.repeat(100)]) {
        const pads = hmacPads(secret);
        await ws.run(`CREATE OR REPLACE TABLE pads AS SELECT ?::BLOB AS o, ?::BLOB AS i`, [pads.outer, pads.inner]);
        for (const text of ['tel:01012345678', 'email:kim@example.com', 'id:고객-1']) {
          const [row] = await ws.query(`SELECT ${hmacSql('?', { outer: '(SELECT o FROM pads)', inner: '(SELECT i FROM pads)' })} AS k`, [text]);
          expect(row!.k).toBe(createHmac('sha256', secret).update(text).digest('hex'));
        }
      }
    } finally {
      await ws.close();
    }
  });
});
