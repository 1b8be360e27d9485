/**
 * The assembly stage's SQL: staged rows → lake rows (customer keys, UTC timestamps, provenance), and the choice
 * of one copy per contact. Column lists come from tables.ts, so the Parquet files ingest writes have exactly
 * the lake tables' columns, in their order and types (timestamps as TIMESTAMP_MS: INT64 TIMESTAMP_MILLIS that
 * Athena and DuckDB both read as a plain UTC `timestamp`).
 */
import { hmacSql } from './mapping/customer-key-sql.ts';
import { sqlString } from './mapping/sql-text.ts';
import { lakeTables, type ColumnType, type LakeTableName } from '../tables.ts';

const SQL_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMP_MS',
  double: 'DOUBLE',
  int: 'INTEGER',
  boolean: 'BOOLEAN',
};

/**
 * An epoch-ms column as a timestamp. Only valid rows (range-checked by the mapping) are converted: the guard
 * keeps the engine from converting a rejected row's out-of-range value however it orders filter and projection.
 */
const ms = (expression: string): string => `CASE WHEN __field IS NULL THEN CAST(epoch_ms(${expression}) AS TIMESTAMP_MS) END`;

/** Where a row came from: its file's name, ingest time and delivery time (epoch ms). */
export type Provenance =
  | { sourceFile: string; ingestedAt: number; deliveredAt: number }
  /** a batch of files: SQL expressions over the staged relation that give each row its own file's values */
  | { sourceFileSql: string; ingestedAtSql: string; deliveredAtSql: string };

export interface LakeRowsInput {
  /** relation of staged rows (the mapping's output) */
  staged: string;
  /** join `customer_norms (raw, norm)`: the values normalizeCustomer decided */
  joinNorms: boolean;
  /** surveys: join `comment_masks (raw, masked)`, the comments whose contact details were masked */
  joinCommentMasks?: boolean;
  source: string;
  provenance: Provenance;
  /** SQL expressions for the HMAC pads (see hmacPads) */
  pads: { inner: string; outer: string };
}

/** SELECT of the lake rows of a file's valid staged rows, plus `dt`, `__line` and `__fresh` (TRUE). */
export function lakeTableSql(table: LakeTableName, input: LakeRowsInput): string {
  const def = lakeTables[table];
  const p = input.provenance;
  const [sourceFile, ingestedAt, deliveredAt] =
    'sourceFileSql' in p ? [p.sourceFileSql, p.ingestedAtSql, p.deliveredAtSql] : [sqlString(p.sourceFile), String(p.ingestedAt), String(p.deliveredAt)];
  const provenance: Record<string, string> = {
    source: sqlString(input.source),
    source_file: sourceFile,
    ingested_at: `CAST(epoch_ms(${ingestedAt}) AS TIMESTAMP_MS)`,
    delivered_at: `CAST(epoch_ms(${deliveredAt}) AS TIMESTAMP_MS)`,
  };
  const contact: Record<string, string> = {
    customer_key: `CASE WHEN norm IS NULL THEN NULL ELSE ${hmacSql('norm', input.pads)} END`,
    arrived_at: ms('arrived_ms'),
    answered_at: ms('answered_ms'),
    ended_at: ms('ended_ms'),
    updated_at: ms('updated_ms'),
  };
  const survey: Record<string, string> = {
    responded_at: ms('responded_ms'),
    scale_min: 'CAST(scale_min AS INTEGER)',
    scale_max: 'CAST(scale_max AS INTEGER)',
    ...(input.joinCommentMasks === true ? { comment: 'CASE WHEN cm.raw IS NULL THEN s.comment ELSE cm.masked END' } : {}),
  };
  const special = table === 'contacts' ? contact : survey;
  const columns = def.columns.map((c) => `CAST(${provenance[c.name] ?? special[c.name] ?? c.name} AS ${SQL_TYPES[c.type]}) AS ${c.name}`);
  let from = `${input.staged} s` + (table === 'surveys' && input.joinCommentMasks === true ? ` LEFT JOIN comment_masks cm ON s.comment = cm.raw` : '');
  if (table === 'contacts') {
    // the mapping gave customer_shortcut where the shortcut rule decides; the rest came back from normalizeCustomer
    const decided = input.joinNorms ? 'n.norm' : 'CAST(NULL AS VARCHAR)';
    from =
      `(SELECT s.*, CASE WHEN s.customer_raw IS NULL THEN NULL ELSE CASE s.customer_shortcut WHEN '' THEN NULL ELSE coalesce(s.customer_shortcut, ${decided}) END END AS norm ` +
      `FROM ${input.staged} s` +
      (input.joinNorms ? ` LEFT JOIN customer_norms n ON s.customer_raw = n.raw` : '') +
      `)`;
  }
  return `SELECT ${columns.join(', ')}, dt, __line, TRUE AS __fresh FROM ${from} WHERE __field IS NULL`;
}

/** The order that makes a copy of a contact the newest; ties go to the later line of the newer delivery. */
export function newestFirst(table: LakeTableName): string {
  const updated = table === 'contacts' ? 'updated_at DESC NULLS LAST, ' : '';
  return `${updated}delivered_at DESC NULLS LAST, __fresh DESC, __line DESC NULLS LAST`;
}

/** The newest copy of every id among `fresh` and `others` (relations of lake rows with dt, __line, __fresh). */
export function winnersSql(table: LakeTableName, fresh: string, others: string, id: string): string {
  return (
    `SELECT * FROM (SELECT * FROM ${fresh} UNION ALL BY NAME SELECT * FROM (${others})) ` +
    `QUALIFY row_number() OVER (PARTITION BY ${id} ORDER BY ${newestFirst(table)}) = 1`
  );
}

/** The lake rows of downloaded date and version objects, each with the business date its key says. */
export function otherCopiesSql(files: readonly { path: string; dt: string }[]): string {
  const dates = files.map((f) => `(${sqlString(f.path)}, ${sqlString(f.dt)})`).join(', ');
  return (
    `SELECT p.* EXCLUDE (filename), m.dt, CAST(NULL AS BIGINT) AS __line, FALSE AS __fresh ` +
    `FROM read_parquet([${files.map((f) => sqlString(f.path)).join(', ')}], union_by_name = true, filename = true) p ` +
    `JOIN (VALUES ${dates}) m(path, dt) ON p.filename = m.path`
  );
}

/** The lake columns of a relation of lake rows, in the table's order (drops dt, __line, __fresh unless kept). */
export function lakeColumnsSql(table: LakeTableName, from: string, where: string, keep: readonly string[] = []): string {
  const def = lakeTables[table];
  const columns = [...def.columns.map((c) => `CAST(${c.name} AS ${SQL_TYPES[c.type]}) AS ${c.name}`), ...keep];
  return `SELECT ${columns.join(', ')} FROM ${from} WHERE ${where}`;
}

export interface AssemblyColumns {
  id: string;
  at: string;
}
