/**
 * `config check --sample` on real and hand-made exports: the outcome breakdown, the first reasons per field
 * with their values masked and the option that would read them, the files' dates, and the zone a PBX's own
 * call ids give away.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbWorkspace } from '../../../../functions/adapters/local/duckdb-workspace.ts';
import { clientConfigSchema, type ClientConfigInput } from '../../../../functions/core/config/client-config.ts';
import { checkSample } from '../../../../functions/core/ingest/formats/check-sample.ts';
import { hintFor, inferTimestampPattern, maskReason } from '../../../../functions/core/ingest/formats/sample-hints.ts';

const ASTERISK = join(import.meta.dirname, '../../../fixtures/real/asterisk/Master.csv');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cspulse-sample-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const client = (sources: ClientConfigInput['sources'], timezone = 'Asia/Seoul') =>
  clientConfigSchema.parse({ id: 'shop', name: 'Shop', timezone, sources, contract: [{ effective_from: '2024-01-01' }], recipients: { to: ['ops@example.com'] } });
const check = (config: ReturnType<typeof client>, file: string, body: AsyncIterable<Uint8Array>) =>
  checkSample({ config, source: config.sources[0]!, file, body, openWorkspace: openDuckDbWorkspace, workDir: join(dir, 'work') });

describe('sample hints', () => {
  it('masks every digit and e-mail address inside the quoted values of a reason, not the column names', () => {
    expect(maskReason('column 통화시간 value "0:04:17" is not a number')).toBe('column 통화시간 value "#:##:##" is not a number');
    expect(maskReason('column c12 value "kim@example.com 010-1234-5678" is not a duration')).toBe('column c12 value "*@* ###-####-####" is not a duration');
  });

  it('names the unit of a duration spelling and the pattern of a date spelling', () => {
    expect(hintFor('talk_seconds', '0:04:17')).toBe('unit: hms');
    expect(hintFor('wait_seconds', '0h 5m 23s')).toBe('unit: dhms');
    expect(hintFor('arrived_at', '2024/1/28 22:41')).toBe('format: "YYYY/M/D HH:mm"');
    expect(inferTimestampPattern('28.01.2024 22:41:05')).toBe('format: "DD.MM.YYYY HH:mm:ss"');
    expect(inferTimestampPattern('01/02/2024')).toMatch(/does not tell day from month/);
    expect(inferTimestampPattern('1706407446')).toBe('format: epoch_s');
    expect(hintFor('queue', '0:04:17')).toBeUndefined();
  });
});

describe('checkSample', () => {
  it('shows each rejected field\'s first reasons, masked, with the option that reads them, the outcomes and the dates', async () => {
    const config = client([
      {
        id: 'cti',
        format: 'mapped-csv',
        channel: 'phone',
        fields: {
          contact_id: 'id',
          customer: 'caller',
          arrived_at: { column: 'start', format: 'YYYY-MM-DD HH:mm:ss' },
          talk_seconds: 'talk',
          outcome: { column: 'result', map: { 응대: 'answered', 포기: 'abandoned', ARS이탈: 'ivr_abandoned' } },
        },
      },
    ]);
    const csv =
      'id,caller,start,talk,result\n' +
      'C1,010-1234-5678,2024-01-28 09:00:00,257,응대\n' +
      'C2,010-1234-5679,2024-01-28 09:05:00,0:04:17,응대\n' + // H:MM:SS where seconds were mapped
      'C3,010-1234-5680,2024/1/28 22:41,0,포기\n' + // another date spelling
      'C4,010-1234-5681,2024-01-29 00:10:00,0,ARS이탈\n' +
      'C5,010-1234-5682,2024-01-29 08:00:00,30,응대\n';
    const report = await check(config, 'cti.csv', Readable.from([Buffer.from(csv)]));
    expect(report.rejected).toEqual([
      { field: 'arrived_at', count: 1, reasons: ['column start value "####/#/## ##:##" is not a timestamp in format YYYY-MM-DD HH:mm:ss'], hint: 'format: "YYYY/M/D HH:mm"' },
      { field: 'talk_seconds', count: 1, reasons: ['column talk value "#:##:##" is not a number of seconds'], hint: 'unit: hms' },
    ]);
    expect(report.outcomes).toEqual([
      { outcome: 'answered', count: 2 },
      { outcome: 'ivr_abandoned', count: 1 },
    ]);
    expect(report.dates).toEqual({ first: '2024-01-28', last: '2024-01-29', days: 2, zone: 'Asia/Seoul' });
  });

  it('warns when a PBX\'s epoch ids put its times in another zone than the one configured, and not when it agrees', async () => {
    // the real Asterisk file was written in UTC: read as Moscow time, every call is 3 h early against its uniqueid
    const moscow = client([{ id: 'pbx', preset: 'asterisk-cdr' }], 'Europe/Moscow');
    const wrong = await check(moscow, 'Master.csv', createReadStream(ASTERISK));
    expect(wrong.warnings.filter((w) => w.includes('.timezone:'))).toEqual([
      'sources.pbx.timezone: the epochs in 36 of 36 contact ids (the PBX\'s uniqueid) differ from their start times read as Europe/Moscow (UTC+03:00) by 3 h: ' +
        'the file\'s times look like UTC+00:00; set timezone: UTC',
    ]);
    expect(wrong.outcomes).toEqual([
      { outcome: 'answered', count: 24 },
      { outcome: 'abandoned', count: 6 },
      { outcome: 'self_service', count: 6 },
    ]);
    expect(wrong.dates).toMatchObject({ first: '2024-01-27', last: '2024-01-28', days: 2 });
    const right = await check(client([{ id: 'pbx', preset: 'asterisk-cdr', timezone: 'UTC' }], 'Europe/Moscow'), 'Master.csv', createReadStream(ASTERISK));
    expect(right.warnings.filter((w) => w.includes('.timezone:'))).toEqual([]);
  });
});
