/**
 * The live page's model: everything the page shows, decided here from one live view (live-view.ts), so the
 * renderer only lays it out. Strings are localized but not escaped: html.ts escapes every one.
 */
import type { ClientConfig, ContractVersion, SlaTarget } from '../config/client-config.ts';
import { sourceChannels } from '../config/source-channels.ts';
import { createFormatter, type Formatter, type ValueKind } from '../report/format.ts';
import { messagesFor, type Locale } from '../report/messages.ts';
import { sourceLabels } from '../report/source-labels.ts';
import { cut, MAX_DISPLAY_LABEL_CHARS, MAX_LABEL_CHARS } from '../report/text-limits.ts';
import { DEFAULT_SPIKE_RULE } from '../kpis/kpi-queries.ts';
import type { Channel } from '../tables.ts';
import type { AlertRecord } from './alert-log.ts';
import { categoriesAboveUsual } from './conditions.ts';
import { mean, ratesOf, type ChannelIntraday, type Counts } from './intraday-figures.ts';
import type { LiveView } from './live-view.ts';
import { alertText } from './alert-text.ts';
import { liveMessagesFor, type LiveMessages } from './messages.ts';
import type { SourceFreshness } from './source-freshness.ts';
import { DateTime } from 'luxon';

export type LiveFigureKey = 'offered' | 'answered' | 'abandoned' | 'abandon_rate' | 'service_level' | 'asa_seconds';

export interface LiveFigure {
  key: LiveFigureKey;
  label: string;
  value: number | null;
  display: string;
  usual: number | null;
  /** "평소 85" */
  usualDisplay: string;
  /** against the usual: "+12", "−3.1%p"; better/worse for the KPIs that have a good direction */
  change: { text: string; direction: 'better' | 'worse' | null } | null;
  /** the contract's target for the channel, when it has one for this KPI */
  target: { display: string; met: boolean | null } | null;
}

export interface LiveChartBucket {
  from: string;
  today: number | null;
  usualMin: number | null;
  usualMax: number | null;
  usualMean: number | null;
}

export interface LiveChannelCard {
  channel: Channel;
  label: string;
  /** `closed`: the calendar closes it today; `awaiting`: open, and its sources have delivered nothing of today */
  state: 'live' | 'closed' | 'awaiting';
  stateText: string | null;
  soFar: LiveFigure[];
  lastHour: LiveFigure[];
  chart: LiveChartBucket[];
  chartAlt: string;
  usualText: string;
}

export interface LiveAlertLine {
  key: string;
  text: string;
  /** "10:15부터" */
  sinceText: string;
  /** "11:40 해소"; null while open */
  clearedText: string | null;
}

export interface LiveSourceLine {
  source: string;
  label: string;
  text: string;
  silent: boolean;
}

export interface LivePageModel {
  locale: Locale;
  clientId: string;
  clientName: string;
  title: string;
  dateLabel: string;
  asOfText: string;
  refreshSeconds: number;
  refreshText: string;
  /** open alerts: the banner */
  alerts: LiveAlertLine[];
  cleared: LiveAlertLine[];
  note: string | null;
  channels: LiveChannelCard[];
  categories: { label: string; text: string }[];
  categoryRule: string;
  sources: LiveSourceLine[];
  /** "이 링크는 4월 7일 (화)까지 열립니다"; null when the page was not opened by a link */
  footer: string | null;
  messages: LiveMessages;
  format: Formatter;
}

interface Ctx {
  config: ClientConfig;
  version: ContractVersion | undefined;
  f: Formatter;
  m: LiveMessages;
}

const KIND: Record<LiveFigureKey, ValueKind> = {
  offered: 'count',
  answered: 'count',
  abandoned: 'count',
  abandon_rate: 'rate',
  service_level: 'rate',
  asa_seconds: 'seconds',
};
/** which way is better; null: neither (volume) */
const BETTER: Record<LiveFigureKey, 'higher' | 'lower' | null> = {
  offered: null,
  answered: null,
  abandoned: 'lower',
  abandon_rate: 'lower',
  service_level: 'higher',
  asa_seconds: 'lower',
};

function targetFor(version: ContractVersion | undefined, key: LiveFigureKey, channel: Channel): SlaTarget | undefined {
  const targets = (version?.targets ?? []).filter((t) => t.kpi === key);
  return targets.find((t) => t.channel === channel) ?? targets.find((t) => t.channel === undefined);
}

function figure(ctx: Ctx, key: LiveFigureKey, channel: Channel, value: number | null, usual: number | null): LiveFigure {
  const { f, m } = ctx;
  const kind = KIND[key];
  let change: LiveFigure['change'] = null;
  if (value !== null && usual !== null) {
    const delta = value - usual;
    const text = kind === 'rate' ? f.pointsChange(delta) : kind === 'count' ? f.absoluteChange('count', Math.round(delta)) : f.absoluteChange('seconds', delta);
    const better = BETTER[key];
    const direction = better === null || Math.abs(delta) < 1e-9 ? null : (delta > 0) === (better === 'higher') ? 'better' : 'worse';
    change = { text, direction };
  }
  const t = targetFor(ctx.version, key, channel);
  return {
    key,
    label: messagesFor(f.locale).kpi[key],
    value,
    display: f.value(kind, value),
    usual,
    usualDisplay: m.usualValue(f.value(kind, usual)),
    change,
    target: t === undefined ? null : { display: m.targetValue(f.value(kind, t.value)), met: value === null ? null : t.op === '>=' ? value >= t.value : value <= t.value },
  };
}

function figures(ctx: Ctx, channel: Channel, counts: Counts, usualCounts: Counts, usualDays: number): LiveFigure[] {
  const now = ratesOf(counts);
  const usual = usualDays === 0 ? null : ratesOf(usualCounts);
  const perDay = (n: number) => (usualDays === 0 ? null : n / usualDays);
  return [
    figure(ctx, 'offered', channel, counts.offered, perDay(usualCounts.offered)),
    figure(ctx, 'answered', channel, counts.answered, perDay(usualCounts.answered)),
    figure(ctx, 'abandoned', channel, counts.abandoned, perDay(usualCounts.abandoned)),
    figure(ctx, 'abandon_rate', channel, now.abandonRate, usual?.abandonRate ?? null),
    figure(ctx, 'service_level', channel, now.serviceLevel, usual?.serviceLevel ?? null),
    figure(ctx, 'asa_seconds', channel, now.asaSeconds, usual?.asaSeconds ?? null),
  ];
}

/** The buckets worth drawing: from the first with anything (today or usual) to the last, whole hours. */
function chartOf(c: ChannelIntraday): LiveChartBucket[] {
  const used = c.buckets.filter((b) => (b.today ?? 0) > 0 || b.usual.some((u) => u > 0)).map((b) => b.bucket);
  if (used.length === 0) return [];
  const first = Math.floor(Math.min(...used) / 4) * 4;
  const last = Math.ceil((Math.max(...used) + 1) / 4) * 4 - 1;
  return c.buckets.slice(first, last + 1).map((b) => ({
    from: b.from,
    today: b.today,
    usualMin: b.usual.length === 0 ? null : Math.min(...b.usual),
    usualMax: b.usual.length === 0 ? null : Math.max(...b.usual),
    usualMean: mean(b.usual),
  }));
}

function freshnessText(ctx: Ctx, s: SourceFreshness, today: string): string {
  const { f, m } = ctx;
  if (s.mode === 'intraday' && s.newestArrivedAt !== null) return m.freshness.through(f.instant(s.newestArrivedAt).slice(-5));
  if (s.through === null) return m.freshness.nothing;
  return s.through === DateTime.fromISO(today, { zone: 'utc' }).minus({ days: 1 }).toISODate() ? m.freshness.throughYesterday : m.freshness.throughDate(f.shortDate(s.through));
}

function channelCard(ctx: Ctx, view: LiveView, c: ChannelIntraday, lines: ReadonlyMap<string, LiveSourceLine>): LiveChannelCard {
  const { f, m } = ctx;
  const label = messagesFor(f.locale).channel[c.channel];
  const carriers = view.config.sources.filter((s) => s.table === 'contacts' && (sourceChannels(s) ?? [c.channel]).includes(c.channel));
  const delivering = carriers.some((s) => view.figures.sources.some((r) => r.source === s.id && r.today > 0));
  const state = !c.openToday && c.soFar.offered === 0 ? 'closed' : !delivering && c.soFar.offered === 0 ? 'awaiting' : 'live';
  const awaiting = carriers.map((s) => `${lines.get(s.id)?.label ?? s.id}: ${lines.get(s.id)?.text ?? m.freshness.nothing}`).join(', ');
  const dates = c.usualDays.map((d) => f.shortDate(d)).join(', ');
  return {
    channel: c.channel,
    label,
    state,
    stateText: state === 'closed' ? m.states.closed : state === 'awaiting' ? m.states.awaiting(awaiting) : null,
    soFar: figures(ctx, c.channel, c.soFar, c.usualSoFar, c.usualDays.length),
    lastHour: figures(ctx, c.channel, c.lastHour, c.usualLastHour, c.usualDays.length),
    chart: chartOf(c),
    chartAlt: m.chartAlt(label),
    usualText: c.usualDays.length === 0 ? m.noUsualDays : m.usualDays(c.usualDays.length, dates),
  };
}

export interface LivePageOptions {
  locale?: Locale;
  /** when the link that opened the page stops working; shown in the footer */
  linkExpiresAt?: Date | null;
}

export function buildLivePageModel(view: LiveView, options: LivePageOptions = {}): LivePageModel {
  const { config } = view;
  const locale = options.locale ?? config.locale;
  const f = createFormatter(locale, config.currency, config.timezone);
  const m = liveMessagesFor(locale);
  const ctx: Ctx = { config, version: view.version, f, m };
  const labels = sourceLabels(config, messagesFor(locale));
  const sources: LiveSourceLine[] = view.freshness.map((s) => ({
    source: s.source,
    label: labels.get(s.source) ?? s.source,
    text: freshnessText(ctx, s, view.window.today),
    silent: s.silent === true,
  }));
  const lines = new Map(sources.map((s) => [s.source, s]));
  const line = (r: AlertRecord): LiveAlertLine => {
    const streak = r.streaks.at(-1)!;
    // an open alert reads as it stands now, when this minute judges it on too; else as it started (or cleared)
    const current = view.conditions.find((c) => c.key === r.key && c.state === 'on');
    const evidence = r.open && current !== undefined ? { value: current.value, usual: current.usual, target: current.target, since: current.since, detail: current.detail } : streak.start;
    return {
      key: r.key,
      text: alertText(r, evidence, f, m, labels),
      sinceText: m.alert.since(f.instant(streak.started_at).slice(-5)),
      clearedText: streak.cleared_at === null ? null : m.alert.cleared(f.instant(streak.cleared_at).slice(-5)),
    };
  };
  const decimal = (n: number) => f.decimal(n, n % 1 === 0 ? 0 : 1);
  return {
    locale,
    clientId: config.id,
    clientName: cut(config.name, MAX_LABEL_CHARS),
    title: m.title,
    dateLabel: f.periodLabel('daily', view.window.today, view.window.today),
    asOfText: m.asOf(view.window.asOfLocal),
    refreshSeconds: config.live.refresh_seconds,
    refreshText: m.refresh(config.live.refresh_seconds),
    alerts: view.alerts.filter((r) => r.open).map(line),
    cleared: view.alerts.filter((r) => !r.open && r.streaks.length > 0).map(line),
    note: view.note,
    channels: view.figures.channels.map((c) => channelCard(ctx, view, c, lines)),
    categories: categoriesAboveUsual(view.figures).map((c) => ({ label: cut(c.category, MAX_DISPLAY_LABEL_CHARS), text: m.categoryRow(f.count(c.count), f.decimal(c.usual, 1)) })),
    categoryRule: m.categoryRule(decimal(DEFAULT_SPIKE_RULE.minRatio), decimal(DEFAULT_SPIKE_RULE.minZ)),
    sources,
    footer: options.linkExpiresAt == null ? null : m.linkExpires(f.date(DateTime.fromJSDate(options.linkExpiresAt, { zone: config.timezone }).toISODate()!)),
    messages: m,
    format: f,
  };
}
