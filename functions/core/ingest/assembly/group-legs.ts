/**
 * Call legs → contacts: the assembly step for exports that write one row per leg of a call (Asterisk's
 * cdr_csv writes a CDR per pair of parties, FreeSWITCH's mod_cdr_csv an A and a B leg). It runs between the
 * staged rows (one per leg, as the mapping read them) and the lake rows, in SQL, and gives one row per
 * contact in the shape the mapping's own rows have, so everything after it (customer keys, newest copy wins,
 * publishing) is the same for every source.
 *
 * Which legs are one contact (`legs.key`):
 * - a column: rows with the same value (Asterisk `linkedid`, "the unique id of the call's first channel");
 * - `{ column, parent }`: a row whose `column` value is another row's `parent` value belongs to that row's
 *   contact (FreeSWITCH: the B leg's `uuid` is the A leg's `bleg_uuid`). One level: the row it points from is
 *   the contact's root, and when two rows point at the same row, the earlier line wins.
 * Legs are ordered root first, then by line; "first" means the first leg in that order that has a value.
 *
 * The answering leg: of the legs that answered (`legs.answered`, else those whose own outcome is answered),
 * those matching `legs.prefer` first, then the one that talked longest, then the earliest answer, then the
 * first line. `answering` fields take that leg's value (null when no leg answered).
 *
 * Per-field rules (`legs.fields`), defaults in sql-mapping.ts (LEG_DEFAULTS): first, last, earliest, latest,
 * min, max, sum (nulls ignored; null when every leg is null), any, all (booleans), answering. The outcome is
 * `{ priority: [...] }` — the first of these outcomes any leg has (default the order of OUTCOMES:
 * answered, abandoned, callback_requested, ivr_abandoned, self_service, excluded: answered if any leg was answered) — or `first`, the root leg's.
 * Durations `between` two timestamp fields are computed after grouping, on the contact's own times (a wait
 * is the call's answer − its earliest start, not any one leg's).
 *
 * Counting: a contact is one row; its other legs are counted as `legs_grouped` in the manifest, so
 * rows_read = rows_written + rows_quarantined + duplicates_dropped + legs_grouped. A call with a leg the
 * mapping rejected is quarantined whole, each leg with its own reason or "another leg … was rejected": a
 * contact assembled without one of its legs would be wrong (an answered call read as abandoned).
 *
 * Legs are grouped within one file. A call whose legs a PBX wrote into two files (a log rotated mid-call)
 * becomes two partial copies of one contact id, and the newer delivery's copy wins; the files must be
 * delivered whole per call for its figures to be right.
 */
import type { SqlWorkspace } from '../../ports.ts';
import { OUTCOMES } from '../../tables.ts';
import type { LegsSql } from '../mapping/sql-mapping.ts';
import { CONTACT_DRAFT_COLUMNS } from '../mapping/sql-mapping.ts';
import { sqlString } from '../mapping/sql-text.ts';

/** The aggregate of one draft column under its rule. */
function aggregate(column: string, rule: string): string {
  switch (rule) {
    case 'first':
      return `arg_min(${column}, __order) FILTER (WHERE ${column} IS NOT NULL)`;
    case 'last':
      return `arg_max(${column}, __order) FILTER (WHERE ${column} IS NOT NULL)`;
    case 'earliest':
    case 'min':
      return `min(${column})`;
    case 'latest':
    case 'max':
      return `max(${column})`;
    case 'sum':
      return `sum(${column})`;
    case 'any':
      return `bool_or(${column})`;
    case 'all':
      return `bool_and(${column})`;
    case 'answering':
      // the answering leg's own value, even when it is null: not some other leg's
      return `first(${column} ORDER BY __answer_rank) FILTER (WHERE __answered)`;
    default:
      throw new RangeError(`unknown leg rule ${rule}`);
  }
}

/**
 * SELECT of the contacts assembled from `legs` (a relation of the mapping's leg rows), plus one row per leg of
 * every call that is quarantined, with `__field` and `__reason` set.
 */
export function groupLegsSql(legs: string, plan: LegsSql): string {
  const parentKeyed = typeof plan.config.key === 'object';
  const outcome = plan.config.outcome ?? { priority: [...OUTCOMES] };
  const outcomeSql =
    outcome === 'first'
      ? `arg_min(outcome, __order)`
      : `CASE ${outcome.priority.map((o) => `WHEN bool_or(outcome = ${sqlString(o)}) THEN ${sqlString(o)}`).join(' ')} END`;
  const columns = CONTACT_DRAFT_COLUMNS.map((c) => (c === 'outcome' ? `${outcomeSql} AS outcome` : `${aggregate(c, plan.rules[c] ?? 'first')} AS ${c}`));
  const keyed = parentKeyed
    ? `SELECT l.*, coalesce(p.__root_key, l.__key) AS __group, p.__root_key IS NULL AS __is_root FROM legs l ` +
      `LEFT JOIN (SELECT __parent AS __child, arg_min(__key, __line) AS __root_key FROM legs WHERE __parent IS NOT NULL AND __key IS NOT NULL GROUP BY __parent) p ` +
      `ON p.__child = l.__key AND p.__root_key <> l.__key`
    : `SELECT *, __key AS __group, TRUE AS __is_root FROM legs`;
  const lines = `array_to_string(list(__line ORDER BY __line), ', ')`;
  return [
    `WITH legs AS (SELECT * FROM ${legs}),`,
    // a leg without a key is its own contact, quarantined for its empty key
    `keyed AS (SELECT * REPLACE (coalesce(__group, 'line ' || __line) AS __group) FROM (${keyed})),`,
    `bad AS (SELECT __group, min(__line) FILTER (WHERE __field IS NOT NULL) AS __bad_line FROM keyed GROUP BY __group HAVING count(__field) > 0),`,
    `ranked AS (SELECT *, row_number() OVER (PARTITION BY __group ORDER BY __is_root DESC, __line) AS __order, ` +
      `row_number() OVER (PARTITION BY __group ORDER BY __answered DESC, __prefer DESC, talk_seconds DESC NULLS LAST, answered_ms NULLS LAST, __line) AS __answer_rank ` +
      `FROM keyed WHERE __group NOT IN (SELECT __group FROM bad)),`,
    `grouped AS (SELECT __group, min(__line) AS __line, ${lines} AS __lines, ${columns.join(', ')}, ` +
      `CAST(NULL AS VARCHAR) AS __field, CAST(NULL AS VARCHAR) AS __reason, CAST(NULL AS VARCHAR) AS __raw FROM ranked GROUP BY __group),`,
    `finished AS (${plan.finish('grouped')})`,
    `SELECT * EXCLUDE (__group, __lines) FROM finished WHERE __field IS NULL`,
    `UNION ALL BY NAME`,
    `SELECT k.__line, f.__field, 'the contact of lines ' || f.__lines || ': ' || f.__reason AS __reason, k.__raw, k.arrived_ms ` +
      `FROM keyed k JOIN finished f ON k.__group = f.__group WHERE f.__field IS NOT NULL`,
    `UNION ALL BY NAME`,
    `SELECT k.__line, coalesce(k.__field, '(legs)') AS __field, ` +
      `coalesce(k.__reason, 'another leg of this call (line ' || b.__bad_line || ', same ' || ${sqlString(plan.keyLabel)} || ') was rejected') AS __reason, k.__raw, k.arrived_ms ` +
      `FROM keyed k JOIN bad b ON k.__group = b.__group`,
  ].join('\n');
}

/**
 * Writes the contacts of a leg source's staged rows to `out` (Parquet) and returns how many leg rows were
 * folded into another leg's contact (`legs_grouped`).
 */
export async function groupLegs(ws: SqlWorkspace, plan: LegsSql, stagedRows: string, out: string): Promise<number> {
  await ws.run(`COPY (${groupLegsSql(stagedRows, plan)}) TO ${sqlString(out)} (FORMAT parquet, COMPRESSION uncompressed)`);
  const [counts] = await ws.query(`SELECT (SELECT count(*) FROM ${stagedRows}) - (SELECT count(*) FROM read_parquet(${sqlString(out)})) AS n`);
  return Number(counts?.n ?? 0);
}
