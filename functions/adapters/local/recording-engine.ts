/**
 * A QueryEngine that runs nothing: it answers every query with no rows and keeps what it was sent, in order. Run
 * the report's own code against it and it shows the exact SQL and parameters the report sends to Athena for a
 * period (`cspulse sql`), without an engine or a lake.
 */
import type { QueryEngine, SqlParam } from '../../core/ports.ts';

export interface RecordedQuery {
  sql: string;
  params: SqlParam[];
}

export interface RecordingEngine extends QueryEngine {
  readonly sent: RecordedQuery[];
}

export function createRecordingEngine(): RecordingEngine {
  const sent: RecordedQuery[] = [];
  return {
    sent,
    async query(sql, params = []) {
      sent.push({ sql, params: [...params] });
      return { columns: [], rows: [], stats: { engine: 'recording', elapsedMs: 0 } };
    },
    async close() {},
  };
}
