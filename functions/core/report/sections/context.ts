/**
 * What every section builder of the report model shares: the document, the config, the formatter, which data
 * is missing on each side of a comparison, and the one way a KPI becomes a figure with its comparisons. Built
 * once per report copy (per language) by buildReportModel.
 */
import type { ClientConfig, SourceConfig } from '../../config/client-config.ts';
import type { KpiDocument, Kpis, PeriodKind } from '../../kpis/kpi-result.ts';
import type { Channel } from '../../tables.ts';
import { compareValues } from '../compare.ts';
import type { PeriodCompleteness } from '../completeness.ts';
import { createFormatter, type Formatter } from '../format.ts';
import { KPI_META, sampleSize, SURVEY_KPIS } from '../kpi-meta.ts';
import type { KpiKey, Locale, Messages } from '../messages.ts';
import type { BuildReportModelInput, KpiFigure } from '../model.ts';
import { sourceLabels } from '../source-labels.ts';
import { openingDaysOf, type OpeningDays } from '../../calendar/opening-days.ts';
import { daysOfData, openForScope } from '../days-of-data.ts';

export interface ReportContext {
  doc: KpiDocument;
  config: ClientConfig;
  locale: Locale;
  f: Formatter;
  msg: Messages;
  kind: PeriodKind;
  /** the name each source is shown by */
  labels: ReadonlyMap<string, string>;
  completeness: PeriodCompleteness;
  noData: boolean;
  incomplete: boolean;
  priorComplete: boolean;
  currentMissing: SourceConfig[];
  priorMissing: SourceConfig[];
  weekAgoMissing: SourceConfig[];
  /** the client's opening days */
  opening: OpeningDays;
  /** counts of periods with different days of data are compared per day of data: the divisors of all channels */
  perDay: { current: number; prior: number } | null;
  /** the same for the figures of one channel */
  perDayFor(scope: Channel | null): { current: number; prior: number } | null;
  /** a KPI of the current period (all channels, or one) with its comparisons */
  figure(key: KpiKey, channel?: Channel | null): KpiFigure;
}

/** Which figures a missing source-day touches: its table's KPIs, on its channel when the source has one. */
export function affectsFigure(missingSources: readonly SourceConfig[], key: KpiKey, channel: Channel | null): boolean {
  return missingSources.some((s) => {
    const survey = SURVEY_KPIS.has(key);
    const tableMatches = key === 'survey_response_rate' || (survey ? s.table === 'surveys' : s.table === 'contacts');
    if (!tableMatches) return false;
    const sourceChannel = 'channel' in s ? (s.channel ?? null) : null;
    return sourceChannel === null || channel === null || sourceChannel === channel;
  });
}

/** The sources lacking data in a completeness, on the given dates only when given. */
const missingSourcesOf = (c: PeriodCompleteness | null | undefined, config: ClientConfig, dates?: ReadonlySet<string>): SourceConfig[] => {
  if (c == null) return [];
  const ids = new Set(c.missing.filter((m) => dates === undefined || dates.has(m.dt)).map((m) => m.source));
  return config.sources.filter((s) => ids.has(s.id));
};

/** "전화 포기율", "Phone abandon rate" (not "Phone Abandon rate"; "Chat ASA" keeps its capitals) */
export function channelLabel(f: Formatter, channel: Channel, key: KpiKey): string {
  const kpi = f.messages.kpi[key];
  const lower = f.locale === 'en' && /^[A-Z][a-z]/.test(kpi) ? `${kpi[0]!.toLowerCase()}${kpi.slice(1)}` : kpi;
  return `${f.messages.channel[channel]} ${lower}`;
}

export function reportContext(input: BuildReportModelInput): ReportContext {
  const { doc, config, completeness } = input;
  const locale = input.locale ?? config.locale;
  const f = createFormatter(locale, config.currency, config.timezone);
  const msg = f.messages;
  const kind = doc.period.kind;
  const minSample = config.reports.min_sample;
  const noData = completeness.noData;
  const incomplete = !noData && !completeness.complete;
  const priorComplete = input.priorCompleteness?.complete ?? true;
  const opening = input.openingDays ?? openingDaysOf(config);
  const currentMissing = missingSourcesOf(completeness, config);
  // Daily: each figure is compared with its channel's own comparison day (KpiDocument.comparison_days), and only
  // what was missing on that day makes the comparison provisional. Weekly and monthly: the period before.
  const comparisonDay = (which: 'prior' | 'week_ago', channel: Channel | null): string | null => {
    const days = doc.comparison_days?.[which];
    if (days == null) return null;
    return channel === null ? days.total : (days.by_channel[channel] ?? null);
  };
  const missingOnComparison = (which: 'prior' | 'week_ago', channel: Channel | null): SourceConfig[] => {
    const c = which === 'prior' ? input.priorCompleteness : (input.weekAgoCompleteness ?? input.priorCompleteness);
    if (kind !== 'daily' || doc.comparison_days == null) return missingSourcesOf(which === 'prior' ? input.priorCompleteness : input.weekAgoCompleteness, config);
    const day = comparisonDay(which, channel);
    return day === null ? [] : missingSourcesOf(c, config, new Set([day]));
  };
  const priorMissing = missingSourcesOf(input.priorCompleteness, config);
  const weekAgoMissing = missingSourcesOf(input.weekAgoCompleteness, config);

  // Counts of periods with different days of data are compared per day of data, each figure over its own
  // channel's days (days-of-data.ts). A daily figure is one day against one day, unless the day lacks its data.
  const closedOnTheDay = (scope: Channel | null): boolean => !openForScope(opening, scope, doc.period.start);
  const perDayFor = (scope: Channel | null): { current: number; prior: number } | null => {
    const current = daysOfData(doc.period, completeness, config, opening, scope);
    if (kind === 'daily') return current === 0 && !noData && !closedOnTheDay(scope) ? { current: 0, prior: 1 } : null;
    const prior = daysOfData(doc.prior_period, input.priorCompleteness, config, opening, scope);
    const lacking = !completeness.complete || !(input.priorCompleteness?.complete ?? true);
    return current !== prior || lacking ? { current, prior } : null;
  };
  const perDay = perDayFor(null);

  const figure = (key: KpiKey, channel: Channel | null = null): KpiFigure => {
    const pick = (set: typeof doc.current | null): Kpis | null => (set === null ? null : channel === null ? set.total : (set.by_channel[channel] ?? null));
    const cur = pick(doc.current);
    const pri = pick(doc.prior);
    const wk = kind === 'daily' ? pick(doc.week_ago) : null;
    const numberOf = (k: Kpis | null): number | null => {
      const v = k?.[key];
      return typeof v === 'number' ? v : null;
    };
    const value = numberOf(cur);
    const priorValue = numberOf(pri);
    const n = cur === null ? null : sampleSize(key, cur);
    const small = n !== null && value !== null && n < minSample;
    const provisionalHere = affectsFigure(currentMissing, key, channel) || (key === 'fcr' && cur?.fcr_provisional === true);
    const valueKind = KPI_META[key].kind;
    const priorProvisional = affectsFigure(missingOnComparison('prior', channel), key, channel);
    const weekAgoProvisional = affectsFigure(missingOnComparison('week_ago', channel), key, channel);
    return {
      key,
      label: channel === null ? msg.kpi[key] : channelLabel(f, channel, key),
      value,
      display: f.value(valueKind, value),
      prior: priorValue,
      priorDisplay: f.value(valueKind, priorValue),
      vsPrior: compareValues(key, value, priorValue, f, { provisional: provisionalHere || priorProvisional, smallSample: small, perDay: perDayFor(channel) }),
      vsWeekAgo:
        wk === null
          ? null
          : compareValues(key, value, numberOf(wk), f, { provisional: provisionalHere || weekAgoProvisional, smallSample: small }),
      caption: null,
      smallSample: small ? msg.comparison.smallSample(f.count(n)) : null,
      provisional: provisionalHere && !noData,
    };
  };

  const labels = sourceLabels(config, msg);
  return { doc, config, locale, f, msg, kind, labels, opening, completeness, noData, incomplete, priorComplete, currentMissing, priorMissing, weekAgoMissing, perDay, perDayFor, figure };
}
