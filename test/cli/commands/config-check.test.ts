import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliFailure, type CliContext } from '../../../functions/cli/context.ts';
import { runCli } from '../../../functions/cli/main.ts';
import { loadClientConfig } from '../../../functions/core/config/load-configs.ts';

function capture(): CliContext & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    loadConfig: loadClientConfig,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    fail: (m) => {
      throw new CliFailure(m);
    },
  };
}

const client = (id: string, sender?: string) =>
  `id: ${id}\nname: ${id}\ntimezone: Asia/Seoul\nsources: [{ id: cti, format: cspulse-csv }]\n` +
  `contract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [cs@${id}.co.kr] }\n${sender ? `sender: ${sender}\n` : ''}`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-config-check-'));
  await writeFile(join(dir, 'verified.yaml'), client('verified', 'reports@cs-partner.co.kr'));
  await writeFile(join(dir, 'nosender.yaml'), client('nosender'));
  await writeFile(join(dir, 'placeholder.yaml'), client('placeholder', 'reports@cspulse.example.com'));
  await writeFile(join(dir, 'localdev.yaml'), client('localdev', 'me@laptop.local'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cspulse config check: senders', () => {
  it('warns, without failing, about a client with no sender or a sender SES cannot verify', async () => {
    const ctx = capture();
    expect(await runCli(['config', 'check', '--config-dir', dir], ctx)).toBe(0);
    expect(ctx.stdout.at(-1)).toBe(`4 client config(s) valid in ${dir}`);
    expect(ctx.stderr).toEqual([
      `warning: ${dir}/localdev: sender me@laptop.local is on laptop.local, a reserved domain (RFC 2606, RFC 6761) that SES cannot verify; use an address of your own verified domain`,
      `warning: ${dir}/nosender: no sender: reports go out from the deployment's default (CSPULSE_DEFAULT_SENDER at cdk synth, else reports@cspulse.example.com); set sender to an address of a domain verified in SES`,
      `warning: ${dir}/placeholder: sender reports@cspulse.example.com is on cspulse.example.com, a reserved domain (RFC 2606, RFC 6761) that SES cannot verify; use an address of your own verified domain`,
    ]);
  });
});

describe('cspulse config check: mappings and a sample', () => {
  let mdir: string;
  const shop =
    'id: shop\nname: 샵\ntimezone: Asia/Seoul\n' +
    'sources:\n' +
    '  - id: cti\n    format: mapped-csv\n    channel: phone\n    fields:\n' +
    '      contact_id: 콜ID\n      customer: 발신번호\n      arrived_at: { column: 인입일시, format: "YYYY-MM-DD HH:mm:ss" }\n' +
    '      outcome: { column: 처리결과, map: { 응대: answered, 포기: abandoned, 콜백: callback_requested, ARS종료: self_service } }\n' +
    // the rule value was copied with the space the CTI screen shows after it
    '    outcome_rules:\n      - { when: [{ column: 처리결과, equals: "포기 " }], then: abandoned }\n' +
    'contract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [cs@shop.co.kr] }\nsender: reports@cs-partner.co.kr\n';
  beforeAll(async () => {
    mdir = await mkdtemp(join(tmpdir(), 'cspulse-config-mappings-'));
    await writeFile(join(mdir, 'shop.yaml'), shop);
    await writeFile(
      join(mdir, 'sample.csv'),
      '콜ID,발신번호,인입일시,처리결과\n' +
        'C1,010-1234-5678,2026-03-02 09:00:00,응대\n' +
        'C2,+82 10 1234 5678,2026-03-02 09:05:00,포기\n' +
        'C3,1012345678,2026-03-02 09:10:00,응대\n' + // the trunk 0 left out: not a number the plan can place
        'C4,kim@example.com,2026-03-02 09:20:00,콜백\n' +
        'C5,010-9999-0000,2026-03-02 25:00:00,응대\n', // hour 25
    );
  });
  afterAll(async () => {
    await rm(mdir, { recursive: true, force: true });
  });

  it('warns of a rule value with a trailing space; with --sample, of values that never occur, and counts phone fallbacks', async () => {
    const ctx = capture();
    expect(await runCli(['config', 'check', '--config-dir', mdir, '--sample', join(mdir, 'sample.csv')], ctx)).toBe(0);
    expect(ctx.stdout).toEqual([
      'ok  shop  샵  (Asia/Seoul, ko; sources: cti:mapped-csv)',
      `1 client config(s) valid in ${mdir}`,
      'sample sample.csv (source cti): 5 records, 1 rejected (arrived_at 1)',
      // the hour-25 value is in the configured format, so there is no format to suggest; digits are masked
      '  arrived_at: column 인입일시 value "####-##-## ##:##:##" is not a timestamp in format YYYY-MM-DD HH:mm:ss',
      'outcomes: answered 2, abandoned 1, callback_requested 1',
      'dates: 2026-03-02 (1 day in Asia/Seoul)',
      'customers: 4 values (phone region KR): 2 phone numbers, 1 fell back to their digits (########## ×1), 1 e-mails, 0 user ids, 0 hidden',
    ]);
    expect(ctx.stderr).toEqual([
      `warning: ${mdir}/shop: sources.cti.outcome_rules[0].when[0].equals: "포기 " has a space at its start or end; cells are trimmed, so it never matches (write "포기")`,
      `warning: ${mdir}/shop: sources.cti.fields.outcome.map: "ARS종료" never occurs in column 처리결과 of the sample (5 records)`,
      `warning: ${mdir}/shop: sources.cti.outcome_rules[0].when[0].equals: "포기 " never occurs in column 처리결과 of the sample (5 records); "포기" occurs 1 times`,
    ]);
  });

  it('fails on a pattern the SQL engine cannot run, though JavaScript accepts it', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'cspulse-config-re2-'));
    try {
      await writeFile(join(bad, 'shop.yaml'), shop.replace('contact_id: 콜ID', 'contact_id: { column: 콜ID, pattern: "^(?=C)C[0-9]+$" }'));
      const ctx = capture();
      expect(await runCli(['config', 'check', '--config-dir', bad], ctx)).toBe(1);
      expect(ctx.stderr.join('\n')).toContain(
        `invalid mappings:\n${bad}/shop: sources.cti: the SQL engine cannot run this mapping: Invalid Input Error: invalid perl operator: (?=`,
      );
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});

describe('cspulse config check: a customer column of user ids', () => {
  const ZENDESK = join(import.meta.dirname, '../../fixtures/real/zendesk/tickets-export.csv');
  const plum = (kind: string) =>
    'id: plum\nname: Plum\ntimezone: America/New_York\n' +
    `sources:\n  - id: tickets\n    preset: zendesk-support-tickets\n${kind}` +
    'contract: [{ effective_from: "2023-01-01" }]\nrecipients: { to: [ops@plum.example.com] }\nsender: reports@cs-partner.co.kr\n';

  it('suggests customer_kind: user_id when most values are digits no numbering plan places', async () => {
    const cdir = await mkdtemp(join(tmpdir(), 'cspulse-config-kind-'));
    try {
      await writeFile(join(cdir, 'plum.yaml'), plum('    customer_kind: auto\n'));
      const ctx = capture();
      expect(await runCli(['config', 'check', '--config-dir', cdir, '--sample', ZENDESK], ctx)).toBe(0);
      expect(ctx.stdout).toContain('customers: 22 values (phone region US): 0 phone numbers, 22 fell back to their digits (############# ×14, ############## ×8), 0 e-mails, 0 user ids, 0 hidden');
      expect(ctx.stderr).toContain(
        `warning: ${cdir}/plum: sources.tickets.customer_kind: 22 of 22 customer values are digits that are not phone numbers of region US; ` +
          'if the column holds user ids, set customer_kind: user_id so none is keyed as a phone number',
      );

      // the preset's own setting: every requester id a user id, and nothing to suggest
      await writeFile(join(cdir, 'plum.yaml'), plum(''));
      const preset = capture();
      expect(await runCli(['config', 'check', '--config-dir', cdir, '--sample', ZENDESK], preset)).toBe(0);
      expect(preset.stdout).toContain('customers: 22 values (phone region US): 0 phone numbers, 0 fell back to their digits, 0 e-mails, 22 user ids, 0 hidden');
      expect(preset.stderr.filter((w) => w.includes('customer_kind'))).toEqual([]);
    } finally {
      await rm(cdir, { recursive: true, force: true });
    }
  });
});

describe('cspulse config check: the operating calendar of the next 30 days', () => {
  let cdir: string;
  const mall =
    'id: mall\nname: 몰\ntimezone: Asia/Seoul\nsources: [{ id: cti, format: cspulse-csv, channel: phone }]\n' +
    'contract: [{ effective_from: "2026-01-01" }]\nrecipients: { to: [cs@mall.co.kr] }\nsender: reports@cs-partner.co.kr\n' +
    'calendar:\n' +
    '  - phone: { days: mon-fri, hours: "09:00-18:00" }\n' +
    '    closed: [{ date: "2026-05-04", name: 징검다리 휴무 }]\n' +
    '  - effective_from: "2026-05-11"\n' +
    '    phone: { days: mon-sat, hours: "09:00-18:00" }\n' +
    '    board: {}\n';
  beforeAll(async () => {
    cdir = await mkdtemp(join(tmpdir(), 'cspulse-config-calendar-'));
    await writeFile(join(cdir, 'mall.yaml'), mall);
    await writeFile(join(cdir, 'plain.yaml'), client('plain', 'reports@cs-partner.co.kr'));
  });
  afterAll(async () => {
    await rm(cdir, { recursive: true, force: true });
  });

  // 4/27 … 5/26: KR public holidays 5/1 노동절, 5/5 어린이날, 5/24 부처님 오신 날 (a Sunday) and 5/25 its substitute.
  // Phone: 4/27–5/10 weekdays (10) less 5/1, 5/4 and 5/5 = 7; 5/11–5/26 Monday to Saturday (14) less 5/25 = 13.
  // Board from 5/11, every day (16) less 5/24 and 5/25 = 14.
  const expected = (): string[] => [
    'ok  mall  몰  (Asia/Seoul, ko; sources: cti:cspulse-csv)',
    '  calendar 2026-04-27 … 2026-05-26: public holidays of KR',
    '  phone  mon-fri 09:00-18:00, from 2026-05-11: mon-sat 09:00-18:00; open 20 of 30 days',
    '    2026-05-01 fri  closed       public holiday 노동절',
    "    2026-05-04 mon  closed       client's closed day 징검다리 휴무",
    '    2026-05-05 tue  closed       public holiday 어린이날',
    '    2026-05-24 sun  closed       public holiday 부처님 오신 날',
    '    2026-05-25 mon  closed       public holiday 대체공휴일(부처님 오신 날)',
    '  board  no service, from 2026-05-11: mon-sun 00:00-24:00; open 14 of 30 days',
    '    2026-05-24 sun  closed       public holiday 부처님 오신 날',
    '    2026-05-25 mon  closed       public holiday 대체공휴일(부처님 오신 날)',
    'ok  plain  plain  (Asia/Seoul, ko; sources: cti:cspulse-csv)',
    '  calendar: none (every channel open every day, all hours)',
    `2 client config(s) valid in ${cdir}`,
  ];

  it('from --from: per channel its hours, the open days, and every holiday or own day', async () => {
    const ctx = capture();
    expect(await runCli(['config', 'check', '--config-dir', cdir, '--from', '2026-04-27'], ctx)).toBe(0);
    expect(ctx.stdout).toEqual(expected());
    expect(ctx.stderr).toEqual([]);
  });

  it('from today in the client\'s time zone: 15:30 UTC on 4/26 is already 4/27 in Seoul', async () => {
    const ctx = { ...capture(), clock: { now: () => new Date('2026-04-26T15:30:00Z') } };
    expect(await runCli(['config', 'check', '--config-dir', cdir], ctx)).toBe(0);
    expect(ctx.stdout).toEqual(expected());
  });

  it('warns when the days reach a Korean year the installed gazette data does not have', async () => {
    const ctx = capture();
    expect(await runCli(['config', 'check', '--config-dir', cdir, '--from', '2027-12-20'], ctx)).toBe(0);
    expect(ctx.stderr).toHaveLength(1);
    expect(ctx.stderr[0]).toMatch(new RegExp(`^warning: ${cdir}/mall: KR public holidays of 2028 are not in the installed @hyunbinseo/holidays-kr`));
  });

  it('refuses a --from that is not a date', async () => {
    const ctx = capture();
    expect(await runCli(['config', 'check', '--config-dir', cdir, '--from', '2026-13-01'], ctx)).not.toBe(0);
  });
});
