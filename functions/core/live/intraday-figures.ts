/**
 * Today so far against the usual, from the rows of sql/live/intraday.sql: per channel the counts the page's
 * rates rest on (so far and in the last hour), the same for the usual days, and offered per 15 minutes; per
 * category and per source their counts. Which usual days count for a channel is decided here, from the client's
 * operating calendar: the same weekday's OPEN days of the four weeks before, and of those only days the lake
 * holds any contact of the channel on (an open day without one is missing data, not a quiet day).
 *
 * Rates follow the report's definitions (docs/metrics.md): answer and abandon rates on offered less short
 * abandons, the service level by the contract's formula (unknown, not 0, when no contact of its base has a
 * known wait), ASA over answered contacts with a wait. A usual count is the mean per usual day; a usual rate is
 * the usual days' contacts pooled (their numerators over their denominators), so a quiet day weighs less.
 */
import type { OpeningDays } from '../calendar/opening-days.ts';
import type { SqlValue } from '../ports.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import { LiveDataError } from './errors.ts';
import { BUCKET_MINUTES, BUCKETS_PER_DAY, type LiveWindow } from './live-days.ts';

export interface Counts {
  offered: number;
  answered: number;
  abandoned: number;
  shortAbandoned: number;
  slNumerator: number;
  slDenominator: number;
  slKnownWaits: number;
  slUnknownBrackets: number;
  answeredWaitSeconds: number;
  answeredWithWait: number;
}

export const ZERO_COUNTS: Counts = {
  offered: 0,
  answered: 0,
  abandoned: 0,
  shortAbandoned: 0,
  slNumerator: 0,
  slDenominator: 0,
  slKnownWaits: 0,
  slUnknownBrackets: 0,
  answeredWaitSeconds: 0,
  answeredWithWait: 0,
};

export interface Rates {
  answerRate: number | null;
  abandonRate: number | null;
  serviceLevel: number | null;
  asaSeconds: number | null;
}

export function ratesOf(c: Counts): Rates {
  const base = c.offered - c.shortAbandoned;
  return {
    answerRate: base > 0 ? c.answered / base : null,
    abandonRate: base > 0 ? (c.abandoned - c.shortAbandoned) / base : null,
    serviceLevel: c.slKnownWaits === 0 || c.slUnknownBrackets > 0 || c.slDenominator === 0 ? null : c.slNumerator / c.slDenominator,
    asaSeconds: c.answeredWithWait > 0 ? c.answeredWaitSeconds / c.answeredWithWait : null,
  };
}

export function addCounts(a: Counts, b: Counts): Counts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof Counts)[]) out[k] += b[k];
  return out;
}

/** One 15-minute bucket of offered contacts: today's (null after the view's minute) and the usual days'. */
export interface OfferedBucket {
  bucket: number;
  /** local "HH:MM" the bucket starts at */
  from: string;
  today: number | null;
  /** per usual day, in the order of ChannelIntraday.usualDays */
  usual: number[];
}

export interface ChannelIntraday {
  channel: Channel;
  /** the calendar opens the channel today */
  openToday: boolean;
  /** the usual days the channel's figures are compared with: open, and with contacts in the lake */
  usualDays: string[];
  soFar: Counts;
  lastHour: Counts;
  /** summed over the usual days */
  usualSoFar: Counts;
  usualLastHour: Counts;
  /** offered per usual day up to the same minute, and over the whole day */
  usualOfferedSoFar: number[];
  usualOfferedLastHour: number[];
  usualAbandonsLastHour: number[];
  buckets: OfferedBucket[];
}

export interface CategoryIntraday {
  category: string;
  soFar: number;
  lastHour: number;
  /** per usual day (the days any channel was open), up to the same minute, in the last hour, whole */
  usualSoFar: number[];
  usualLastHour: number[];
}

export interface SourceIntraday {
  source: string;
  /** rows of today up to the view's minute */
  today: number;
  lastHour: number;
  /** newest arrival today, ISO UTC; null without rows today */
  newestArrivedAt: string | null;
  /** when the newest export holding rows of today arrived (its rows' delivered_at), ISO UTC */
  newestDeliveredAt: string | null;
  /** per usual day with rows of the source, its rows in the same hour */
  usualLastHour: number[];
}

export interface IntradayFigures {
  window: LiveWindow;
  channels: ChannelIntraday[];
  categories: CategoryIntraday[];
  /** the days category and source figures are compared with: usual days with any contact at all */
  usualDays: string[];
  /** inbound contacts so far and in the last hour (all channels), and per usual day */
  inboundSoFar: number;
  inboundLastHour: number;
  usualInboundSoFar: number[];
  usualInboundLastHour: number[];
  /** usual inbound over the whole day, per usual day (what a category's minimum count is scaled by) */
  usualInboundDay: number[];
  sources: SourceIntraday[];
}

type Row = Record<string, SqlValue>;

const num = (row: Row, key: string): number => {
  const v = row[key];
  if (v === null || v === undefined) return 0;
  if (typeof v !== 'number') throw new LiveDataError(`intraday query: ${key} is ${typeof v}, not a number`);
  return v;
};

const countsOf = (row: Row): Counts => ({
  offered: num(row, 'offered'),
  answered: num(row, 'answered'),
  abandoned: num(row, 'abandoned'),
  shortAbandoned: num(row, 'short_abandoned'),
  slNumerator: num(row, 'service_level_numerator'),
  slDenominator: num(row, 'service_level_denominator'),
  slKnownWaits: num(row, 'service_level_known_waits'),
  slUnknownBrackets: num(row, 'service_level_unknown_brackets'),
  answeredWaitSeconds: num(row, 'answered_wait_seconds'),
  answeredWithWait: num(row, 'answered_with_wait'),
});

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function channelFigures(channel: Channel, rows: readonly Row[], window: LiveWindow, opening: OpeningDays): ChannelIntraday {
  const today = window.today;
  const own = rows.filter((r) => r.grain === 'bucket' && r.channel === channel);
  const withContacts = new Set(own.filter((r) => num(r, 'inbound') > 0).map((r) => String(r.dt)));
  const usualDays = window.days.slice(1).map((d) => d.dt).filter((dt) => opening.isOpen(channel, dt) && withContacts.has(dt));
  const usualSet = new Set(usualDays);
  let soFar = ZERO_COUNTS;
  let lastHour = ZERO_COUNTS;
  let usualSoFar = ZERO_COUNTS;
  let usualLastHour = ZERO_COUNTS;
  const offeredSoFar = new Map(usualDays.map((d) => [d, 0]));
  const offeredLastHour = new Map(usualDays.map((d) => [d, 0]));
  const abandonsLastHour = new Map(usualDays.map((d) => [d, 0]));
  const todayBuckets = new Array<number>(BUCKETS_PER_DAY).fill(0);
  const usualBuckets = usualDays.map(() => new Array<number>(BUCKETS_PER_DAY).fill(0));
  for (const r of own) {
    const dt = String(r.dt);
    const c = countsOf(r);
    const bucket = num(r, 'bucket');
    if (bucket < 0 || bucket >= BUCKETS_PER_DAY) throw new LiveDataError(`intraday query: bucket ${bucket} of ${dt} is outside the day`);
    const before = r.is_before_cutoff === true;
    const inHour = r.is_last_hour === true;
    if (dt === today) {
      if (!before) continue;
      soFar = addCounts(soFar, c);
      if (inHour) lastHour = addCounts(lastHour, c);
      todayBuckets[bucket]! += c.offered;
    } else if (usualSet.has(dt)) {
      usualBuckets[usualDays.indexOf(dt)]![bucket]! += c.offered;
      if (before) {
        usualSoFar = addCounts(usualSoFar, c);
        offeredSoFar.set(dt, offeredSoFar.get(dt)! + c.offered);
      }
      if (inHour) {
        usualLastHour = addCounts(usualLastHour, c);
        offeredLastHour.set(dt, offeredLastHour.get(dt)! + c.offered);
        abandonsLastHour.set(dt, abandonsLastHour.get(dt)! + c.abandoned - c.shortAbandoned);
      }
    }
  }
  // a bucket is today's once it has begun: the one the view's minute is in shows what arrived in it so far
  const todayBucketsShown = Math.ceil(window.minuteOfDay / BUCKET_MINUTES);
  const buckets: OfferedBucket[] = todayBuckets.map((offered, bucket) => ({
    bucket,
    from: hhmm(bucket * BUCKET_MINUTES),
    today: bucket < todayBucketsShown ? offered : null,
    usual: usualBuckets.map((b) => b[bucket]!),
  }));
  return {
    channel,
    openToday: opening.isOpen(channel, today),
    usualDays,
    soFar,
    lastHour,
    usualSoFar,
    usualLastHour,
    usualOfferedSoFar: usualDays.map((d) => offeredSoFar.get(d)!),
    usualOfferedLastHour: usualDays.map((d) => offeredLastHour.get(d)!),
    usualAbandonsLastHour: usualDays.map((d) => abandonsLastHour.get(d)!),
    buckets,
  };
}

/**
 * The channels the page shows: those the calendar declares or a source is bound to, and any with contacts in
 * the five days read.
 */
export function liveChannels(rows: readonly Row[], declared: readonly Channel[]): Channel[] {
  const has = new Set<Channel>(declared);
  for (const r of rows) if (r.grain === 'bucket' && num(r, 'inbound') > 0) has.add(r.channel as Channel);
  return CHANNELS.filter((ch) => has.has(ch));
}

export function intradayFigures(rows: readonly Row[], window: LiveWindow, opening: OpeningDays, declaredChannels: readonly Channel[]): IntradayFigures {
  const today = window.today;
  const channels = liveChannels(rows, declaredChannels).map((ch) => channelFigures(ch, rows, window, opening));
  // categories and sources span channels: their usual days are the days the lake holds anything for
  const anyContacts = new Set(rows.filter((r) => r.grain === 'category' && num(r, 'inbound') > 0).map((r) => String(r.dt)));
  const usualDays = window.days.slice(1).map((d) => d.dt).filter((dt) => anyContacts.has(dt) && channels.some((c) => c.usualDays.includes(dt)));
  const index = new Map(usualDays.map((d, i) => [d, i]));
  const zeros = () => usualDays.map(() => 0);

  const categories = new Map<string, CategoryIntraday>();
  const usualInboundSoFar = zeros();
  const usualInboundLastHour = zeros();
  const usualInboundDay = zeros();
  let inboundSoFar = 0;
  let inboundLastHour = 0;
  for (const r of rows.filter((x) => x.grain === 'category')) {
    const dt = String(r.dt);
    const n = num(r, 'inbound');
    if (n === 0) continue;
    const name = String(r.category);
    let cat = categories.get(name);
    if (cat === undefined) categories.set(name, (cat = { category: name, soFar: 0, lastHour: 0, usualSoFar: zeros(), usualLastHour: zeros() }));
    const before = r.is_before_cutoff === true;
    const inHour = r.is_last_hour === true;
    if (dt === today) {
      if (!before) continue;
      cat.soFar += n;
      inboundSoFar += n;
      if (inHour) {
        cat.lastHour += n;
        inboundLastHour += n;
      }
      continue;
    }
    const i = index.get(dt);
    if (i === undefined) continue;
    usualInboundDay[i]! += n;
    if (before) {
      cat.usualSoFar[i]! += n;
      usualInboundSoFar[i]! += n;
    }
    if (inHour) {
      cat.usualLastHour[i]! += n;
      usualInboundLastHour[i]! += n;
    }
  }

  const sources = new Map<string, SourceIntraday & { usualByDay: Map<string, number> }>();
  for (const r of rows.filter((x) => x.grain === 'source')) {
    const name = String(r.source);
    let s = sources.get(name);
    if (s === undefined) sources.set(name, (s = { source: name, today: 0, lastHour: 0, newestArrivedAt: null, newestDeliveredAt: null, usualLastHour: [], usualByDay: new Map() }));
    const dt = String(r.dt);
    const n = num(r, 'contacts');
    const before = r.is_before_cutoff === true;
    const inHour = r.is_last_hour === true;
    if (dt === today) {
      if (!before) continue;
      s.today += n;
      if (inHour) s.lastHour += n;
      const newest = typeof r.newest_arrived_at === 'string' ? r.newest_arrived_at : null;
      if (newest !== null && (s.newestArrivedAt === null || newest > s.newestArrivedAt)) s.newestArrivedAt = newest;
      const delivered = typeof r.newest_delivered_at === 'string' ? r.newest_delivered_at : null;
      if (delivered !== null && (s.newestDeliveredAt === null || delivered > s.newestDeliveredAt)) s.newestDeliveredAt = delivered;
    } else {
      s.usualByDay.set(dt, (s.usualByDay.get(dt) ?? 0) + (inHour ? n : 0));
    }
  }
  return {
    window,
    channels,
    categories: [...categories.values()].sort((a, b) => b.soFar - a.soFar || a.category.localeCompare(b.category)),
    usualDays,
    inboundSoFar,
    inboundLastHour,
    usualInboundSoFar,
    usualInboundLastHour,
    usualInboundDay,
    sources: [...sources.values()].map(({ usualByDay, ...s }) => ({ ...s, usualLastHour: window.days.slice(1).filter((d) => usualByDay.has(d.dt)).map((d) => usualByDay.get(d.dt)!) })),
  };
}

/** The mean of a list, null when it is empty. */
export const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : sum(xs) / xs.length);

/** The sample standard deviation, null with fewer than two values. */
export function stddev(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = sum(xs) / xs.length;
  return Math.sqrt(sum(xs.map((x) => (x - m) ** 2)) / (xs.length - 1));
}
