import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerQueryCommand } from '../../../functions/cli/commands/query.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';
import { contact, tempLake, writeLakeTable } from '../../core/kpis/lake-fixture.ts';

let lake: string;
let dir: string;
let configDir: string;

beforeAll(async () => {
  lake = await tempLake();
  dir = await mkdtemp(join(tmpdir(), 'cspulse-query-'));
  configDir = join(dir, 'clients');
  await import('node:fs/promises').then((fs) => fs.mkdir(configDir));
  await writeFile(
    join(configDir, 'shop.yaml'),
    [
      'id: shop',
      'name: 샵',
      'timezone: Asia/Seoul',
      'sources: [{ id: cti, format: cspulse-csv }]',
      'recipients: { to: [cs@example.com] }',
      'contract: [{ effective_from: "2026-01-01" }]',
    ].join('\n'),
  );
  await writeLakeTable(lake, 'contacts', [
    // 10:00 in Seoul (UTC+9)
    { client_id: 'shop', dt: '2026-03-10', row: contact({ contact_id: 'a', arrived_at: new Date('2026-03-10T01:00:00Z'), local_hour: 10, wait_seconds: 10, category: '=HYPERLINK("x")' }) },
    { client_id: 'shop', dt: '2026-03-10', row: contact({ contact_id: 'b', arrived_at: new Date('2026-03-10T02:00:00Z'), local_hour: 11, wait_seconds: 30, outcome: 'abandoned', category: '배송, 지연' }) },
  ]);
});

async function run(args: string[], stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const failures: string[] = [];
  const program = new Command('cspulse').exitOverride().configureOutput({ writeErr: () => undefined });
  registerQueryCommand(program, {
    loadConfig: loadClientConfig,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    fail: (m) => failures.push(m),
    now: () => new Date('2026-03-11T00:00:00Z'),
    ...(stdin === undefined ? {} : { readStdin: async () => stdin }),
  });
  const error = await program.parseAsync(args, { from: 'user' }).then(() => undefined, (e: unknown) => e);
  return { out, err, failures, error };
}

const common = () => ['--lake', lake, '--config-dir', configDir];

const SAVED_QUERY = `-- the answered calls of the day, in Seoul time
select contact_id, arrived_at, arrived_at_local
from contacts_local
where client_id = 'shop' and dt = '2026-03-10'
order by contact_id;
`;

describe('cspulse query: where the SQL comes from', () => {
  it('runs a .sql file that begins with a comment and ends with a semicolon', async () => {
    const file = join(dir, 'saved.sql');
    await writeFile(file, SAVED_QUERY);
    const { out, error } = await run(['query', '--file', file, '--format', 'csv', ...common()]);
    expect(error).toBeUndefined();
    // an instant in UTC with Z, the local time in the client zone without a zone
    expect(out).toEqual([
      'contact_id,arrived_at,arrived_at_local',
      'a,2026-03-10T01:00:00.000Z,2026-03-10T10:00:00.000',
      'b,2026-03-10T02:00:00.000Z,2026-03-10T11:00:00.000',
    ]);
  });

  it('reads standard input for -, as an argument or as the file', async () => {
    for (const args of [['query', '-'], ['query', '--file', '-']]) {
      const { out, error } = await run([...args, '--format', 'json', ...common()], SAVED_QUERY);
      expect(error, args.join(' ')).toBeUndefined();
      expect(JSON.parse(out.join('\n')).map((r: { contact_id: string }) => r.contact_id)).toEqual(['a', 'b']);
    }
  });

  it('takes a query that begins with a comment as the argument, not as an option', async () => {
    const { out, error } = await run(['query', "-- how many\nselect count(*) as n from contacts where client_id = 'shop'", '--format', 'csv', ...common()]);
    expect(error).toBeUndefined();
    expect(out).toEqual(['n', '2']);
  });

  it('still refuses a mistyped option, and a query given twice or not at all', async () => {
    expect((await run(['query', '--formt', ...common()])).failures[0]).toBe('unknown option --formt');
    expect(String((await run(['query', '--formt', 'csv', ...common()])).error)).toContain('too many arguments');
    expect((await run(['query', 'select 1', '--file', 'x.sql', ...common()])).failures[0]).toBe('give the SQL as an argument or with --file, not both');
    expect((await run(['query', ...common()])).failures[0]).toMatch(/^no SQL: give it as an argument, with --file F.sql, or - to read standard input/);
    expect((await run(['query', '--file', join(dir, 'missing.sql'), ...common()])).failures[0]).toBe(`cannot read ${join(dir, 'missing.sql')}: ENOENT`);
    const bad = await run(['query', 'select 1', '--out', 'x.txt', ...common()]);
    expect(String(bad.error)).toContain('must end in .csv, .xlsx or .parquet');
  });

  it('without a config folder still runs, with a warning that the views have no contract terms', async () => {
    const { out, err, error } = await run(['query', "select count(*) as n from kpi_daily where client_id = 'shop'", '--format', 'csv', '--lake', lake, '--config-dir', join(dir, 'nowhere')]);
    expect(error).toBeUndefined();
    expect(out).toEqual(['n', '2']); // 2026-03-10 phone and all
    expect(err[0]).toMatch(/^warning: no config folder .*nowhere: the views have no contract terms/);
  });
});

const RESULT_SQL = `select contact_id, category, wait_seconds, cast(local_hour as bigint) as local_hour, is_transferred, arrived_at, arrived_at_local, cast(dt as date) as day
from contacts_local where client_id = 'shop' order by contact_id`;

describe('cspulse query --out', () => {
  it('writes a CSV file for a spreadsheet: BOM, CRLF, quoting, no formula from a value', async () => {
    const file = join(dir, 'out.csv');
    const { out } = await run(['query', RESULT_SQL, '--out', file, ...common()]);
    expect(out).toEqual([`wrote 2 rows to ${file}`]);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(
      '\uFEFFcontact_id,category,wait_seconds,local_hour,is_transferred,arrived_at,arrived_at_local,day\r\n' +
        `a,"'=HYPERLINK(""x"")",10,10,false,2026-03-10T01:00:00.000Z,2026-03-10T10:00:00.000,2026-03-10\r\n` +
        'b,"배송, 지연",30,11,false,2026-03-10T02:00:00.000Z,2026-03-10T11:00:00.000,2026-03-10\r\n',
    );
  });

  it('writes an XLSX file with typed cells through the report writer', async () => {
    const file = join(dir, 'out.xlsx');
    await run(['query', RESULT_SQL, '--out', file, ...common()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('query')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      'contact_id', 'category', 'wait_seconds', 'local_hour', 'is_transferred', 'arrived_at (UTC)', 'arrived_at_local', 'day',
    ]);
    const a = ws.getRow(2);
    expect(a.getCell(1).value).toBe('a');
    expect(a.getCell(2).value).toBe('=HYPERLINK("x")'); // a text cell: Excel does not evaluate it
    expect(a.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(a.getCell(3).value).toBe(10);
    expect(a.getCell(4).value).toBe(10);
    expect(a.getCell(4).numFmt).toBe('#,##0');
    expect(a.getCell(5).value).toBe(false);
    expect(a.getCell(6).value).toEqual(new Date('2026-03-10T01:00:00Z'));
    expect(a.getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm:ss.000');
    // a local time is written as the wall clock it is
    expect(a.getCell(7).value).toEqual(new Date('2026-03-10T10:00:00Z'));
    expect(a.getCell(8).value).toEqual(new Date('2026-03-10T00:00:00Z'));
    expect(a.getCell(8).numFmt).toBe('yyyy-mm-dd');
  });

  it('writes a Parquet file with the column types kept', async () => {
    const file = join(dir, 'out.parquet');
    const { out } = await run(['query', `${RESULT_SQL};`, '--out', file, ...common()]);
    expect(out).toEqual([`wrote 2 rows to ${file}`]);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    const reader = await connection.runAndReadAll(`select * from read_parquet('${file}') order by contact_id`);
    expect(reader.columnTypes().map(String)).toEqual(['VARCHAR', 'VARCHAR', 'DOUBLE', 'BIGINT', 'BOOLEAN', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP', 'DATE']);
    expect(reader.getRows().map((r) => [String(r[0]), String(r[6])])).toEqual([
      ['a', '2026-03-10 10:00:00'],
      ['b', '2026-03-10 11:00:00'],
    ]);
    connection.closeSync();
    instance.closeSync();
  });
});
