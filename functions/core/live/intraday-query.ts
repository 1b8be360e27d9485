/**
 * Binds sql/live/intraday.sql: the contract's thresholds and formula per channel and the five days' dates and
 * instants as literals (closed types only, through sqlLiteral), the client id and the five dates as the WHERE
 * clause's parameters, so only those partitions are read.
 */
import { channelParameters, SERVICE_LEVEL_FORMULAS, type ContractVersion } from '../config/client-config.ts';
import type { BoundQuery } from '../kpis/kpi-queries.ts';
import { date, member, num, renderSqlTemplate, type SqlLiteralValue } from '../sql/sql-literal.ts';
import { CHANNELS } from '../tables.ts';
import type { LiveWindow } from './live-days.ts';

export const INTRADAY_SQL = 'live/intraday';

export function intradayQuery(template: string, clientId: string, window: LiveWindow, version: ContractVersion): BoundQuery {
  const literals: Record<string, SqlLiteralValue> = {};
  for (const channel of CHANNELS) {
    const p = channelParameters(version, channel);
    literals[`${channel}_service_level_seconds`] = num(p.serviceLevelSeconds);
    literals[`${channel}_short_abandon_seconds`] = num(p.shortAbandonSeconds);
    literals[`${channel}_service_level_formula`] = member(p.serviceLevelFormula, SERVICE_LEVEL_FORMULAS);
  }
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
