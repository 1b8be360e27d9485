/**
 * A hand-worked lake for the live page: Tuesday 2026-03-31 in Seoul, viewed at 11:00 (the minute 11:00 counts,
 * so the cutoff is 11:01:00 = 02:01:00Z and the last hour 10:01–11:01), and its usual Tuesdays 3/24, 3/17, 3/10
 * and 3/3. What each row is for, and every figure worked out from them, is in live-view.test.ts.
 */
import { createFolderStore } from '../../../functions/adapters/local/folder-store.ts';
import { clientConfigSchema, type ClientConfig, type ClientConfigInput } from '../../../functions/core/config/client-config.ts';
import { putCoverageEntry, type CoverageEntry } from '../../../functions/core/ingest/coverage.ts';
import type { ContactRow } from '../../../functions/core/tables.ts';
import { contact, tempLake, writeLakeTable } from '../kpis/lake-fixture.ts';

export const CLIENT = 'livemall';
/** 11:00:30 KST on Tuesday 2026-03-31 */
export const NOW = new Date('2026-03-31T02:00:30Z');

export const configInput: ClientConfigInput = {
  id: CLIENT,
  name: '라이브몰',
  timezone: 'Asia/Seoul',
  sources: [
    { id: 'cti', format: 'cspulse-csv', channel: 'phone' },
    { id: 'chat', format: 'cspulse-csv', channel: 'chat', completeness: { expect: 'daily-file' } },
  ],
  recipients: { to: ['cs-lead@example.com'], reply_to: 'am@example.com', operator: 'ops@example.com' },
  sender: 'reports@cspulse.test',
  contract: [
    {
      effective_from: '2026-01-01',
      channels: { phone: { service_level_seconds: 20, short_abandon_seconds: 5 } },
      targets: [
        { kpi: 'service_level', channel: 'phone', op: '>=', value: 0.8 },
        { kpi: 'abandon_rate', channel: 'phone', op: '<=', value: 0.05 },
        { kpi: 'asa_seconds', channel: 'phone', op: '<=', value: 30 },
      ],
    },
  ],
  calendar: [
    {
      effective_from: '2026-01-01',
      phone: { days: 'mon-fri', hours: '09:00-18:00' },
      chat: { days: 'mon-sun', hours: '09:00-21:00' },
      // the shop closed its phones on Tuesday 3/10 (a few agents worked anyway: their calls are not "the usual")
      closed: [{ date: '2026-03-10', name: '워크숍', channels: ['phone'] }],
    },
  ],
  live: { alerts: { min_offered: 5 } },
};

export const config = (input: ClientConfigInput = configInput): ClientConfig => clientConfigSchema.parse(input);

/** A local KST wall-clock time on a date as a UTC Date. */
export const kst = (dt: string, hhmmss: string): Date => new Date(`${dt}T${hhmmss}+09:00`);

type Partial_ = Partial<ContactRow> & { id: string; at: string; dt: string };

const row = ({ id, at, dt, ...rest }: Partial_) => {
  const arrived = kst(dt, at);
  const localHour = Number(at.slice(0, 2));
  return { client_id: CLIENT, dt, row: contact({ contact_id: id, arrived_at: arrived, local_hour: localHour, source: 'cti', ...rest }) };
};

const T = '2026-03-31';
export const rows = [
  // today, before the cutoff (11:01:00)
  row({ dt: T, id: 't1', at: '09:05:00', wait_seconds: 10, category: '배송' }),
  row({ dt: T, id: 't2', at: '09:20:00', wait_seconds: 30, category: '배송' }),
  row({ dt: T, id: 't3', at: '09:40:00', wait_seconds: 3, outcome: 'abandoned', category: '교환' }),
  row({ dt: T, id: 't4', at: '10:10:00', wait_seconds: 5, category: '배송' }),
  row({ dt: T, id: 't5', at: '10:30:00', wait_seconds: 40, outcome: 'abandoned', category: '배송' }),
  row({ dt: T, id: 't6', at: '10:45:00', wait_seconds: 25, category: '배송' }),
  row({ dt: T, id: 't7', at: '10:59:59', wait_seconds: 15, category: '배송' }),
  row({ dt: T, id: 't8', at: '11:00:30', wait_seconds: 0, category: '배송' }),
  row({ dt: T, id: 't10', at: '10:20:00', outcome: 'self_service', category: '배송' }),
  row({ dt: T, id: 't11', at: '10:25:00', outcome: 'excluded', category: '테스트' }),
  // today, after the cutoff: a replayed lake may hold it already; the view must not count it
  row({ dt: T, id: 't9', at: '11:05:00', wait_seconds: 2, category: '배송' }),
  // 3/24: a usual day
  row({ dt: '2026-03-24', id: 'a1', at: '09:10:00', wait_seconds: 10, category: '배송' }),
  row({ dt: '2026-03-24', id: 'a2', at: '10:15:00', wait_seconds: 50, category: '교환' }),
  row({ dt: '2026-03-24', id: 'a3', at: '10:40:00', wait_seconds: 8, outcome: 'abandoned', category: '교환' }),
  row({ dt: '2026-03-24', id: 'a4', at: '14:00:00', wait_seconds: 5, category: '배송' }),
  // 3/17: open, but the lake holds nothing of it (missing data, not a quiet day): left out of the usual
  // 3/10: closed by the calendar: left out although a call is in the lake
  row({ dt: '2026-03-10', id: 'c1', at: '10:30:00', wait_seconds: 1, category: '배송' }),
  // 3/3: a usual day
  row({ dt: '2026-03-03', id: 'd1', at: '09:30:00', wait_seconds: 12, category: '배송' }),
  row({ dt: '2026-03-03', id: 'd2', at: '10:50:00', wait_seconds: 18, category: '교환' }),
  row({ dt: '2026-03-03', id: 'd3', at: '11:30:00', wait_seconds: 20, category: '교환' }),
];

/**
 * The chat source's daily exports: the file of each day from 3/24 to 3/29 arrives at 03:00 the next morning;
 * 3/30's has not come by 11:00 on 3/31.
 */
export function chatCoverage(): CoverageEntry[] {
  const days = ['2026-03-24', '2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29'];
  return days.map((dt) => {
    const next = new Date(Date.parse(`${dt}T03:00:00+09:00`) + 86_400_000).toISOString();
    return {
      client_id: CLIENT,
      source: 'chat',
      table: 'contacts',
      dt,
      file: `chat_${dt}.csv`,
      file_id: `f${dt.replaceAll('-', '')}`,
      delivered_at: next,
      finished_at: next,
      rows: 20,
      quarantined: 0,
      excluded: 0,
      declared: false,
      file_rows_read: 20,
      file_rows_quarantined: 0,
    };
  });
}

export async function liveLake(extra: typeof rows = []): Promise<string> {
  const lake = await tempLake();
  await writeLakeTable(lake, 'contacts', [...rows, ...extra]);
  const store = createFolderStore(lake);
  for (const entry of chatCoverage()) await putCoverageEntry(store, entry);
  return lake;
}
