/**
 * The Athena engine every cspulse workgroup runs. Pinned rather than AUTO, so the SQL in sql/ meets the Trino
 * dialect it was written and tested for, and an engine upgrade is a deliberate, tested change
 * (https://docs.aws.amazon.com/athena/latest/ug/engine-versions.html; the value is one ListEngineVersions returns).
 */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';
