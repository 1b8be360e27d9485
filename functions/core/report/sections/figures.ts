/**
 * The figures of all channels together — the ones that are about customers, not about one queue: all inbound
 * contacts, offered, first contact resolution, repeat contacts, self-service, retries after an abandon and
 * transfers (only where a source records them) — and the survey scores; each against the prior period, with a
 * note saying which days were compared. Rates a channel owns (answer rate, service level, ASA, AHT) are on the
 * channel cards, never blended here.
 *
 * FCR is compared only between closed windows: a day's FCR is known once its FCR window has passed, so a daily
 * report shows the FCR of the last day whose window has closed (and compares it with that day's previous open
 * day), and a weekly or monthly report whose window is still open shows its FCR unjudged and uncompared.
 */
import { previousOpenDays } from '../../kpis/comparison-days.ts';
import type { KpiSet } from '../../kpis/kpi-result.ts';
import { addDays } from '../../kpis/periods.ts';
import { CHANNELS } from '../../tables.ts';
import { compareValues, unknownChange } from '../compare.ts';
import { KPI_META, sampleSize } from '../kpi-meta.ts';
import type { KpiKey } from '../messages.ts';
import type { KpiFigure } from '../model.ts';
import { clientChannels } from './channels.ts';
import type { ReportContext } from './context.ts';

/** In this order, when the contract does not judge them for all channels together. */
export const KEY_FIGURE_KEYS: KpiKey[] = ['inbound', 'offered', 'fcr', 'repeat_rate', 'self_service_rate', 'retry_after_abandon_rate', 'transfer_rate'];
export const SURVEY_KEYS: KpiKey[] = ['csat_avg', 'csat_satisfied_rate', 'nps', 'ces_avg', 'survey_response_rate'];

export function keyFigures(ctx: ReportContext): KpiFigure[] {
  if (ctx.noData) return [];
  const judged = new Set(ctx.doc.sla.filter((r) => r.channel === null).map((r) => r.kpi as string));
  return KEY_FIGURE_KEYS.filter((k) => !judged.has(k))
    .map((k) => (k === 'fcr' ? fcrFigure(ctx) : ctx.figure(k)))
    .filter((fig) => fig.key !== 'transfer_rate' || fig.value !== null || fig.prior !== null);
}

/** FCR between closed windows only (see the module comment). */
export function fcrFigure(ctx: ReportContext): KpiFigure {
  const { doc, f, msg } = ctx;
  const base = ctx.figure('fcr');
  if (!doc.current.total.fcr_provisional) return base;
  const notCompared = { ...base, vsPrior: unknownChange(f), vsWeekAgo: null, caption: msg.comparison.fcrNotCompared };
  if (ctx.kind !== 'daily') return notCompared;
  const byDate = new Map(doc.days.map((d) => [d.dt, d.kpis] as const));
  const closed = [...doc.days].reverse().find((d) => d.dt < doc.period.start && d.kpis.total.fcr !== null && !d.kpis.total.fcr_provisional);
  if (closed === undefined) return notCompared;
  const lookBack = doc.days.filter((d) => d.dt < closed.dt).length;
  const priorDay = previousOpenDays(closed.dt, ctx.opening, lookBack).total;
  const prior: KpiSet | undefined = priorDay === null ? undefined : byDate.get(priorDay);
  const value = closed.kpis.total.fcr;
  const priorValue = prior?.total.fcr ?? null;
  const n = sampleSize('fcr', closed.kpis.total);
  const small = n !== null && n < ctx.config.reports.min_sample;
  return {
    ...base,
    value,
    display: f.value(KPI_META.fcr.kind, value),
    prior: priorValue,
    priorDisplay: f.value(KPI_META.fcr.kind, priorValue),
    vsPrior: compareValues('fcr', value, priorValue, f, { smallSample: small, provisional: prior?.total.fcr_provisional === true }),
    vsWeekAgo: null,
    caption: msg.comparison.fcrOfDay(f.shortDate(closed.dt)),
    smallSample: small ? msg.comparison.smallSample(f.count(n)) : null,
    provisional: false,
  };
}

export function surveyFigures(ctx: ReportContext): KpiFigure[] {
  return ctx.noData ? [] : SURVEY_KEYS.map((k) => ctx.figure(k));
}

/**
 * What the comparisons compared: per channel, the day a daily report compared with when it was not the day
 * before; per channel, the days of data weekly and monthly counts were averaged over when they differ.
 */
export function comparisonNote(ctx: ReportContext): string | null {
  const { doc, f, msg } = ctx;
  if (ctx.noData) return null;
  const channels = clientChannels(ctx);
  if (ctx.kind === 'daily') {
    const days = doc.comparison_days?.prior;
    if (days == null) return null;
    const dayBefore = addDays(doc.period.start, -1);
    const listed = channels.filter((ch) => days.by_channel[ch] != null);
    // said only when some channel is compared with another day than the day before
    if (!listed.some((ch) => days.by_channel[ch] !== dayBefore)) return null;
    return msg.comparison.comparedDays(listed.map((ch) => `${msg.channel[ch]} ${f.date(days.by_channel[ch]!)}`).join(', '));
  }
  const scopes = [null, ...(channels.length > 1 ? channels : [])].map((ch) => ({ ch, perDay: ctx.perDayFor(ch) }));
  const shown = scopes.filter((s) => s.perDay !== null);
  if (shown.length === 0) return null;
  return msg.comparison.perDayScopes(
    shown.map((s) => msg.comparison.perDayScope(s.ch === null ? msg.channels.all : msg.channel[s.ch], f.count(s.perDay!.current), f.count(s.perDay!.prior))).join(', '),
  );
}

/** Channels with contacts in the current period (for renderers that need to know whether to split by channel). */
export const channelsWithContacts = (ctx: ReportContext) => CHANNELS.filter((ch) => (ctx.doc.current.by_channel[ch]?.inbound ?? 0) > 0);
