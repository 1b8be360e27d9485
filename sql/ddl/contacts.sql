-- Generated from functions/core/tables.ts by functions/core/sql/athena-ddl.ts: do not edit by hand.
-- Placeholders: ${DATABASE} = Glue database name; ${LAKE_LOCATION} = lake root without trailing slash
-- (e.g. s3://my-lake-bucket). ${client_id} and ${dt} below are Athena's partition projection variables.
CREATE EXTERNAL TABLE IF NOT EXISTS `${DATABASE}`.`contacts` (
  `contact_id` string COMMENT 'id of the contact in the source system',
  `channel` string COMMENT 'phone | chat | board | email',
  `direction` string COMMENT 'inbound | outbound',
  `queue` string COMMENT 'queue or skill group',
  `category` string COMMENT '상담유형: contact reason',
  `subcategory` string COMMENT 'finer contact reason',
  `customer_key` string COMMENT 'HMAC-SHA256 of the normalized phone, e-mail or user id; null when hidden',
  `agent_id` string COMMENT 'agent who handled the contact',
  `arrived_at` timestamp COMMENT 'UTC: contact entered the system',
  `answered_at` timestamp COMMENT 'UTC: agent answered / first response',
  `ended_at` timestamp COMMENT 'UTC: contact ended',
  `ivr_seconds` double COMMENT 'time in IVR / bot before the queue',
  `wait_seconds` double COMMENT 'queue time until answer or abandon; first-response time for chat/board',
  `talk_seconds` double COMMENT 'talk / chat time with an agent',
  `hold_seconds` double COMMENT 'customer on hold',
  `acw_seconds` double COMMENT 'after-contact work',
  `handle_seconds` double COMMENT 'talk + hold + acw; null only when all three are missing',
  `outcome` string COMMENT 'answered | abandoned | callback_requested | ivr_abandoned | self_service | excluded',
  `is_transferred` boolean COMMENT 'transferred to another agent or queue',
  `is_resolved` boolean COMMENT 'resolved according to the source, when it says',
  `local_hour` int COMMENT 'hour 0-23 of arrived_at in the client\'s time zone',
  `source` string COMMENT 'source id from the client config',
  `source_file` string COMMENT 'name of the export file the row came from',
  `ingested_at` timestamp COMMENT 'UTC: when the row was written to the lake',
  `updated_at` timestamp COMMENT 'UTC: the source\'s last update of the record, when it says (Connect\'s LastUpdateTimestamp)',
  `delivered_at` timestamp COMMENT 'UTC: when the export holding this version of the contact arrived',
  `wait_min_seconds` double COMMENT 'when the export gives the wait only as a bracket (Zendesk Explore): its lower edge; wait_seconds is then null',
  `wait_max_seconds` double COMMENT 'the bracket\'s upper edge; null for an open bracket (>24 hrs)'
)
COMMENT 'one row per contact: a call, a chat or a board post/ticket'
PARTITIONED BY (
  `client_id` string COMMENT 'client the row belongs to',
  `dt` string COMMENT 'local business date YYYY-MM-DD in the client\'s time zone'
)
STORED AS PARQUET
LOCATION '${LAKE_LOCATION}/contacts/'
TBLPROPERTIES (
  'parquet.compression' = 'SNAPPY',
  'projection.enabled' = 'true',
  'projection.client_id.type' = 'injected',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '1970-01-01,NOW+1DAYS',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = '${LAKE_LOCATION}/contacts/client_id=${client_id}/dt=${dt}/'
)
