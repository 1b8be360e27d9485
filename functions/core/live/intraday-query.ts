/**
 * Binds sql/live/intraday.sql: the contract's thresholds and formula per channel and the five days' dates and
 * instants as literals (closed types only, through sqlLiteral), the client id and the five dates as the WHERE
 * clause's parameters, so only those partitions are read.
 */
import type { ContractVersion } from '../config/client-config.ts';
import { channelContractLiterals, type BoundQuery } from '../kpis/kpi-queries.ts';
import { date, num, renderSqlTemplate, type SqlLiteralValue } from '../sql/sql-literal.ts';
import type { LiveWindow } from './live-days.ts';

export const INTRADAY_SQL = 'live/intraday';

export function intradayQuery(template: string, clientId: string, window: LiveWindow, version: ContractVersion): BoundQuery {
  const literals: Record<string, SqlLiteralValue> = channelContractLiterals(version);
  for (const day of window.days) {
    literals[`day_${day.index}_dt`] = date(day.dt);
    literals[`day_${day.index}_start`] = num(day.startUnix);
    literals[`day_${day.index}_cutoff`] = num(day.cutoffUnix);
    literals[`day_${day.index}_hour_start`] = num(day.hourStartUnix);
  }
  return {
    sql: renderSqlTemplate(template, literals, `sql/${INTRADAY_SQL}.sql`),
    params: [clientId, ...window.days.map((d) => d.dt)],
  };
}
