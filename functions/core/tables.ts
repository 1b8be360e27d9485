/**
 * The canonical lake tables, defined once. The Parquet writer, the Athena/DuckDB DDL in `sql/` and the tests
 * all derive their column lists from here, so ingest and SQL cannot drift apart.
 *
 * `client_id` and `dt` are Hive partition keys: they live in the object key (`client_id=…/dt=…/`), not in the
 * Parquet file, because Athena rejects a column that is both a data column and a partition column.
 */

export type ColumnType = 'string' | 'timestamp' | 'double' | 'int' | 'boolean';

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly comment: string;
}

export interface TableDef {
  readonly name: string;
  readonly comment: string;
  readonly columns: readonly ColumnDef[];
  readonly partitionKeys: readonly ColumnDef[];
}

const col = (name: string, type: ColumnType, nullable: boolean, comment: string): ColumnDef => ({
  name,
  type,
  nullable,
  comment,
});

const partitionKeys: readonly ColumnDef[] = [
  col('client_id', 'string', false, 'client the row belongs to'),
  col('dt', 'string', false, "local business date YYYY-MM-DD in the client's time zone"),
];

export const CHANNELS = ['phone', 'chat', 'board', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/**
 * `ivr_abandoned`: an inbound caller (or chat customer) who left in the IVR or the bot before being queued and
 * without being served (Korean CTI exports: IVR이탈, ARS이탈). It is inbound, but neither offered (no agent was
 * asked for) nor self-service (nobody was helped): counting it as self-service would reward a bad IVR.
 */
export const OUTCOMES = ['answered', 'abandoned', 'callback_requested', 'ivr_abandoned', 'self_service', 'excluded'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SURVEY_TYPES = ['csat', 'nps', 'ces'] as const;
export type SurveyType = (typeof SURVEY_TYPES)[number];

/**
 * The longest value each free-text column of the lake may hold, in characters (Unicode code points). A longer
 * id or label is a broken export, not data: a 15 MB category once made a 33 MB report e-mail. Ingest
 * quarantines such a row with a reason naming the column, the value's length and the limit (never the value),
 * so every value in the lake, and every label a report shows, is at most this long. Ids get room for
 * composite and URL-like ids; a survey comment is free text a customer typed. The enums (channel, direction,
 * outcome, survey_type) are checked against their values instead.
 */
export const TEXT_LENGTH_LIMITS = {
  contact_id: 256,
  survey_id: 256,
  queue: 200,
  category: 200,
  subcategory: 200,
  agent_id: 200,
  comment: 2_000,
} as const;
export type LimitedTextColumn = keyof typeof TEXT_LENGTH_LIMITS;

export const contactsTable: TableDef = {
  name: 'contacts',
  comment: 'one row per contact: a call, a chat or a board post/ticket',
  partitionKeys,
  columns: [
    col('contact_id', 'string', false, 'id of the contact in the source system'),
    col('channel', 'string', false, 'phone | chat | board | email'),
    col('direction', 'string', false, 'inbound | outbound'),
    col('queue', 'string', true, 'queue or skill group'),
    col('category', 'string', true, '상담유형: contact reason'),
    col('subcategory', 'string', true, 'finer contact reason'),
    col('customer_key', 'string', true, "HMAC-SHA256 of the normalized phone, e-mail or user id; null when hidden"),
    col('agent_id', 'string', true, 'agent who handled the contact'),
    col('arrived_at', 'timestamp', false, 'UTC: contact entered the system'),
    col('answered_at', 'timestamp', true, 'UTC: agent answered / first response'),
    col('ended_at', 'timestamp', true, 'UTC: contact ended'),
    col('ivr_seconds', 'double', true, 'time in IVR / bot before the queue'),
    col('wait_seconds', 'double', true, 'queue time until answer or abandon; first-response time for chat/board'),
    col('talk_seconds', 'double', true, 'talk / chat time with an agent'),
    col('hold_seconds', 'double', true, 'customer on hold'),
    col('acw_seconds', 'double', true, 'after-contact work'),
    col('handle_seconds', 'double', true, 'talk + hold + acw; null only when all three are missing'),
    col('outcome', 'string', false, 'answered | abandoned | callback_requested | ivr_abandoned | self_service | excluded'),
    col('is_transferred', 'boolean', false, 'transferred to another agent or queue'),
    col('is_resolved', 'boolean', true, 'resolved according to the source, when it says'),
    col('local_hour', 'int', false, "hour 0-23 of arrived_at in the client's time zone"),
    col('source', 'string', false, 'source id from the client config'),
    col('source_file', 'string', false, 'name of the export file the row came from'),
    col('ingested_at', 'timestamp', false, 'UTC: when the row was written to the lake'),
    col('updated_at', 'timestamp', true, "UTC: the source's last update of the record, when it says (Connect's LastUpdateTimestamp)"),
    col('delivered_at', 'timestamp', true, 'UTC: when the export holding this version of the contact arrived'),
    col('wait_min_seconds', 'double', true, 'when the export gives the wait only as a bracket (Zendesk Explore): its lower edge; wait_seconds is then null'),
    col('wait_max_seconds', 'double', true, 'the bracket\'s upper edge; null for an open bracket (>24 hrs)'),
  ],
};

export const surveysTable: TableDef = {
  name: 'surveys',
  comment: 'one row per survey response (CSAT, NPS, CES)',
  partitionKeys,
  columns: [
    col('survey_id', 'string', false, 'id of the response in the source system'),
    col('contact_id', 'string', true, 'contact the survey was about'),
    col('channel', 'string', true, 'channel of that contact'),
    col('agent_id', 'string', true, 'agent of that contact'),
    col('survey_type', 'string', false, 'csat | nps | ces'),
    col('score', 'double', true, 'score as given; null when the survey was offered and not answered'),
    col('scale_min', 'int', false, 'lowest possible score'),
    col('scale_max', 'int', false, 'highest possible score'),
    col('comment', 'string', true, 'free-text comment'),
    col('responded_at', 'timestamp', false, 'UTC: when the customer answered'),
    col('source', 'string', false, 'source id from the client config'),
    col('source_file', 'string', false, 'name of the export file the row came from'),
    col('ingested_at', 'timestamp', false, 'UTC: when the row was written to the lake'),
    col('delivered_at', 'timestamp', true, 'UTC: when the export holding this version of the response arrived'),
  ],
};

export const lakeTables = { contacts: contactsTable, surveys: surveysTable } as const;
export type LakeTableName = keyof typeof lakeTables;

/** A contact as ingest writes it. Timestamps are JS Dates in UTC; durations are seconds. */
export interface ContactRow {
  contact_id: string;
  channel: Channel;
  direction: Direction;
  queue: string | null;
  category: string | null;
  subcategory: string | null;
  customer_key: string | null;
  agent_id: string | null;
  arrived_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  ivr_seconds: number | null;
  wait_seconds: number | null;
  talk_seconds: number | null;
  hold_seconds: number | null;
  acw_seconds: number | null;
  handle_seconds: number | null;
  outcome: Outcome;
  is_transferred: boolean;
  is_resolved: boolean | null;
  local_hour: number;
  source: string;
  source_file: string;
  ingested_at: Date;
  updated_at: Date | null;
  delivered_at: Date | null;
  wait_min_seconds: number | null;
  wait_max_seconds: number | null;
}

export interface SurveyRow {
  survey_id: string;
  contact_id: string | null;
  channel: Channel | null;
  agent_id: string | null;
  survey_type: SurveyType;
  score: number;
  scale_min: number;
  scale_max: number;
  comment: string | null;
  responded_at: Date;
  source: string;
  source_file: string;
  ingested_at: Date;
  delivered_at: Date | null;
}

/** A lake row plus the partition it goes to. */
export interface PartitionedRow<T> {
  dt: string;
  row: T;
}

/** Athena / Hive type names for a column type (also valid DuckDB types). */
export const sqlType: Record<ColumnType, string> = {
  string: 'string',
  timestamp: 'timestamp',
  double: 'double',
  int: 'int',
  boolean: 'boolean',
};
