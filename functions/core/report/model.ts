/**
 * The report model: everything the e-mail shows, computed once from the KPI document, the client config and
 * what the coverage index says about the period's data. Renderers (HTML, text, CSV, XLSX, charts) only lay it
 * out, so every number and every claim a reader sees is decided here and tested here. Strings are localized
 * but not escaped: escaping belongs to each renderer.
 *
 * What the model never does: judge an SLA target or raise a comparison as an action item on data that has not
 * fully arrived (those are provisional), compare a partial period with a full one as if equal (counts are then
 * compared per day of data), colour a figure better or worse on too few responses, or show cost per contact
 * for an incomplete period.
 */
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { channelParameters, contractInForce } from '../config/client-config.ts';
import type { CategoryResult, DailyPoint, HourlyResult, KpiDocument, Kpis, Period, PeriodKind, SlaResult } from '../kpis/kpi-result.ts';
import { CHANNELS, TEXT_LENGTH_LIMITS, type Channel } from '../tables.ts';
import { maskContactDetails } from '../privacy/mask.ts';
import type { PeriodCompleteness } from './completeness.ts';
import { createFormatter, type Formatter, type ValueKind } from './format.ts';
import type { KpiKey, Locale } from './messages.ts';

export type Better = 'up' | 'down' | 'none';

export const KPI_META: Record<KpiKey, { kind: ValueKind; better: Better }> = {
  offered: { kind: 'count', better: 'none' },
  answered: { kind: 'count', better: 'none' },
  abandoned: { kind: 'count', better: 'down' },
  callbacks: { kind: 'count', better: 'none' },
  answer_rate: { kind: 'rate', better: 'up' },
  abandon_rate: { kind: 'rate', better: 'down' },
  service_level: { kind: 'rate', better: 'up' },
  asa_seconds: { kind: 'seconds', better: 'down' },
  aht_seconds: { kind: 'seconds', better: 'down' },
  avg_talk_seconds: { kind: 'seconds', better: 'none' },
  avg_acw_seconds: { kind: 'seconds', better: 'down' },
  wait_p90_seconds: { kind: 'seconds', better: 'down' },
  max_wait_seconds: { kind: 'seconds', better: 'down' },
  transfer_rate: { kind: 'rate', better: 'down' },
  self_service_rate: { kind: 'rate', better: 'up' },
  repeat_rate: { kind: 'rate', better: 'down' },
  retry_after_abandon_rate: { kind: 'rate', better: 'none' },
  fcr: { kind: 'rate', better: 'up' },
  csat_avg: { kind: 'score', better: 'up' },
  csat_satisfied_rate: { kind: 'rate', better: 'up' },
  nps: { kind: 'nps', better: 'up' },
  ces_avg: { kind: 'score', better: 'up' },
  ces_low_effort_rate: { kind: 'rate', better: 'up' },
  survey_response_rate: { kind: 'rate', better: 'up' },
  cost_per_contact: { kind: 'money', better: 'down' },
  contacts_per_day: { kind: 'decimal', better: 'none' },
  contacts_per_agent_day: { kind: 'decimal', better: 'none' },
};

const SURVEY_KPIS: ReadonlySet<KpiKey> = new Set(['csat_avg', 'csat_satisfied_rate', 'nps', 'ces_avg', 'ces_low_effort_rate']);

/** How many contacts or responses a KPI of a KPI set rests on: a small n gets no better/worse colour. */
export function sampleSize(key: KpiKey, k: Kpis): number | null {
  switch (key) {
    case 'answer_rate':
    case 'abandon_rate':
    case 'service_level':
      return k.offered - k.short_abandoned;
    case 'asa_seconds':
    case 'aht_seconds':
    case 'avg_talk_seconds':
    case 'avg_acw_seconds':
    case 'wait_p90_seconds':
    case 'max_wait_seconds':
    case 'transfer_rate':
    case 'survey_response_rate':
      return k.answered;
    case 'self_service_rate':
      return k.self_service + k.offered;
    case 'repeat_rate':
      return k.inbound_with_key;
    case 'retry_after_abandon_rate':
      return k.abandoned_with_key;
    case 'fcr':
      return k.answered_with_key;
    case 'csat_avg':
    case 'csat_satisfied_rate':
      return k.csat_responses;
    case 'nps':
      return k.nps_responses;
    case 'ces_avg':
    case 'ces_low_effort_rate':
      return k.ces_responses;
    default:
      return null;
  }
}

export type Direction = 'better' | 'worse' | 'same' | 'neutral';

export interface Change {
  /** current − prior, in the value's unit (fractions for rates); null when either side is null */
  delta: number | null;
  /** (current − prior) / prior; null when the prior is null or 0 */
  relative: number | null;
  /** what the report prints: percentage points for rates, the relative change otherwise, "—" when unknown */
  text: string;
  /** null when the change is unknown; `neutral` also for changes that are provisional or rest on a small n */
  direction: Direction | null;
}

export interface KpiFigure {
  key: KpiKey;
  label: string;
  value: number | null;
  display: string;
  prior: number | null;
  priorDisplay: string;
  vsPrior: Change;
  /** daily reports only */
  vsWeekAgo: Change | null;
  /** the n the figure rests on, shown when it is below the client's min_sample */
  smallSample: string | null;
  /** the figure rests on data that has not fully arrived */
  provisional: boolean;
}

export type Verdict = 'met' | 'missed' | 'provisional' | 'no-data';

/** One contract target on the first screen. */
export interface ContractCard {
  /** stable key of the target, for the delivery log's fingerprint */
  key: string;
  label: string;
  kpi: KpiKey;
  channel: Channel | null;
  value: number | null;
  actual: string;
  target: string;
  verdict: Verdict;
  verdictText: string;
  margin: string;
  prior: string;
  /** weekly and monthly: "달성 5/7일" */
  daysMet: string | null;
  smallSample: string | null;
}

export interface ChannelRow {
  channel: Channel;
  label: string;
  offered: string;
  answerRate: string;
  serviceLevel: string;
  abandonRate: string;
  asa: string;
  longestWait: string;
  /** the raw values, for the XLSX attachment */
  values: Pick<Kpis, 'offered' | 'answer_rate' | 'service_level' | 'abandon_rate' | 'asa_seconds' | 'max_wait_seconds'>;
}

export interface CategoryRow {
  /** the category as the lake has it (at most TEXT_LENGTH_LIMITS.category characters): the XLSX */
  name: string;
  /** the category shortened for the e-mail (MAX_DISPLAY_LABEL_CHARS) */
  label: string;
  count: string;
  share: string;
  change: Change;
  isSpike: boolean;
  values: { count: number; share: number | null; prior_count: number };
}

export interface CommentRow {
  text: string;
  meta: string;
}

export interface ActionItem {
  severity: 'high' | 'medium';
  text: string;
}

/** A figure the report showed, as the delivery log keeps it to tell later whether a restatement is due. */
export interface ShownFigure {
  key: string;
  label: string;
  kind: ValueKind;
  value: number | null;
  verdict?: Verdict;
}

export interface PreviousReport {
  sentAt: string;
  figures: Readonly<Record<string, number | null>>;
  verdicts: Readonly<Record<string, Verdict>>;
}

export interface ChangeLine {
  key: string;
  text: string;
}

export interface ChartSeries {
  /** label of the line, e.g. "전화 서비스 레벨" */
  label: string;
  channel: Channel | null;
  points: { label: string; offered: number; line: number | null }[];
  /** the target value of the line's KPI, drawn dashed; null without one */
  target: number | null;
}

export type ReportStatus = 'complete' | 'incomplete' | 'no-data';

export interface ReportModel {
  locale: Locale;
  clientId: string;
  clientName: string;
  kind: PeriodKind;
  period: Period;
  periodLabel: string;
  subject: string;
  title: string;
  status: ReportStatus;
  incomplete: boolean;
  /** "cti 3/17, chat 3/17–3/18": the source-days not received */
  missingText: string | null;
  banner: string | null;
  correction: { notice: string; intro: string; changes: ChangeLine[] } | null;
  vsPriorLabel: string;
  vsWeekAgoLabel: string | null;
  contract: ContractCard[];
  keyFigures: KpiFigure[];
  comparisonNote: string | null;
  actions: ActionItem[];
  /** what the actions box says when there is nothing to act on */
  noActionsText: string;
  showDaysMet: boolean;
  channels: ChannelRow[];
  trend: ChartSeries | null;
  trendCaption: string | null;
  hourly: HourlyResult[];
  hourlyLine: ChartSeries | null;
  peakHour: number | null;
  peakHourText: string | null;
  categories: CategoryRow[];
  categoryBase: string;
  surveys: KpiFigure[];
  surveyResponsesText: string;
  comments: CommentRow[];
  cost: KpiFigure | null;
  costNote: string | null;
  dataQuality: string[];
  contractNotes: string[];
  /** the daily breakdown for the attachments */
  daily: DailyPoint[];
  /** everything shown that a restatement compares */
  figures: ShownFigure[];
  format: Formatter;
}

export interface BuildReportModelInput {
  doc: KpiDocument;
  config: ClientConfig;
  /** the language of this copy (per recipient); default the client's */
  locale?: Locale;
  /** the current period's data, from the coverage index */
  completeness: PeriodCompleteness;
  /** the prior period's (and, daily, the week-ago day's); null when unknown */
  priorCompleteness?: PeriodCompleteness | null;
  weekAgoCompleteness?: PeriodCompleteness | null;
  /** set when this report restates one already sent */
  previous?: PreviousReport | null;
}

/** Contract KPIs that lead the key figures when the contract does not judge them. */
const KEY_FIGURE_KEYS: KpiKey[] = [
  'offered',
  'answer_rate',
  'service_level',
  'abandon_rate',
  'asa_seconds',
  'aht_seconds',
  'max_wait_seconds',
  'fcr',
  'repeat_rate',
  'self_service_rate',
  'retry_after_abandon_rate',
];
const SURVEY_KEYS: KpiKey[] = ['csat_avg', 'csat_satisfied_rate', 'nps', 'ces_avg', 'survey_response_rate'];
/** KPIs whose worsening is worth an action item even without an SLA target */
const WATCHED_KEYS: KpiKey[] = ['answer_rate', 'service_level', 'abandon_rate', 'asa_seconds', 'aht_seconds', 'repeat_rate', 'fcr', 'csat_avg'];
/** a rate that moved this many points the wrong way, or another KPI this much relatively, is a "big" worsening */
const WORSENING_POINTS = 0.05;
const WORSENING_RELATIVE = 0.2;
const TOP_CATEGORIES = 5;
const MAX_ACTIONS = 6;
/** names from the client's config shown in the report (client name, target labels) are cut to this many characters */
export const MAX_LABEL_CHARS = 80;
/**
 * Category and queue labels in the e-mail (HTML and text) are shortened to this many characters, the last an
 * ellipsis, so a long one does not push the table's numbers off a phone screen. The XLSX keeps the full value,
 * which ingest has bounded already (tables.ts TEXT_LENGTH_LIMITS; the model cuts to that too, for lake rows
 * written before the limits).
 */
export const MAX_DISPLAY_LABEL_CHARS = 60;
export const MAX_COMMENT_CHARS = 300;
const COUNT_KINDS: ReadonlySet<ValueKind> = new Set(['count']);

export const cut = (text: string, max: number): string => {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
};

interface CompareOptions {
  /** the figure rests on data that has not fully arrived on either side: no direction */
  provisional?: boolean;
  /** too few responses or contacts: no direction */
  smallSample?: boolean;
  /** counts compared as per-day averages: the divisors of each side */
  perDay?: { current: number; prior: number } | null;
}

export function compareValues(key: KpiKey, current: number | null, prior: number | null, f: Formatter, options: CompareOptions = {}): Change {
  const meta = KPI_META[key];
  const dash = f.messages.dash;
  if (current === null || prior === null) return { delta: null, relative: null, text: dash, direction: null };
  let a = current;
  let b = prior;
  if (options.perDay != null && COUNT_KINDS.has(meta.kind)) {
    if (options.perDay.current === 0 || options.perDay.prior === 0) return { delta: null, relative: null, text: dash, direction: null };
    a = current / options.perDay.current;
    b = prior / options.perDay.prior;
  }
  const delta = a - b;
  const relative = b === 0 ? null : delta / Math.abs(b);
  let text: string;
  if (meta.kind === 'rate') text = f.pointsChange(delta);
  else if (meta.kind === 'nps' || meta.kind === 'score') text = f.absoluteChange(meta.kind, delta);
  else text = relative === null ? dash : f.relativeChange(relative);
  // A change too small to print is "same": the arrow must never contradict a printed 0.
  const epsilon = meta.kind === 'rate' ? 0.0005 : meta.kind === 'score' ? 0.005 : 1e-9;
  let direction: Direction;
  if (Math.abs(delta) < epsilon) direction = 'same';
  else if (meta.better === 'none' || options.provisional === true || options.smallSample === true) direction = 'neutral';
  else direction = (delta > 0) === (meta.better === 'up') ? 'better' : 'worse';
  return { delta, relative, text, direction };
}

/** Which figures a missing source-day touches: its table's KPIs, on its channel when the source has one. */
function affectsFigure(missingSources: readonly SourceConfig[], key: KpiKey, channel: Channel | null): boolean {
  return missingSources.some((s) => {
    const survey = SURVEY_KPIS.has(key);
    const tableMatches = key === 'survey_response_rate' || (survey ? s.table === 'surveys' : s.table === 'contacts');
    if (!tableMatches) return false;
    const sourceChannel = 'channel' in s ? (s.channel ?? null) : null;
    return sourceChannel === null || channel === null || sourceChannel === channel;
  });
}

const missingSourcesOf = (c: PeriodCompleteness | null | undefined, config: ClientConfig): SourceConfig[] => {
  if (c == null) return [];
  const ids = new Set(c.missing.map((m) => m.source));
  return config.sources.filter((s) => ids.has(s.id));
};

/** "cti 3/17, chat 3/17–3/18", and "cti 3/19 (file rejected)" for a day whose export came and was rejected */
export function missingSummary(c: PeriodCompleteness, f: Formatter): string | null {
  if (c.missing.length === 0) return null;
  const bySource = new Map<string, { absent: string[]; rejected: string[] }>();
  for (const m of c.missing) {
    const days = bySource.get(m.source) ?? { absent: [], rejected: [] };
    (m.rejected ? days.rejected : days.absent).push(m.dt);
    bySource.set(m.source, days);
  }
  const mark = f.messages.dataQuality.rejectedMark;
  return [...bySource]
    .flatMap(([source, days]) => [
      ...(days.absent.length > 0 ? [`${source} ${f.dayList(days.absent)}`] : []),
      ...(days.rejected.length > 0 ? [`${source} ${f.dayList(days.rejected)} ${mark}`] : []),
    ])
    .join(', ');
}

function targetText(kind: ValueKind, op: '>=' | '<=', value: number, f: Formatter): string {
  return `${op === '>=' ? '≥' : '≤'} ${f.value(kind, value)}`;
}

/** "전화 포기율", "Phone abandon rate" (not "Phone Abandon rate"; "Chat ASA" keeps its capitals) */
export function channelLabel(f: Formatter, channel: Channel, key: KpiKey): string {
  const kpi = f.messages.kpi[key];
  const lower = f.locale === 'en' && /^[A-Z][a-z]/.test(kpi) ? `${kpi[0]!.toLowerCase()}${kpi.slice(1)}` : kpi;
  return `${f.messages.channel[channel]} ${lower}`;
}

const targetKey = (row: Pick<SlaResult, 'kpi' | 'channel' | 'op' | 'target'>) => `sla:${row.kpi}:${row.channel ?? 'all'}:${row.op}${row.target}`;

/**
 * Whether a figure moved enough between two sends of a report to restate it. One late contact in a thousand
 * is not a correction; a rate that moved half a point, a duration that moved a second and 2 %, or a figure that
 * appeared or disappeared is.
 */
export function materiallyChanged(kind: ValueKind, before: number | null, after: number | null): boolean {
  if (before === null || after === null) return before !== after;
  const d = Math.abs(after - before);
  switch (kind) {
    case 'count':
      return d >= Math.max(1, 0.005 * Math.abs(before));
    case 'rate':
      return d >= 0.005;
    case 'seconds':
      return d >= Math.max(1, 0.02 * Math.abs(before));
    case 'score':
      return d >= 0.05;
    case 'nps':
      return d >= 1;
    case 'money':
    case 'decimal':
      return d >= 0.01 * Math.abs(before);
  }
}

export function buildReportModel(input: BuildReportModelInput): ReportModel {
  const { doc, config, completeness } = input;
  const locale = input.locale ?? config.locale;
  const f = createFormatter(locale, config.currency, config.timezone);
  const msg = f.messages;
  const kind = doc.period.kind;
  const current = doc.current.total;
  const prior = doc.prior.total;
  const weekAgo = kind === 'daily' ? (doc.week_ago?.total ?? null) : null;
  const minSample = config.reports.min_sample;
  const noData = completeness.noData;
  const incomplete = !noData && !completeness.complete;
  const priorComplete = input.priorCompleteness?.complete ?? true;

  const currentMissing = missingSourcesOf(completeness, config);
  const priorMissing = missingSourcesOf(input.priorCompleteness, config);
  const weekAgoMissing = missingSourcesOf(input.weekAgoCompleteness, config);

  // Fair comparison: counts of periods with different days of data are compared per day of data.
  const periodDays = (p: Period | null, c: PeriodCompleteness | null | undefined): number | null => {
    if (p === null) return null;
    const length = Math.round((Date.parse(`${p.end}T00:00:00Z`) - Date.parse(`${p.start}T00:00:00Z`)) / 86_400_000) + 1;
    return c == null || c.complete ? length : c.completeDays.length;
  };
  const currentDays = periodDays(doc.period, completeness);
  const priorDays = periodDays(doc.prior_period, input.priorCompleteness);
  const perDay =
    currentDays !== null && priorDays !== null && (currentDays !== priorDays || !completeness.complete || !priorComplete)
      ? { current: currentDays, prior: priorDays }
      : null;

  const figure = (key: KpiKey, channel: Channel | null = null): KpiFigure => {
    const pick = (set: typeof doc.current | null) => (set === null ? null : channel === null ? set.total : (set.by_channel[channel] ?? null));
    const cur = pick(doc.current);
    const pri = pick(doc.prior);
    const wk = kind === 'daily' ? pick(doc.week_ago) : null;
    const value = cur?.[key] ?? null;
    const priorValue = pri?.[key] ?? null;
    const n = cur === null ? null : sampleSize(key, cur);
    const small = n !== null && value !== null && n < minSample;
    const provisionalHere = affectsFigure(currentMissing, key, channel) || (key === 'fcr' && cur?.fcr_provisional === true);
    const valueKind = KPI_META[key].kind;
    return {
      key,
      label: channel === null ? msg.kpi[key] : channelLabel(f, channel, key),
      value: typeof value === 'number' ? value : null,
      display: f.value(valueKind, typeof value === 'number' ? value : null),
      prior: typeof priorValue === 'number' ? priorValue : null,
      priorDisplay: f.value(valueKind, typeof priorValue === 'number' ? priorValue : null),
      vsPrior: compareValues(key, typeof value === 'number' ? value : null, typeof priorValue === 'number' ? priorValue : null, f, {
        provisional: provisionalHere || affectsFigure(priorMissing, key, channel),
        smallSample: small,
        perDay,
      }),
      vsWeekAgo:
        wk === null
          ? null
          : compareValues(key, typeof value === 'number' ? value : null, (wk[key] as number | null) ?? null, f, {
              provisional: provisionalHere || affectsFigure(weekAgoMissing, key, channel),
              smallSample: small,
            }),
      smallSample: small ? msg.comparison.smallSample(f.count(n)) : null,
      provisional: provisionalHere && !noData,
    };
  };

  // The first screen is the contract: each target, on the channel it is judged on.
  const contract: ContractCard[] = noData
    ? []
    : doc.sla.map((row) => {
        const valueKind = KPI_META[row.kpi].kind;
        const set = row.channel === null ? current : (doc.current.by_channel[row.channel] ?? null);
        const n = set === null ? null : sampleSize(row.kpi, set);
        const provisional = row.met !== null && affectsFigure(currentMissing, row.kpi, row.channel);
        const verdict: Verdict = row.met === null ? 'no-data' : provisional ? 'provisional' : row.met ? 'met' : 'missed';
        const label = row.label !== null ? cut(row.label, MAX_LABEL_CHARS) : row.channel === null ? msg.kpi[row.kpi] : channelLabel(f, row.channel, row.kpi);
        // "4.30 against ≥ 4.30: missed" would contradict itself: when rounding hides the difference, show more digits
        const hidden = row.actual !== null && row.actual !== row.target && f.value(valueKind, row.actual) === f.value(valueKind, row.target);
        return {
          key: targetKey(row),
          label,
          kpi: row.kpi,
          channel: row.channel,
          value: row.actual,
          actual: hidden ? f.precise(valueKind, row.actual) : f.value(valueKind, row.actual),
          target: targetText(valueKind, row.op, row.target, f),
          verdict,
          verdictText: { met: msg.sla.met, missed: msg.sla.missed, provisional: msg.sla.provisional, 'no-data': msg.sla.noData }[verdict],
          margin: row.margin === null ? msg.dash : hidden ? f.preciseChange(valueKind, row.margin) : f.absoluteChange(valueKind, row.margin),
          prior: f.value(valueKind, row.prior_actual),
          daysMet: kind === 'daily' || row.days_met === null || row.days_judged === null ? null : msg.sla.daysMet(f.count(row.days_met), f.count(row.days_judged)),
          smallSample: n !== null && row.actual !== null && n < minSample ? msg.comparison.smallSample(f.count(n)) : null,
        };
      });

  // A blended figure of a KPI the contract judges would contradict the contract's own row: leave it out.
  const judged = new Set(doc.sla.map((r) => r.kpi as string));
  const keyFigures = noData ? [] : KEY_FIGURE_KEYS.filter((k) => !judged.has(k)).map((k) => figure(k));
  const surveys = noData ? [] : SURVEY_KEYS.map((k) => figure(k));
  const costFigure = figure('cost_per_contact');
  const costShown = !noData && completeness.complete && costFigure.value !== null;
  const cost: KpiFigure | null = costShown
    ? {
        ...costFigure,
        prior: priorComplete ? costFigure.prior : null,
        priorDisplay: priorComplete ? costFigure.priorDisplay : msg.dash,
        vsPrior: priorComplete ? costFigure.vsPrior : { delta: null, relative: null, text: msg.dash, direction: null },
      }
    : null;

  const channels: ChannelRow[] = noData
    ? []
    : CHANNELS.flatMap((ch) => {
        const k = doc.current.by_channel[ch];
        if (k === undefined || k.inbound + k.offered === 0) return [];
        return [
          {
            channel: ch,
            label: msg.channel[ch],
            offered: f.count(k.offered),
            answerRate: f.percent(k.answer_rate),
            serviceLevel: f.percent(k.service_level),
            abandonRate: f.percent(k.abandon_rate),
            asa: f.duration(k.asa_seconds),
            longestWait: f.duration(k.max_wait_seconds),
            values: {
              offered: k.offered,
              answer_rate: k.answer_rate,
              service_level: k.service_level,
              abandon_rate: k.abandon_rate,
              asa_seconds: k.asa_seconds,
              max_wait_seconds: k.max_wait_seconds,
            },
          },
        ];
      });

  const categoryChange = (c: CategoryResult): Change => {
    const ch = compareValues('offered', c.count, c.prior_count === 0 ? null : c.prior_count, f, { perDay });
    return { ...ch, direction: ch.direction === null ? null : c.count === c.prior_count ? 'same' : 'neutral' };
  };
  const categories: CategoryRow[] = noData
    ? []
    : [...doc.categories]
        .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
        .slice(0, TOP_CATEGORIES)
        .map((c) => ({
          name: cut(c.category, TEXT_LENGTH_LIMITS.category),
          label: cut(c.category, MAX_DISPLAY_LABEL_CHARS),
          count: f.count(c.count),
          share: f.percent(c.share),
          change: categoryChange(c),
          isSpike: c.is_spike,
          values: { count: c.count, share: c.share, prior_count: c.prior_count },
        }));

  let peakHour: number | null = doc.peak_hour ?? null;
  const peakOffered = peakHour === null ? 0 : (doc.hourly.find((h) => h.hour === peakHour)?.offered ?? 0);
  if (peakOffered === 0) peakHour = null;

  // Charts follow the contract: the line is the first service-level target's KPI on its channel, with its target.
  const slTarget = doc.sla.find((r) => r.kpi === 'service_level');
  const trendKey = config.reports.trend_line;
  const lineTarget = doc.sla.find((r) => r.kpi === trendKey);
  const lineChannel = lineTarget?.channel ?? null;
  const lineLabel = lineChannel === null ? msg.kpi[trendKey] : channelLabel(f, lineChannel, trendKey);
  const trend: ChartSeries | null =
    noData || doc.daily.length <= 1
      ? null
      : {
          label: lineLabel,
          channel: lineChannel,
          points: doc.daily.map((p) => ({
            label: f.shortDate(p.dt),
            offered: p.offered,
            line: lineChannel === null ? p[trendKey] : (p.by_channel[lineChannel]?.[trendKey] ?? null),
          })),
          target: trendKey === 'service_level' ? (slTarget?.target ?? null) : (lineTarget?.target ?? null),
        };
  const slChannel = slTarget?.channel ?? null;
  const slLabel = slChannel === null ? msg.kpi.service_level : channelLabel(f, slChannel, 'service_level');
  const hourlyLine: ChartSeries | null =
    noData || !doc.hourly.some((h) => h.offered > 0)
      ? null
      : {
          label: slLabel,
          channel: slChannel,
          points: doc.hourly.map((h) => ({
            label: String(h.hour),
            offered: h.offered,
            line: slChannel === null ? h.service_level : (h.by_channel?.[slChannel]?.service_level ?? null),
          })),
          target: slTarget?.target ?? null,
        };

  const missingText = missingSummary(completeness, f);
  const actions: ActionItem[] = [];
  if (noData) actions.push({ severity: 'high', text: msg.actions.noData(missingText ?? msg.dash) });
  else if (incomplete) actions.push({ severity: 'high', text: msg.actions.dataIncomplete(missingText ?? msg.dash) });
  for (const card of contract) {
    if (card.verdict === 'missed') actions.push({ severity: 'high', text: msg.actions.slaMissed(card.label, card.actual, card.target) });
    else if (card.verdict === 'provisional' && doc.sla.find((r) => targetKey(r) === card.key)?.met === false) {
      actions.push({ severity: 'medium', text: msg.actions.slaProvisional(card.label, card.actual, card.target) });
    }
  }
  if (!noData) {
    for (const c of doc.categories.filter((x) => x.is_spike).sort((a, b) => b.count - a.count)) {
      const mean = c.baseline_mean;
      const change = mean === null || mean === 0 ? msg.dash : f.relativeChange((c.count - mean) / mean);
      actions.push({
        severity: 'medium',
        text: msg.actions.spike(cut(c.category, MAX_DISPLAY_LABEL_CHARS), f.count(c.count), mean === null ? msg.dash : f.decimal(mean, mean % 1 === 0 ? 0 : 1), change, kind),
      });
    }
    // Comparisons are raised only between days whose data has fully arrived.
    if (completeness.complete && priorComplete) {
      const missedTotals = new Set(contract.filter((c) => c.verdict === 'missed' && c.channel === null).map((c) => c.kpi as string));
      for (const key of WATCHED_KEYS) {
        if (missedTotals.has(key)) continue;
        const fig = figure(key);
        const change = fig.vsPrior;
        if (change.direction !== 'worse' || change.delta === null) continue;
        const big =
          KPI_META[key].kind === 'rate'
            ? Math.abs(change.delta) >= WORSENING_POINTS
            : change.relative !== null && Math.abs(change.relative) >= WORSENING_RELATIVE;
        if (big) actions.push({ severity: 'medium', text: msg.actions.worsened(msg.kpi[key], change.text, msg.vsPrior[kind]) });
      }
    }
  }

  const terms = doc.contract;
  const version = contractInForce(config, doc.period.start);
  const thresholdList = CHANNELS.filter((ch) => doc.current.by_channel[ch] !== undefined || terms.service_level_seconds[ch] !== undefined)
    .map((ch) => {
      const seconds = terms.service_level_seconds[ch] ?? (version ? channelParameters(version, ch).serviceLevelSeconds : null);
      return seconds === null ? null : `${msg.channel[ch]} ${f.duration(seconds)}`;
    })
    .filter((x): x is string => x !== null)
    .join(', ');
  const contractNotes = [msg.contract.effectiveFrom(f.date(terms.effective_from, true)), msg.contract.formula[terms.service_level_formula]];
  if (thresholdList.length > 0) contractNotes.push(msg.contract.thresholds(thresholdList));
  contractNotes.push(msg.contract.windows(f.count(terms.repeat_window_hours), f.count(terms.fcr_window_hours)));
  if (current.fcr_provisional) contractNotes.push(msg.contract.provisionalFcr);
  for (const from of terms.later_versions_in_period ?? []) contractNotes.push(msg.contract.changedInPeriod(f.date(from, true)));
  if (terms.note !== null) contractNotes.push(cut(terms.note, 300));

  const dataQuality: string[] = [];
  const dq = msg.dataQuality;
  if (completeness.files === 0) dataQuality.push(dq.noFiles);
  else dataQuality.push(dq.files(f.count(completeness.files), f.count(completeness.rowsRead), f.count(completeness.rowsQuarantined)));
  for (const s of completeness.sources) {
    const missing = s.days.filter((d) => d.state === 'missing' && d.rejected === 0).map((d) => d.dt);
    const rejected = s.days.filter((d) => d.state === 'missing' && d.rejected > 0).map((d) => d.dt);
    const pending = s.days.filter((d) => d.state === 'pending').map((d) => d.dt);
    const late = s.days.filter((d) => d.state === 'received' && d.late).map((d) => d.dt);
    if (missing.length > 0) dataQuality.push(dq.missingDays(s.source, f.dayList(missing)));
    if (rejected.length > 0) dataQuality.push(dq.rejectedDays(s.source, f.dayList(rejected)));
    if (pending.length > 0) dataQuality.push(dq.pendingDays(s.source, f.dayList(pending)));
    if (late.length > 0) dataQuality.push(dq.lateDays(s.source, f.dayList(late)));
  }
  if (completeness.complete) dataQuality.push(dq.complete);
  if (doc.data_through !== null && !noData) dataQuality.push(dq.dataThrough(f.instant(doc.data_through)));

  const comments: CommentRow[] = noData
    ? []
    : doc.comments.map((c) => {
        const scores = [
          c.csat_score === null ? null : `CSAT ${f.decimal(c.csat_score, 0)}`,
          c.nps_score === null ? null : `NPS ${f.decimal(c.nps_score, 0)}`,
          c.ces_score === null ? null : `CES ${f.decimal(c.ces_score, 0)}`,
        ]
          .filter((x): x is string => x !== null)
          .join(' ');
        return {
          text: cut(maskContactDetails(c.comment.replace(/\s+/g, ' ').trim()), MAX_COMMENT_CHARS),
          meta: msg.surveys.comment(f.instant(c.responded_at), c.channel === null ? null : msg.channel[c.channel], scores),
        };
      });

  // What a restatement compares: the contract cards, the key figures, the channel rows, surveys and cost.
  const figures: ShownFigure[] = [
    ...contract.map((c) => ({ key: c.key, label: c.label, kind: KPI_META[c.kpi].kind, value: c.value, verdict: c.verdict })),
    ...keyFigures.map((k) => ({ key: `kpi:${k.key}`, label: k.label, kind: KPI_META[k.key].kind, value: k.value })),
    ...CHANNELS.flatMap((ch) => {
      const k = doc.current.by_channel[ch];
      if (k === undefined || noData) return [];
      return (['offered', 'answer_rate', 'service_level', 'abandon_rate', 'asa_seconds'] as const).map((key) => ({
        key: `channel:${ch}:${key}`,
        label: channelLabel(f, ch, key),
        kind: KPI_META[key].kind,
        value: k[key],
      }));
    }),
    ...surveys.map((s) => ({ key: `survey:${s.key}`, label: s.label, kind: KPI_META[s.key].kind, value: s.value })),
    ...(cost === null ? [] : [{ key: 'cost', label: cost.label, kind: 'money' as const, value: cost.value }]),
  ];

  let correction: ReportModel['correction'] = null;
  if (input.previous != null) {
    const prev = input.previous;
    const verdictText = (v: Verdict) => ({ met: msg.sla.met, missed: msg.sla.missed, provisional: msg.sla.provisional, 'no-data': msg.sla.noData })[v];
    const changes: ChangeLine[] = [];
    // a report that went out without data showed nothing: every figure now shown is new
    const prevEmpty = Object.keys(prev.figures).length === 0;
    for (const fig of figures) {
      if (!(fig.key in prev.figures) && !prevEmpty) continue;
      const before = prev.figures[fig.key] ?? null;
      if (materiallyChanged(fig.kind, before, fig.value)) {
        changes.push({ key: fig.key, text: msg.correction.change(fig.label, f.value(fig.kind, before), f.value(fig.kind, fig.value)) });
      } else if (fig.verdict !== undefined && prev.verdicts[fig.key] !== undefined && prev.verdicts[fig.key] !== fig.verdict) {
        changes.push({ key: fig.key, text: msg.correction.verdict(fig.label, verdictText(prev.verdicts[fig.key]!), verdictText(fig.verdict)) });
      }
    }
    correction = { notice: msg.banners.corrected(f.instant(prev.sentAt)), intro: msg.correction.intro(f.instant(prev.sentAt)), changes };
  }

  const periodLabel = f.periodLabel(kind, doc.period.start, doc.period.end);
  const tag = noData ? ` ${msg.tags.noData}` : incomplete ? ` ${msg.tags.incomplete(missingText ?? msg.dash)}` : '';
  const subject = `${correction === null ? '' : `${msg.tags.corrected} `}${msg.subject(cut(config.name, MAX_LABEL_CHARS), kind, periodLabel)}${tag}`;
  const surveyCount = current.csat_responses + current.nps_responses + current.ces_responses;
  const allMet = contract.length > 0 && contract.every((c) => c.verdict === 'met');

  return {
    locale,
    clientId: config.id,
    clientName: cut(config.name, MAX_LABEL_CHARS),
    kind,
    period: doc.period,
    periodLabel,
    subject,
    title: msg.title(kind),
    status: noData ? 'no-data' : incomplete ? 'incomplete' : 'complete',
    incomplete,
    missingText,
    banner: noData ? msg.banners.noData(missingText ?? msg.dash) : incomplete ? msg.banners.incomplete(missingText ?? msg.dash) : null,
    correction,
    vsPriorLabel: msg.vsPrior[kind],
    vsWeekAgoLabel: kind === 'daily' && weekAgo !== null ? msg.vsWeekAgo : null,
    contract,
    keyFigures,
    comparisonNote: perDay === null || noData ? null : msg.comparison.perDay(f.count(perDay.current), f.count(perDay.prior)),
    actions: actions.slice(0, MAX_ACTIONS),
    // "every SLA target was met" is said only when every target was judged and met on complete data
    noActionsText: allMet ? msg.actions.allMet : msg.actions.none,
    showDaysMet: kind !== 'daily' && contract.some((c) => c.daysMet !== null),
    channels,
    trend,
    trendCaption: trend === null ? null : msg.trendCaption(trend.label, trend.target === null ? null : f.percent(trend.target)),
    hourly: doc.hourly,
    hourlyLine,
    peakHour,
    peakHourText: peakHour === null ? null : msg.peakHour(msg.hourLabel(peakHour), f.count(peakOffered)),
    categories,
    categoryBase: msg.categoryBase,
    surveys,
    surveyResponsesText: msg.surveys.responses(f.count(surveyCount)),
    comments,
    cost,
    costNote: !noData && !completeness.complete && costFigure.value !== null ? msg.cost.incomplete : null,
    dataQuality,
    contractNotes,
    daily: doc.daily,
    figures,
    format: f,
  };
}
