/**
 * The report model: everything the e-mail shows, computed once from the KPI document, the client config and the
 * ingest manifests. Renderers (HTML, text, CSV, charts) only lay it out, so every number a reader sees is
 * decided here and tested here. Strings are localized but not escaped: escaping belongs to each renderer.
 */
import { DateTime } from 'luxon';
import { CHANNELS, type Channel } from '../tables.ts';
import type { ClientConfig } from '../config/client-config.ts';
import { channelParameters, contractInForce } from '../config/client-config.ts';
import type { IngestManifest } from '../ingest/manifest.ts';
import type { DailyPoint, HourlyResult, KpiDocument, Kpis, Period, PeriodKind } from '../kpis/kpi-result.ts';
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

export type Direction = 'better' | 'worse' | 'same' | 'neutral';

export interface Change {
  /** current − prior, in the value's unit (fractions for rates); null when either side is null */
  delta: number | null;
  /** (current − prior) / prior; null when the prior is null or 0 */
  relative: number | null;
  /** what the report prints: percentage points for rates, the relative change otherwise, "—" when unknown */
  text: string;
  /** null when the change is unknown */
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
}

export interface SlaRow {
  label: string;
  channel: Channel | null;
  actual: string;
  target: string;
  met: boolean | null;
  resultText: string;
  margin: string;
  prior: string;
  /** monthly: "25/31" */
  daysMet: string | null;
}

export interface ChannelRow {
  channel: Channel;
  label: string;
  offered: string;
  answerRate: string;
  serviceLevel: string;
  abandonRate: string;
  asa: string;
  aht: string;
}

export interface CategoryRow {
  name: string;
  count: string;
  share: string;
  change: Change;
  isSpike: boolean;
}

export interface SourceQuality {
  source: string;
  missingDays: string[];
  lateDays: string[];
}

export interface DataQuality {
  files: number;
  rowsIngested: number;
  rowsQuarantined: number;
  filesRejected: number;
  sources: SourceQuality[];
  dataThrough: string | null;
  lines: string[];
}

export interface ActionItem {
  severity: 'high' | 'medium';
  text: string;
}

export interface ReportModel {
  locale: Locale;
  clientId: string;
  clientName: string;
  kind: PeriodKind;
  period: Period;
  periodLabel: string;
  subject: string;
  title: string;
  incomplete: boolean;
  vsPriorLabel: string;
  vsWeekAgoLabel: string | null;
  headline: KpiFigure[];
  actions: ActionItem[];
  sla: SlaRow[];
  showDaysMet: boolean;
  channels: ChannelRow[];
  trendLine: 'answer_rate' | 'service_level';
  trendLineLabel: string;
  daily: DailyPoint[];
  hourly: HourlyResult[];
  peakHour: number | null;
  peakHourText: string | null;
  categories: CategoryRow[];
  surveys: KpiFigure[];
  surveyResponsesText: string;
  cost: KpiFigure;
  dataQuality: DataQuality;
  contractNotes: string[];
  format: Formatter;
}

export interface BuildReportModelInput {
  doc: KpiDocument;
  config: ClientConfig;
  /** every manifest of the client; the model picks those touching the period */
  manifests: readonly IngestManifest[];
  /** true when the freshness deadline passed before every source had delivered */
  incomplete: boolean;
}

const HEADLINE_KEYS: KpiKey[] = ['offered', 'answer_rate', 'service_level', 'abandon_rate', 'asa_seconds', 'aht_seconds'];
const SURVEY_KEYS: KpiKey[] = ['csat_avg', 'csat_satisfied_rate', 'nps', 'ces_avg', 'survey_response_rate'];
/** KPIs whose worsening is worth an action item even without an SLA target */
const WATCHED_KEYS: KpiKey[] = ['answer_rate', 'service_level', 'abandon_rate', 'asa_seconds', 'aht_seconds', 'repeat_rate', 'fcr', 'csat_avg'];
/** a rate that moved this many points the wrong way, or another KPI this much relatively, is a "big" worsening */
const WORSENING_POINTS = 0.05;
const WORSENING_RELATIVE = 0.2;
const TOP_CATEGORIES = 5;
const MAX_ACTIONS = 6;

export function compareValues(key: KpiKey, current: number | null, prior: number | null, f: Formatter): Change {
  const meta = KPI_META[key];
  const dash = f.messages.dash;
  if (current === null || prior === null) return { delta: null, relative: null, text: dash, direction: null };
  const delta = current - prior;
  const relative = prior === 0 ? null : delta / Math.abs(prior);
  let text: string;
  if (meta.kind === 'rate') text = f.pointsChange(delta);
  else if (meta.kind === 'nps' || meta.kind === 'score') text = f.absoluteChange(meta.kind, delta);
  else text = relative === null ? dash : f.relativeChange(relative);
  // A change too small to print is "same": the arrow must never contradict a printed 0.
  const epsilon = meta.kind === 'rate' ? 0.0005 : meta.kind === 'score' ? 0.005 : 1e-9;
  let direction: Direction;
  if (Math.abs(delta) < epsilon) direction = 'same';
  else if (meta.better === 'none') direction = 'neutral';
  else direction = (delta > 0) === (meta.better === 'up') ? 'better' : 'worse';
  return { delta, relative, text, direction };
}

function figure(key: KpiKey, current: Kpis, prior: Kpis, weekAgo: Kpis | null, f: Formatter): KpiFigure {
  const value = current[key];
  const priorValue = prior[key];
  const kind = KPI_META[key].kind;
  return {
    key,
    label: f.messages.kpi[key],
    value,
    display: f.value(kind, value),
    prior: priorValue,
    priorDisplay: f.value(kind, priorValue),
    vsPrior: compareValues(key, value, priorValue, f),
    vsWeekAgo: weekAgo === null ? null : compareValues(key, value, weekAgo[key], f),
  };
}

function datesBetween(start: string, end: string): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(start, { zone: 'utc' });
  const last = DateTime.fromISO(end, { zone: 'utc' });
  while (d <= last) {
    out.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return out;
}

/**
 * A day's data is late when the first file covering it finished after the report for that day would have gone
 * out: the next local day at send_at.
 */
function dueInstant(dt: string, config: ClientConfig): number {
  const [hour, minute] = config.reports.send_at.split(':').map(Number);
  return DateTime.fromISO(dt, { zone: config.timezone })
    .plus({ days: 1 })
    .set({ hour: hour ?? 0, minute: minute ?? 0 })
    .toMillis();
}

export function dataQualityFor(
  period: Period,
  config: ClientConfig,
  manifests: readonly IngestManifest[],
  dataThrough: string | null,
  f: Formatter,
): DataQuality {
  const days = datesBetween(period.start, period.end);
  const inPeriod = (dt: string) => dt >= period.start && dt <= period.end;
  const own = manifests.filter((m) => m.client_id === config.id);
  const touching = own.filter((m) => m.partitions.some((p) => inPeriod(p.dt)));
  // A rejected file has no partitions; it counts for the period when it was ingested during or right after it.
  const rejected = own.filter(
    (m) =>
      m.status === 'rejected' &&
      m.finished_at.slice(0, 10) >= period.start &&
      m.finished_at.slice(0, 10) <= DateTime.fromISO(period.end).plus({ days: 1 }).toISODate()!,
  );
  let rowsIngested = 0;
  let rowsQuarantined = 0;
  for (const m of touching) {
    for (const p of m.partitions) if (inPeriod(p.dt)) rowsIngested += p.rows;
    rowsQuarantined += m.rows_quarantined;
  }
  const sources: SourceQuality[] = config.sources.map((source) => {
    const firstArrival = new Map<string, number>();
    for (const m of own) {
      if (m.source !== source.id || m.status !== 'ok') continue;
      const finished = Date.parse(m.finished_at);
      for (const p of m.partitions) {
        if (!inPeriod(p.dt)) continue;
        const seen = firstArrival.get(p.dt);
        if (seen === undefined || finished < seen) firstArrival.set(p.dt, finished);
      }
    }
    const missingDays = days.filter((d) => !firstArrival.has(d));
    const lateDays = days.filter((d) => {
      const at = firstArrival.get(d);
      return at !== undefined && at > dueInstant(d, config);
    });
    return { source: source.id, missingDays, lateDays };
  });
  const m = f.messages.dataQuality;
  const lines: string[] = [];
  if (touching.length === 0 && rejected.length === 0) lines.push(m.noManifests);
  else {
    lines.push(`${m.rowsIngested(f.count(rowsIngested))} · ${m.rowsQuarantined(f.count(rowsQuarantined))}`);
  }
  if (rejected.length > 0) lines.push(m.filesRejected(f.count(rejected.length)));
  const list = (ds: string[]) => ds.map((d) => f.shortDate(d)).join(', ');
  for (const s of sources) {
    if (s.missingDays.length > 0) lines.push(m.missingDays(s.source, list(s.missingDays)));
    if (s.lateDays.length > 0) lines.push(m.lateDays(s.source, list(s.lateDays)));
  }
  if (touching.length > 0 && sources.every((s) => s.missingDays.length === 0)) lines.push(m.complete);
  if (dataThrough !== null) lines.push(m.dataThrough(f.instant(dataThrough)));
  return {
    files: touching.length,
    rowsIngested,
    rowsQuarantined,
    filesRejected: rejected.length,
    sources,
    dataThrough,
    lines,
  };
}

function targetText(kind: ValueKind, op: '>=' | '<=', value: number, f: Formatter): string {
  return `${op === '>=' ? '≥' : '≤'} ${f.value(kind, value)}`;
}

function marginText(kind: ValueKind, margin: number | null, f: Formatter): string {
  if (margin === null) return f.messages.dash;
  return f.absoluteChange(kind, margin);
}

export function buildReportModel(input: BuildReportModelInput): ReportModel {
  const { doc, config, manifests, incomplete } = input;
  const f = createFormatter(config.locale, config.currency, config.timezone);
  const msg = f.messages;
  const kind = doc.period.kind;
  const current = doc.current.total;
  const prior = doc.prior.total;
  const weekAgo = kind === 'daily' ? (doc.week_ago?.total ?? null) : null;

  const headline = HEADLINE_KEYS.map((key) => figure(key, current, prior, weekAgo, f));
  const surveys = SURVEY_KEYS.map((key) => figure(key, current, prior, weekAgo, f));
  const cost = figure('cost_per_contact', current, prior, weekAgo, f);

  const slaLabel = (kpi: KpiKey, channel: Channel | null) =>
    channel === null ? msg.kpi[kpi] : `${msg.channel[channel]} ${msg.kpi[kpi]}`;
  const sla: SlaRow[] = doc.sla.map((row) => {
    const valueKind = KPI_META[row.kpi].kind;
    return {
      label: row.label ?? slaLabel(row.kpi, row.channel),
      channel: row.channel,
      actual: f.value(valueKind, row.actual),
      target: targetText(valueKind, row.op, row.target, f),
      met: row.met,
      resultText: row.met === null ? msg.sla.noData : row.met ? msg.sla.met : msg.sla.missed,
      margin: marginText(valueKind, row.margin, f),
      prior: f.value(valueKind, row.prior_actual),
      daysMet:
        row.days_met === null || row.days_judged === null ? null : `${f.count(row.days_met)}/${f.count(row.days_judged)}`,
    };
  });

  const channels: ChannelRow[] = CHANNELS.flatMap((ch) => {
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
        aht: f.duration(k.aht_seconds),
      },
    ];
  });

  const categories: CategoryRow[] = [...doc.categories]
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category))
    .slice(0, TOP_CATEGORIES)
    .map((c) => {
      const relative = c.prior_count === 0 ? null : (c.count - c.prior_count) / c.prior_count;
      return {
        name: c.category,
        count: f.count(c.count),
        share: f.percent(c.share),
        change: {
          delta: c.count - c.prior_count,
          relative,
          text: relative === null ? msg.dash : f.relativeChange(relative),
          direction: c.count === c.prior_count ? 'same' : 'neutral',
        },
        isSpike: c.is_spike,
      };
    });

  let peakHour: number | null = null;
  let peakOffered = 0;
  for (const h of doc.hourly) {
    if (h.offered > peakOffered) {
      peakOffered = h.offered;
      peakHour = h.hour;
    }
  }
  // The KPI query decides ties; follow it when it says.
  if (doc.peak_hour !== undefined && doc.peak_hour !== null) {
    peakHour = doc.peak_hour;
    peakOffered = doc.hourly.find((h) => h.hour === peakHour)?.offered ?? peakOffered;
  }

  const actions: ActionItem[] = [];
  if (incomplete) actions.push({ severity: 'high', text: msg.actions.dataIncomplete });
  doc.sla.forEach((row, i) => {
    if (row.met === false) {
      const shown = sla[i]!;
      actions.push({ severity: 'high', text: msg.actions.slaMissed(shown.label, shown.actual, shown.target) });
    }
  });
  for (const c of doc.categories.filter((x) => x.is_spike).sort((a, b) => b.count - a.count)) {
    const relative = c.prior_count === 0 ? null : (c.count - c.prior_count) / c.prior_count;
    actions.push({
      severity: 'medium',
      text: msg.actions.spike(c.category, f.count(c.count), `${msg.vsPrior[kind]} ${relative === null ? msg.dash : f.relativeChange(relative)}`),
    });
  }
  const missedTotals = new Set(doc.sla.filter((r) => r.met === false && r.channel === null).map((r) => r.kpi as string));
  for (const key of WATCHED_KEYS) {
    if (missedTotals.has(key)) continue;
    const change = compareValues(key, current[key], prior[key], f);
    if (change.direction !== 'worse' || change.delta === null) continue;
    const big =
      KPI_META[key].kind === 'rate'
        ? Math.abs(change.delta) >= WORSENING_POINTS
        : change.relative !== null && Math.abs(change.relative) >= WORSENING_RELATIVE;
    if (big) actions.push({ severity: 'medium', text: msg.actions.worsened(msg.kpi[key], change.text, msg.vsPrior[kind]) });
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
  const contractNotes = [
    msg.contract.effectiveFrom(f.date(terms.effective_from, true)),
    msg.contract.formula[terms.service_level_formula],
  ];
  if (thresholdList.length > 0) contractNotes.push(msg.contract.thresholds(thresholdList));
  contractNotes.push(msg.contract.windows(f.count(terms.repeat_window_hours), f.count(terms.fcr_window_hours)));
  if (current.fcr_provisional) contractNotes.push(msg.contract.provisionalFcr);
  for (const from of terms.later_versions_in_period ?? []) contractNotes.push(msg.contract.changedInPeriod(f.date(from, true)));
  if (terms.note !== null) contractNotes.push(terms.note);

  const periodLabel = f.periodLabel(kind, doc.period.start, doc.period.end);
  const subject = `${msg.subject(config.name, kind, periodLabel)}${incomplete ? ` ${msg.incompleteSubjectTag}` : ''}`;
  const trendLine = config.reports.trend_line;
  const surveyCount = current.csat_responses + current.nps_responses + current.ces_responses;

  return {
    locale: config.locale,
    clientId: config.id,
    clientName: config.name,
    kind,
    period: doc.period,
    periodLabel,
    subject,
    title: msg.title(kind),
    incomplete,
    vsPriorLabel: msg.vsPrior[kind],
    vsWeekAgoLabel: kind === 'daily' && weekAgo !== null ? msg.vsWeekAgo : null,
    headline,
    actions: actions.slice(0, MAX_ACTIONS),
    sla,
    showDaysMet: kind === 'monthly' && sla.some((r) => r.daysMet !== null),
    channels,
    trendLine,
    trendLineLabel: msg.kpi[trendLine],
    daily: doc.daily,
    hourly: doc.hourly,
    peakHour,
    peakHourText: peakHour === null ? null : msg.peakHour(msg.hourLabel(peakHour), f.count(peakOffered)),
    categories,
    surveys,
    surveyResponsesText: msg.surveys.responses(f.count(surveyCount)),
    cost,
    dataQuality: dataQualityFor(doc.period, config, manifests, doc.data_through, f),
    contractNotes,
    format: f,
  };
}
