import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine, type DuckDbEngine } from '../../../functions/adapters/local/duckdb-engine.ts';
import { SqlTemplateError } from '../../../functions/core/sql/errors.ts';
import { bool, date, id, member, NULL, num, renderSqlTemplate, sqlLiteral, templateSlots, zone } from '../../../functions/core/sql/sql-literal.ts';
import { tempLake } from '../kpis/lake-fixture.ts';

const FORMULAS = ['answered_within_over_answered', 'connect_within_over_offered'] as const;

describe('sqlLiteral', () => {
  it('writes finite numbers as doubles, in plain or exponent form', () => {
    expect(sqlLiteral(num(20))).toBe('cast(20 as double)');
    expect(sqlLiteral(num(0.8))).toBe('cast(0.8 as double)');
    expect(sqlLiteral(num(-3.5))).toBe('cast(-3.5 as double)');
    expect(sqlLiteral(num(1e-7))).toBe('cast(1E-7 as double)');
    expect(sqlLiteral(num(1e21))).toBe('cast(1E+21 as double)');
    expect(sqlLiteral(num(-0))).toBe('cast(0 as double)');
  });

  it('refuses what is not a finite number', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(() => sqlLiteral(num(bad))).toThrow(SqlTemplateError);
    // a string smuggled past the type system
    expect(() => sqlLiteral({ kind: 'number', value: '1) or (1=1' as unknown as number })).toThrow(/not a finite number/);
  });

  it('writes real calendar dates as quoted text and refuses anything else', () => {
    expect(sqlLiteral(date('2026-03-10'))).toBe("'2026-03-10'");
    // the two ends of the empty range
    expect(sqlLiteral(date('0000-01-01'))).toBe("'0000-01-01'");
    expect(sqlLiteral(date('9999-12-31'))).toBe("'9999-12-31'");
    for (const bad of ['2026-02-30', '2026-3-10', "2026-03-10' or '1'='1", '2026-03-10 ', '']) {
      expect(() => sqlLiteral(date(bad)), bad).toThrow(/not a date YYYY-MM-DD/);
    }
  });

  it('writes only members of the given list, and only identifier-like ones', () => {
    expect(sqlLiteral(member('connect_within_over_offered', FORMULAS))).toBe("'connect_within_over_offered'");
    expect(() => sqlLiteral(member('answered' as 'connect_within_over_offered', FORMULAS))).toThrow(/is not one of/);
    // even a listed member is refused when it would need escaping
    expect(() => sqlLiteral(member("it's", ["it's"]))).toThrow(/is not one of/);
  });

  it('writes config ids, zone names, booleans and null, and refuses a value that would need escaping', () => {
    expect(sqlLiteral(id('example'))).toBe("'example'");
    expect(sqlLiteral(id('connect-main_2'))).toBe("'connect-main_2'");
    for (const bad of ["x' or '1'='1", 'Example', '', 'a b']) expect(() => sqlLiteral(id(bad)), bad).toThrow(/not a config id/);
    expect(sqlLiteral(zone('Asia/Seoul'))).toBe("'Asia/Seoul'");
    expect(sqlLiteral(zone('America/Argentina/Buenos_Aires'))).toBe("'America/Argentina/Buenos_Aires'");
    expect(sqlLiteral(zone('Etc/GMT+9'))).toBe("'Etc/GMT+9'");
    expect(sqlLiteral(zone('UTC'))).toBe("'UTC'");
    for (const bad of ["Asia/Seoul'", 'Asia//Seoul', '/Seoul', 'Asia/Seoul; drop']) expect(() => sqlLiteral(zone(bad)), bad).toThrow(/not a time zone name/);
    expect(sqlLiteral(bool(true))).toBe('true');
    expect(sqlLiteral(bool(false))).toBe('false');
    expect(() => sqlLiteral({ kind: 'boolean', value: 'true' as unknown as boolean })).toThrow(/not a boolean/);
    expect(sqlLiteral(NULL)).toBe('null');
  });
});

describe('renderSqlTemplate', () => {
  const template = 'select {{t}} as t, {{d}} as d, {{f}} as f from x where client_id = ? and dt = {{ d }}';

  it('fills every slot, also a repeated one', () => {
    expect(templateSlots(template)).toEqual(['t', 'd', 'f']);
    expect(renderSqlTemplate(template, { t: num(20), d: date('2026-03-10'), f: member('connect_within_over_offered', FORMULAS) }, 'x.sql')).toBe(
      "select cast(20 as double) as t, '2026-03-10' as d, 'connect_within_over_offered' as f from x where client_id = ? and dt = '2026-03-10'",
    );
  });

  it('names the file and the slot when a value is missing, unused or invalid', () => {
    expect(() => renderSqlTemplate(template, { t: num(1), d: date('2026-03-10') }, 'x.sql')).toThrow('x.sql: no value for {{f}}');
    expect(() =>
      renderSqlTemplate(template, { t: num(1), d: date('2026-03-10'), f: member('connect_within_over_offered', FORMULAS), g: num(2) }, 'x.sql'),
    ).toThrow('x.sql: has no slot {{g}}');
    expect(() => renderSqlTemplate(template, { t: num(Number.NaN), d: date('2026-03-10'), f: member('connect_within_over_offered', FORMULAS) }, 'x.sql')).toThrow(
      'x.sql: {{t}}: not a finite number: NaN',
    );
  });
});

describe('the literals on both engines', () => {
  const values = [20, 0.8, -3.5, 1e-7, 1e21, 86_400];
  const select = `select ${values.map((v, i) => `${sqlLiteral(num(v))} as v${i}`).join(', ')}, ${sqlLiteral(date('2026-03-10'))} as d`;

  it('parse as Trino', () => {
    expect(new TrinoSQL().validate(select)).toEqual([]);
  });

  describe('on DuckDB', () => {
    let engine: DuckDbEngine;
    beforeAll(async () => {
      engine = await createDuckDbEngine({ lakeRoot: await tempLake() });
    });
    afterAll(async () => engine.close());

    it('read back as the same numbers and date', async () => {
      const { rows, columns } = await engine.query(select);
      expect(rows).toEqual([{ v0: 20, v1: 0.8, v2: -3.5, v3: 1e-7, v4: 1e21, v5: 86_400, d: '2026-03-10' }]);
      expect(columns.slice(0, 6).map((c) => c.type)).toEqual(Array(6).fill('double'));
    });
  });
});
