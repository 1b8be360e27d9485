/**
 * What the intraday alerts judge, decided once from the live figures so the page's banner, the alert e-mails
 * and the next report cannot disagree (docs/live.md):
 *
 * - `service_level:<channel>`: the last hour's service level is under the contract's service-level target for
 *   the channel by more than `live.alerts.service_level_margin` (a target without a channel is judged on all
 *   channels together, as `service_level:all`);
 * - `abandons:<channel>`: the last hour's abandons (beyond short abandons) over their usual for that hour, and
 *   its abandon rate over the contract's abandon-rate target where the contract has one;
 * - `category:<name>`: a category's contacts today so far over their usual up to the same minute;
 * - `silent:<source>`: a source silent past its usual arrival (source-freshness.ts).
 * "Over the usual" is the report's category spike rule (kpi-queries.ts DEFAULT_SPIKE_RULE: at least the minimum
 * count, at least the minimum ratio × the usual mean, and at least the minimum z above it when the usual days
 * differ) with its minimum count scaled to the time: the daily minimum × the share of a usual day's contacts the
 * window holds (the last hour for abandons, the day so far for categories), never below MIN_HOURLY_COUNT. An hour with fewer offered contacts than `min_offered` is not judged,
 * nor is anything without usual days: a condition that cannot be judged is `unknown`, which neither starts nor
 * ends an alert.
 */
import type { ClientConfig, ContractVersion } from '../config/client-config.ts';
import { DEFAULT_SPIKE_RULE, type SpikeRule } from '../kpis/kpi-queries.ts';
import { addCounts, mean, ratesOf, stddev, ZERO_COUNTS, type CategoryIntraday, type IntradayFigures } from './intraday-figures.ts';
import type { SourceFreshness } from './source-freshness.ts';

/** Fewer than this many contacts in an hour is never over the usual: one or two are not a trend. */
export const MIN_HOURLY_COUNT = 3;

export type AlertKind = 'service_level' | 'abandons' | 'category' | 'silent';

export interface Condition {
  /** stable within a day: `<kind>:<channel | category | source>` */
  key: string;
  kind: AlertKind;
  /** the channel (or `all`), the category or the source id */
  subject: string;
  state: 'on' | 'off' | 'unknown';
  /** the measured value: a service level, a count; null when it has none */
  value: number | null;
  /** the usual for the same window (mean per usual day), or the target for a service level */
  usual: number | null;
  target: number | null;
  /** silent sources: since when nothing came (ISO UTC) */
  since: string | null;
  /** silent sources: an intraday source that stopped, or a daily export that did not come */
  detail: 'intraday' | 'daily' | null;
}

export interface SpikeJudgement {
  on: boolean | null;
  usualMean: number | null;
  minCount: number;
}

/** The spike rule on a count against its usual days, with the minimum count scaled by `scale` (0..1). */
export function judgeSpike(count: number, usual: readonly number[], scale: number, rule: SpikeRule = DEFAULT_SPIKE_RULE): SpikeJudgement {
  const minCount = Math.max(MIN_HOURLY_COUNT, Math.ceil(rule.minCount * Math.min(1, Math.max(0, scale))));
  if (usual.length === 0) return { on: null, usualMean: null, minCount };
  const m = mean(usual)!;
  const sd = stddev(usual) ?? 0;
  const on = count >= minCount && count >= rule.minRatio * m && (sd === 0 || (count - m) / sd >= rule.minZ);
  return { on, usualMean: m, minCount };
}

const share = (part: readonly number[], whole: readonly number[]): number => {
  const w = whole.reduce((a, b) => a + b, 0);
  return w === 0 ? 1 : part.reduce((a, b) => a + b, 0) / w;
};

function serviceLevelConditions(figures: IntradayFigures, version: ContractVersion | undefined, config: ClientConfig): Condition[] {
  const { service_level_margin: margin, min_offered: minOffered } = config.live.alerts;
  const out: Condition[] = [];
  for (const target of version?.targets ?? []) {
    if (target.kpi !== 'service_level' || target.op !== '>=') continue;
    const channels = target.channel === undefined ? figures.channels : figures.channels.filter((c) => c.channel === target.channel);
    if (channels.length === 0) continue;
    const hour = channels.reduce((acc, c) => addCounts(acc, c.lastHour), ZERO_COUNTS);
    const value = ratesOf(hour).serviceLevel;
    const subject = target.channel ?? 'all';
    const judged = hour.offered >= minOffered && value !== null && channels.some((c) => c.openToday);
    out.push({
      key: `service_level:${subject}`,
      kind: 'service_level',
      subject,
      state: !judged ? 'unknown' : value! < target.value - margin ? 'on' : 'off',
      value,
      usual: null,
      target: target.value,
      since: null,
      detail: null,
    });
  }
  return out;
}

/**
 * Abandons over their usual are news only when they cost the contract: with an abandon-rate target for the
 * channel (or for all channels), an hour whose abandon rate stays within the target is not an alert however far
 * its few abandons are above a quiet usual ("4건, 평소 0.3건" in an hour of 120 calls is 3.3 %).
 */
function abandonRateTarget(version: ContractVersion | undefined, channel: string): number | null {
  const targets = (version?.targets ?? []).filter((t) => t.kpi === 'abandon_rate' && t.op === '<=');
  return (targets.find((t) => t.channel === channel) ?? targets.find((t) => t.channel === undefined))?.value ?? null;
}

function abandonConditions(figures: IntradayFigures, config: ClientConfig, version: ContractVersion | undefined, rule: SpikeRule): Condition[] {
  if (!config.live.alerts.abandons) return [];
  return figures.channels.map((c) => {
    const count = c.lastHour.abandoned - c.lastHour.shortAbandoned;
    const wholeDay = c.usualDays.map((_, i) => c.buckets.reduce((n, b) => n + b.usual[i]!, 0));
    const judged = judgeSpike(count, c.usualAbandonsLastHour, share(c.usualOfferedLastHour, wholeDay), rule);
    const target = abandonRateTarget(version, c.channel);
    const rate = ratesOf(c.lastHour).abandonRate;
    const withinTarget = target !== null && rate !== null && rate <= target;
    const state = c.lastHour.offered < config.live.alerts.min_offered || judged.on === null ? 'unknown' : judged.on && !withinTarget ? 'on' : 'off';
    return { key: `abandons:${c.channel}`, kind: 'abandons' as const, subject: c.channel, state, value: count, usual: judged.usualMean, target: null, since: null, detail: null };
  });
}

function categoryConditions(figures: IntradayFigures, config: ClientConfig, rule: SpikeRule): Condition[] {
  if (!config.live.alerts.categories) return [];
  return judgeCategories(figures, rule).map(({ cat, judged }) => ({
    key: `category:${cat.category}`,
    kind: 'category' as const,
    subject: cat.category,
    state: judged.on === null ? ('unknown' as const) : judged.on ? ('on' as const) : ('off' as const),
    value: cat.soFar,
    usual: judged.usualMean,
    target: null,
    since: null,
    detail: null,
  }));
}

/**
 * Each category today so far against its usual up to the same minute: a count of the whole day so far, not of
 * the last hour, so a category that rises stays risen instead of starting and clearing with every quarter hour
 * of a few contacts; the minimum count is scaled by the share of a usual day gone by this time.
 */
function judgeCategories(figures: IntradayFigures, rule: SpikeRule): { cat: CategoryIntraday; judged: SpikeJudgement }[] {
  const scale = share(figures.usualInboundSoFar, figures.usualInboundDay);
  return figures.categories.map((cat) => ({ cat, judged: judgeSpike(cat.soFar, cat.usualSoFar, scale, rule) }));
}

function silentConditions(freshness: readonly SourceFreshness[]): Condition[] {
  return freshness
    .filter((f) => f.expect !== 'sporadic')
    .map((f) => ({
      key: `silent:${f.source}`,
      kind: 'silent' as const,
      subject: f.source,
      state: f.silent === null ? ('unknown' as const) : f.silent ? ('on' as const) : ('off' as const),
      value: null,
      usual: null,
      target: null,
      since: f.silentSince,
      detail: f.usualArrival === null ? ('intraday' as const) : ('daily' as const),
    }));
}

/** Every condition the alerts judge at the view's minute. */
export function judgeConditions(
  figures: IntradayFigures,
  freshness: readonly SourceFreshness[],
  config: ClientConfig,
  version: ContractVersion | undefined,
  rule: SpikeRule = DEFAULT_SPIKE_RULE,
): Condition[] {
  return [
    ...serviceLevelConditions(figures, version, config),
    ...abandonConditions(figures, config, version, rule),
    ...categoryConditions(figures, config, rule),
    ...silentConditions(freshness),
  ];
}

/** The categories running above their usual so far today: the condition the category alerts judge. */
export function categoriesAboveUsual(figures: IntradayFigures, rule: SpikeRule = DEFAULT_SPIKE_RULE): { category: string; count: number; usual: number }[] {
  return judgeCategories(figures, rule)
    .filter(({ judged }) => judged.on === true)
    .map(({ cat, judged }) => ({ category: cat.category, count: cat.soFar, usual: judged.usualMean! }))
    .sort((a, b) => b.count / Math.max(b.usual, 1) - a.count / Math.max(a.usual, 1) || a.category.localeCompare(b.category));
}
