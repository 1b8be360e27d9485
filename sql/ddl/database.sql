-- Generated from functions/core/tables.ts by functions/core/sql/athena-ddl.ts: do not edit by hand.
-- Placeholder: ${DATABASE} = Glue database name.
CREATE DATABASE IF NOT EXISTS `${DATABASE}` COMMENT 'cspulse contact-center lake'
