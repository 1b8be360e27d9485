/**
 * The period's intraday alerts (the records the ingest function kept, live/alert-log.ts): each streak with the
 * time it started and cleared and what it said when it started, so the client reads in the report what the
 * operator was told during the day, in the live page's own words (live/alert-text.ts). A streak still on at the
 * end of its day says so. Weekly and monthly reports put the day in front; the newest streaks are cut first.
 */
import type { AlertRecord } from '../../live/alert-log.ts';
import { alertText } from '../../live/alert-text.ts';
import { liveMessagesFor } from '../../live/messages.ts';
import type { ReportContext } from './context.ts';

/** at most this many lines; the rest is a count */
export const MAX_ALERT_LINES = 10;

export interface ReportAlerts {
  /** one per streak, in the order they started */
  lines: string[];
  /** "외 3건" when lines were cut */
  more: string | null;
}

export function intradayAlertsSection(ctx: ReportContext, records: readonly AlertRecord[]): ReportAlerts | null {
  const { f, msg, kind, labels, doc } = ctx;
  const live = liveMessagesFor(ctx.locale);
  const time = (iso: string) => f.instant(iso).slice(-5);
  const streaks = records
    .filter((r) => r.client_id === ctx.config.id && r.dt >= doc.period.start && r.dt <= doc.period.end)
    .flatMap((r) => r.streaks.map((s) => ({ record: r, streak: s })))
    .sort((a, b) => a.streak.started_at.localeCompare(b.streak.started_at) || a.record.key.localeCompare(b.record.key));
  if (streaks.length === 0) return null;
  const lines = streaks.slice(0, MAX_ALERT_LINES).map(({ record, streak }) => {
    const span = streak.cleared_at === null ? msg.intradayAlerts.untilDayEnd(time(streak.started_at)) : `${time(streak.started_at)}–${time(streak.cleared_at)}`;
    const when = kind === 'daily' ? span : `${f.shortDate(record.dt)} ${span}`;
    return `${when} ${alertText(record, streak.start, f, live, labels, { pastAt: streak.started_at })}`;
  });
  const cut = streaks.length - lines.length;
  return { lines, more: cut > 0 ? msg.intradayAlerts.more(cut) : null };
}
