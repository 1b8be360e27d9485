-- Generated from functions/core/tables.ts by functions/core/sql/athena-ddl.ts: do not edit by hand.
-- Placeholders: ${DATABASE} = Glue database name; ${LAKE_LOCATION} = lake root without trailing slash
-- (e.g. s3://my-lake-bucket). ${client_id} and ${dt} below are Athena's partition projection variables.
CREATE EXTERNAL TABLE IF NOT EXISTS `${DATABASE}`.`surveys` (
  `survey_id` string COMMENT 'id of the response in the source system',
  `contact_id` string COMMENT 'contact the survey was about',
  `channel` string COMMENT 'channel of that contact',
  `agent_id` string COMMENT 'agent of that contact',
  `survey_type` string COMMENT 'csat | nps | ces',
  `score` double COMMENT 'score as given; null when the survey was offered and not answered',
  `scale_min` int COMMENT 'lowest possible score',
  `scale_max` int COMMENT 'highest possible score',
  `comment` string COMMENT 'free-text comment',
  `responded_at` timestamp COMMENT 'UTC: when the customer answered',
  `source` string COMMENT 'source id from the client config',
  `source_file` string COMMENT 'name of the export file the row came from',
  `ingested_at` timestamp COMMENT 'UTC: when the row was written to the lake',
  `delivered_at` timestamp COMMENT 'UTC: when the export holding this version of the response arrived'
)
COMMENT 'one row per survey response (CSAT, NPS, CES)'
PARTITIONED BY (
  `client_id` string COMMENT 'client the row belongs to',
  `dt` string COMMENT 'local business date YYYY-MM-DD in the client\'s time zone'
)
STORED AS PARQUET
LOCATION '${LAKE_LOCATION}/surveys/'
TBLPROPERTIES (
  'parquet.compression' = 'SNAPPY',
  'projection.enabled' = 'true',
  'projection.client_id.type' = 'injected',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '1970-01-01,NOW+1DAYS',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = '${LAKE_LOCATION}/surveys/client_id=${client_id}/dt=${dt}/'
)
