/**
 * The mapping options real exports need beyond one column per field: durations derived from two timestamps
 * (`between`) or two duration columns (`minus`), a timestamp plus a duration (`plus`), reads that apply only
 * on some rows (`when`), a part of a value (`extract`), value maps on numbers, spreadsheet serials. Compiled
 * to SQL and run by DuckDB (run-sql-mapping.ts); every expected value is worked out in the comments.
 */
import { describe, expect, it } from 'vitest';
import { clientConfigSchema } from '../../../../functions/core/config/client-config.ts';
import { MappingConfigError } from '../../../../functions/core/ingest/mapping/errors.ts';
import type { MappedCsvSource } from '../../../../functions/core/ingest/mapping/sql-mapping.ts';
import { compileContactMapping, mapContactsSql } from './run-sql-mapping.ts';

const source = (rest: Record<string, unknown>): MappedCsvSource =>
  clientConfigSchema.parse({
    id: 'acme',
    name: 'Acme',
    timezone: 'UTC',
    phone_region: 'GB',
    sources: [{ id: 'cdr', format: 'mapped-csv', channel: 'phone', ...rest }],
    contract: [{ effective_from: '2024-01-01' }],
    recipients: { to: ['lead@example.com'] },
  }).sources[0] as MappedCsvSource;

const TIME = 'YYYY-MM-DD HH:mm:ss';
const HEADER = ['id', 'start', 'answer', 'duration', 'billsec', 'disposition', 'dstchannel', 'hold'];
const cdr = source({
  fields: {
    contact_id: 'id',
    arrived_at: { column: 'start', format: TIME },
    answered_at: { column: 'answer', format: TIME, null_values: [''] },
    ended_at: { column: 'start', format: TIME, plus: 'duration' },
    // the wait of an answered call is answer − start; of an unanswered one its whole ring, duration − billsec
    wait_seconds: { between: ['arrived_at', 'answered_at'], fallback: [{ column: 'duration', minus: 'billsec' }] },
    talk_seconds: { column: 'billsec', when: [{ column: 'disposition', equals: 'ANSWERED' }] },
    agent_id: { column: 'dstchannel', extract: '^(.+)-[0-9a-f]+$', null_values: [''] },
    hold_seconds: { column: 'hold', map: { '-': null, 'N/A': 0 } },
    outcome: { column: 'disposition', map: { ANSWERED: 'answered', 'NO ANSWER': 'abandoned' } },
  },
});
const ms = (iso: string) => new Date(iso);

describe('derived values', () => {
  it('a wait between two timestamps, a ring as duration − billsec, an end as start + duration', async () => {
    const [answered, rang, numbers] = await mapContactsSql(
      cdr,
      HEADER,
      [
        ['c1', '2024-01-28 02:04:06', '2024-01-28 02:04:12', '23', '17', 'ANSWERED', 'SIP/301-00000012', '-'],
        ['c2', '2024-01-27 15:33:20', '', '60', '0', 'NO ANSWER', '', 'N/A'],
        ['c3', '2024-01-27 15:33:20', '', '60', '0', 'NO ANSWER', 'SIP/stadionpbx-00000005', '12'],
      ],
      'UTC',
    );
    expect(answered).toEqual({
      ok: true,
      value: expect.objectContaining({
        arrived_at: ms('2024-01-28T02:04:06Z'),
        answered_at: ms('2024-01-28T02:04:12Z'),
        ended_at: ms('2024-01-28T02:04:29Z'), // 02:04:06 + 23 s
        wait_seconds: 6, // 02:04:12 − 02:04:06, not duration − billsec (23 − 17 = 6 here too)
        talk_seconds: 17,
        agent_id: 'SIP/301', // the channel without its -<counter>
        hold_seconds: null, // '-' mapped to no value
        handle_seconds: 17, // talk 17 + hold 0
      }),
    });
    expect(rang).toEqual({
      ok: true,
      value: expect.objectContaining({
        answered_at: null,
        wait_seconds: 60, // no answer: duration 60 − billsec 0
        talk_seconds: null, // billsec is read only where disposition is ANSWERED
        agent_id: null,
        hold_seconds: 0, // 'N/A' mapped to 0
        ended_at: ms('2024-01-27T15:34:20Z'),
        outcome: 'abandoned',
      }),
    });
    expect(numbers).toMatchObject({ ok: true, value: { hold_seconds: 12, agent_id: 'SIP/stadionpbx' } });
  });

  it('rejects what cannot be derived, naming the field and the values', async () => {
    const [negativeWait, negativeRing, noMatch, notNumber] = await mapContactsSql(
      cdr,
      HEADER,
      [
        ['c4', '2024-01-28 10:00:10', '2024-01-28 10:00:05', '5', '5', 'ANSWERED', '', ''],
        ['c5', '2024-01-28 10:00:10', '', '5', '9', 'NO ANSWER', '', ''],
        ['c6', '2024-01-28 10:00:10', '', '5', '0', 'NO ANSWER', 'Local/ch1', ''],
        ['c7', '2024-01-28 10:00:10', '', '5', '0', 'NO ANSWER', '', 'soon'],
      ],
      'UTC',
    );
    expect(negativeWait).toEqual({
      ok: false,
      rejection: {
        field: 'wait_seconds',
        reason: 'answered_at 2024-01-28T10:00:05Z is before arrived_at 2024-01-28T10:00:10Z: wait_seconds between them would be negative',
      },
    });
    expect(negativeRing).toEqual({ ok: false, rejection: { field: 'wait_seconds', reason: 'columns duration − billsec: -4 s is a negative duration' } });
    expect(noMatch).toEqual({
      ok: false,
      rejection: { field: 'agent_id', reason: 'column dstchannel value "Local/ch1" does not match the extract pattern ^(.+)-[0-9a-f]+$' },
    });
    expect(notNumber).toEqual({ ok: false, rejection: { field: 'hold_seconds', reason: 'column hold value "soon" is not a number of seconds' } });
  });

  it('negative_as_null on a between gives no value instead, and the next alternative is tried', async () => {
    const lenient = source({
      fields: {
        ...cdr.fields,
        wait_seconds: { between: ['arrived_at', 'answered_at'], negative_as_null: true, fallback: [{ column: 'duration' }] },
      },
    });
    const [row] = await mapContactsSql(lenient, HEADER, [['c4', '2024-01-28 10:00:10', '2024-01-28 10:00:05', '5', '5', 'ANSWERED', '', '']], 'UTC');
    expect(row).toMatchObject({ ok: true, value: { wait_seconds: 5 } });
  });

  it('spreadsheet serials: dates in the source zone, durations as fractions of a day', async () => {
    const sheet = source({
      timezone: 'Asia/Seoul',
      fields: {
        contact_id: 'id',
        arrived_at: { column: 'at', format: 'excel' },
        wait_seconds: { column: 'wait', unit: 'days' },
        outcome: { constant: 'answered' },
      },
    });
    // 45319.08618055556 days after 1899-12-30 is 2024-01-28 02:04:06 on the wall clock, Seoul time (UTC+9);
    // 0.00006944444444444444 days (as a spreadsheet reader writes 6/86400) is 6 s (to the millisecond)
    const [row, bad] = await mapContactsSql(sheet, ['id', 'at', 'wait'], [['x1', '45319.08618055556', '0.00006944444444444444'], ['x2', 'Jan 28', '0']], 'Asia/Seoul');
    expect(row).toMatchObject({ ok: true, value: { arrived_at: ms('2024-01-27T17:04:06Z'), wait_seconds: 6 } });
    expect(bad).toEqual({ ok: false, rejection: { field: 'arrived_at', reason: 'column at value "Jan 28" is not a spreadsheet date serial' } });
  });

  it('config errors: between on fields the mapping lacks, a non-number map value, minus on a timestamp', () => {
    const compile = (fields: Record<string, unknown>) => () =>
      compileContactMapping(source({ fields: { contact_id: 'id', arrived_at: { column: 'start', format: TIME }, outcome: { constant: 'answered' }, ...fields } }), HEADER, 'UTC');
    expect(compile({ wait_seconds: { between: ['arrived_at', 'answered_at'] } })).toThrow(
      new MappingConfigError('cdr', 'wait_seconds', 'between reads answered_at, which the mapping does not map'),
    );
    expect(compile({ talk_seconds: { column: 'billsec', map: { x: 'soon' } } })).toThrow(
      new MappingConfigError('cdr', 'talk_seconds', 'map value "soon" for "x" is not a number or null'),
    );
    expect(compile({ ended_at: { column: 'start', format: TIME, minus: 'duration' } })).toThrow(
      new MappingConfigError('cdr', 'ended_at', 'between and minus make durations, not timestamps'),
    );
  });
});
