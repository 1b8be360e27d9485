/**
 * Test harness: runs a compiled SQL mapping over given records in a real DuckDB workspace and returns one
 * MapResult per record, shaped like the drafts ingest builds, so mapping tests read as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbWorkspace } from '../../../../functions/adapters/local/duckdb-workspace.ts';
import { readRecordsSql } from '../../../../functions/core/ingest/mapping/record-relation.ts';
import {
  compileContactSql,
  compileSurveySql,
  type MappedCsvSource,
  type MappedSurveyCsvSource,
} from '../../../../functions/core/ingest/mapping/sql-mapping.ts';
import { sqlString } from '../../../../functions/core/ingest/mapping/sql-text.ts';
import { RecordFileWriter } from '../../../../functions/core/ingest/records/record-file.ts';
import type { ContactDraft, MapResult, SurveyDraft } from '../../../../functions/core/ingest/types.ts';
import {
  civilDays,
  civilMs,
  decimalValue,
  hmsValue,
  isoFields,
  tokenFields,
  tokenRegex,
  validClock,
} from '../../../../functions/core/ingest/mapping/sql-values.ts';
import type { SqlValue } from '../../../../functions/core/ports.ts';

const date = (v: SqlValue | undefined): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));

async function run(select: (width: number) => string, records: readonly (readonly string[])[], width: number, delimiter: string) {
  const dir = mkdtempSync(join(tmpdir(), 'cspulse-sql-mapping-'));
  const path = join(dir, 'records.csv');
  const writer = new RecordFileWriter(path, Buffer.from(delimiter));
  records.forEach((r, i) => writer.writeFields(i + 2, [...r]));
  writer.close();
  const workspace = await openDuckDbWorkspace({ spillDir: dir, memoryLimitMb: 256 });
  try {
    if (records.length === 0) return [];
    await workspace.run(`CREATE VIEW records AS SELECT * FROM ${readRecordsSql({ path, width, delimiter, maxRecordBytes: 1 << 20 })}`);
    return await workspace.query(`${select(width)} ORDER BY __line`);
  } finally {
    await workspace.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function mapContactsSql(
  source: MappedCsvSource,
  header: string[] | null,
  records: readonly (readonly string[])[],
  clientZone: string,
): Promise<MapResult<ContactDraft>[]> {
  const width = header?.length ?? records[0]?.length ?? 0;
  const mapping = compileContactSql(source, { header, width, clientZone });
  const rows = await run(() => mapping.select, records, width, source.delimiter);
  return rows.map((r) =>
    r.__field !== null
      ? { ok: false, rejection: { field: String(r.__field), reason: String(r.__reason) } }
      : {
          ok: true,
          value: {
            contact_id: r.contact_id as string,
            channel: r.channel as ContactDraft['channel'],
            direction: r.direction as ContactDraft['direction'],
            queue: r.queue as string | null,
            category: r.category as string | null,
            subcategory: r.subcategory as string | null,
            customer_raw: r.customer_raw as string | null,
            agent_id: r.agent_id as string | null,
            arrived_at: date(r.arrived_ms)!,
            answered_at: date(r.answered_ms),
            ended_at: date(r.ended_ms),
            ivr_seconds: r.ivr_seconds as number | null,
            wait_seconds: r.wait_seconds as number | null,
            talk_seconds: r.talk_seconds as number | null,
            hold_seconds: r.hold_seconds as number | null,
            acw_seconds: r.acw_seconds as number | null,
            handle_seconds: r.handle_seconds as number | null,
            outcome: r.outcome as ContactDraft['outcome'],
            is_transferred: r.is_transferred as boolean,
            is_resolved: r.is_resolved as boolean | null,
          },
        },
  );
}

export async function mapSurveysSql(
  source: MappedSurveyCsvSource,
  header: string[] | null,
  records: readonly (readonly string[])[],
  clientZone: string,
): Promise<MapResult<SurveyDraft>[]> {
  const width = header?.length ?? records[0]?.length ?? 0;
  const mapping = compileSurveySql(source, { header, width, clientZone });
  const rows = await run(() => mapping.select, records, width, source.delimiter);
  return rows.map((r) =>
    r.__field !== null
      ? { ok: false, rejection: { field: String(r.__field), reason: String(r.__reason) } }
      : {
          ok: true,
          value: {
            survey_id: r.survey_id as string,
            contact_id: r.contact_id as string | null,
            channel: r.channel as SurveyDraft['channel'],
            agent_id: r.agent_id as string | null,
            survey_type: r.survey_type as SurveyDraft['survey_type'],
            score: r.score as number,
            scale_min: r.scale_min as number,
            scale_max: r.scale_max as number,
            comment: r.comment as string | null,
            responded_at: date(r.responded_ms)!,
          },
        },
  );
}

/**
 * The old `compileContactMapping(...).map(record)` shape over the SQL compiler, for tests of single records:
 * compiling checks the mapping at once (config and missing-column errors are thrown here, as before), and
 * each `map` runs the record through DuckDB. Without a header the width is the record's.
 */
export function compileContactMapping(source: MappedCsvSource, header: string[] | null, clientZone: string, file?: string) {
  compileContactSql(source, { header, width: header?.length ?? 1_000, clientZone, file });
  return { map: async (record: readonly string[]) => (await mapContactsSql(source, header, [record], clientZone))[0]! };
}

export function compileSurveyMapping(source: MappedSurveyCsvSource, header: string[] | null, clientZone: string, file?: string) {
  compileSurveySql(source, { header, width: header?.length ?? 1_000, clientZone, file });
  return { map: async (record: readonly string[]) => (await mapSurveysSql(source, header, [record], clientZone))[0]! };
}

/**
 * One value read by one value rule of sql-values.ts, evaluated by DuckDB: `decimal`, `hms` (seconds), or a
 * timestamp format (`iso`, a token pattern) read as UTC, in epoch ms. NULL when the rule does not accept it.
 */
export async function sqlValue(rule: string, value: string): Promise<number | null> {
  return (await sqlValues(rule, [value]))[0]!;
}

/** sqlValue for many values in one query, in order. */
export async function sqlValues(rule: string, values: readonly string[]): Promise<(number | null)[]> {
  const derive = (expression: string) => `(${expression})`;
  let expression: string;
  if (rule === 'decimal') expression = decimalValue(derive, 'v');
  else if (rule === 'hms') expression = hmsValue(derive, 'v');
  else {
    const f = rule === 'iso' ? isoFields(derive, 'v') : tokenFields(derive, 'v', tokenRegex(rule));
    const offset = rule === 'iso' ? isoFields(derive, 'v') : undefined;
    const days = civilDays(derive, f.year, f.month, f.day);
    const valid = `${f.matched} AND ${days} IS NOT NULL AND ${validClock(f)}${offset ? ` AND ${offset.offsetValid}` : ''}`;
    const civil = civilMs(days, f);
    expression = `CASE WHEN ${valid} THEN ${civil} - ${offset ? `CASE WHEN ${offset.hasOffset} THEN ${offset.offsetMs} ELSE 0 END` : '0'} END`;
  }
  const workspace = await openDuckDbWorkspace({ spillDir: tmpdir(), memoryLimitMb: 64 });
  try {
    if (values.length === 0) return [];
    const rows = await workspace.query(
      `SELECT i, CAST(${expression} AS DOUBLE) AS x FROM (VALUES ${values.map((v, i) => `(${i}, ${sqlString(v)})`).join(', ')}) AS t (i, v) ORDER BY i`,
    );
    return rows.map((row) => (row.x === null || row.x === undefined ? null : Number(row.x)));
  } finally {
    await workspace.close();
  }
}
