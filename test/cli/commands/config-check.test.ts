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
