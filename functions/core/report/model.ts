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
import type { OpeningDays } from '../calendar/opening-days.ts';
import type { StaffingPlan } from '../staffing/staffing-plan.ts';
import type { ClientConfig } from '../config/client-config.ts';
import type { DailyPoint, HourlyResult, KpiDocument, Kpis, KpiSet, Period, PeriodKind } from '../kpis/kpi-result.ts';
import type { AlertRecord } from '../live/alert-log.ts';
import type { Channel } from '../tables.ts';
import type { Change } from './compare.ts';
import type { PeriodCompleteness } from './completeness.ts';
import type { Formatter, ValueKind } from './format.ts';
import type { KpiKey, Locale } from './messages.ts';
import { actionItems, MAX_ACTIONS } from './sections/actions.ts';
import { categoryRows } from './sections/categories.ts';
import { targetCauses } from './sections/causes.ts';
import { channelRows, clientChannels } from './sections/channels.ts';
import { reportContext } from './sections/context.ts';
import { contractCards } from './sections/contract.ts';
import { contractNotes } from './sections/contract-terms.ts';
import { correctionSection, shownFigures } from './sections/correction.ts';
import { costSection } from './sections/cost.ts';
import { dataQualityLines, missingSummary } from './sections/data-quality.ts';
import { comparisonNote, keyFigures, surveyFigures } from './sections/figures.ts';
import { hoursSection } from './sections/hours.ts';
import { intradayAlertsSection, type ReportAlerts } from './sections/intraday-alerts.ts';
import { verdictLine, type VerdictLine } from './sections/verdict.ts';
import { surveyResponsesText, voiceSection } from './sections/voice.ts';
import { cut, MAX_LABEL_CHARS } from './text-limits.ts';

export { compareValues, materiallyChanged, type Change, type Direction } from './compare.ts';
export { KPI_META, sampleSize, type Better } from './kpi-meta.ts';
export { channelLabel } from './sections/context.ts';
export { missingSummary } from './sections/data-quality.ts';
export { maskContactDetails } from './sections/voice.ts';
export { cut, MAX_COMMENT_CHARS, MAX_DISPLAY_LABEL_CHARS, MAX_LABEL_CHARS } from './text-limits.ts';

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
  /** a note under the label: which day an FCR is of, or why it is not compared */
  caption: string | null;
  /** the n the figure rests on, shown when it is below the client's min_sample */
  smallSample: string | null;
  /** the figure rests on data that has not fully arrived */
  provisional: boolean;
}

/** `closed`: the target's channel was closed the whole period (휴무): nothing to judge, nothing missing */
export type Verdict = 'met' | 'missed' | 'provisional' | 'no-data' | 'closed';

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
  /** the margin to target, "목표 대비 −1.1%p", shown apart from changes against the prior period */
  margin: string;
  prior: string;
  /** weekly and monthly: "달성 14/21 영업일" */
  daysMet: string | null;
  smallSample: string | null;
}

export interface ChannelRow {
  channel: Channel;
  label: string;
  /** `closed`: closed the whole period (휴무); `no-data`: open, and nothing arrived */
  state: 'open' | 'closed' | 'no-data';
  /** "휴무", "데이터 없음"; null when open */
  stateText: string | null;
  /** "인입 472 · 응대 430 · 포기 42 (단순 포기 8)": the counts the channel's rates rest on */
  countsText: string | null;
  /** "IVR·챗봇 해결 161": contacts that were inbound but never offered */
  selfServiceText: string | null;
  /** the channel's own figures against the prior period (a channel's day is compared with its previous open day) */
  figures: KpiFigure[];
  offered: string;
  answerRate: string;
  serviceLevel: string;
  abandonRate: string;
  asa: string;
  aht: string;
  longestWait: string;
  /** the raw values, for the XLSX attachment */
  values: Pick<
    Kpis,
    'inbound' | 'offered' | 'answered' | 'abandoned' | 'short_abandoned' | 'self_service' | 'answer_rate' | 'service_level' | 'abandon_rate' | 'asa_seconds' | 'aht_seconds' | 'max_wait_seconds'
  >;
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
  /** the answer scored low */
  low: boolean;
  /** for the XLSX */
  values: { responded_at: string; channel: string | null; category: string | null; csat: number | null; nps: number | null; ces: number | null };
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
  /** the first line: targets met, contacts handled, fee and cost per contact; null without data */
  verdict: VerdictLine | null;
  /** the account manager's note, under the verdict (담당자 코멘트) */
  note: string | null;
  /** the intraday alerts of the period (실시간 알림); null when none fired */
  intradayAlerts: ReportAlerts | null;
  /** a signed link to the client's live page (functions/core/live/signed-link.ts), in the footer; null without one */
  liveLink: string | null;
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
  /** the comments shown: the lowest-scored first, then the newest (5 a day, 10 a week or month) */
  comments: CommentRow[];
  /** "낮은 점수 응답 28건 … · 주요 유형: 배송 12건"; null without low answers */
  lowAnswersText: string | null;
  /** every comment of the period, for the XLSX */
  allComments: CommentRow[];
  cost: KpiFigure | null;
  costNote: string | null;
  /** "기간 해당 계약 금액 ₩5,000,000 ÷ 응대 10,664건": the base of cost per contact */
  costBase: string | null;
  dataQuality: string[];
  contractNotes: string[];
  /** the daily breakdown for the charts */
  daily: DailyPoint[];
  /** every KPI of each day, per channel, for the attachments (daily: the trend window; else the period) */
  days: { dt: string; kpis: KpiSet }[];
  /** the channels the attachments break the days and hours down by: the client's channels with contacts */
  tableChannels: Channel[];
  /** weekly and monthly: next period's staffing plan per channel, for the XLSX; null otherwise */
  staffing: { channel: Channel; label: string; plan: StaffingPlan }[] | null;
  /** everything shown that a restatement compares */
  figures: ShownFigure[];
  format: Formatter;
}

export interface BuildReportModelInput {
  doc: KpiDocument;
  config: ClientConfig;
  /** the account manager's note on the period (notes.ts); null without one */
  note?: string | null;
  /** a signed link to the client's live page for this copy's readers; null without one */
  liveLink?: string | null;
  /** the intraday alert records of the period's days (live/alert-log.ts); none without */
  alerts?: readonly AlertRecord[];
  /** the language of this copy (per recipient); default the client's */
  locale?: Locale;
  /** the current period's data, from the coverage index */
  completeness: PeriodCompleteness;
  /** the prior period's (and, daily, the week-ago day's); null when unknown */
  priorCompleteness?: PeriodCompleteness | null;
  weekAgoCompleteness?: PeriodCompleteness | null;
  /** set when this report restates one already sent */
  previous?: PreviousReport | null;
  /** the client's opening days (default: from its config) */
  openingDays?: OpeningDays;
}

/** Builds the model section by section; each builder is a pure function of the shared context. */
export function buildReportModel(input: BuildReportModelInput): ReportModel {
  const ctx = reportContext(input);
  const { doc, config, f, msg, kind, noData, incomplete, completeness } = ctx;
  const contract = contractCards(ctx);
  const figures = keyFigures(ctx);
  const surveys = surveyFigures(ctx);
  const { cost, costNote, costBase } = costSection(ctx);
  const missingText = missingSummary(completeness, f, ctx.labels);
  const shown = shownFigures(ctx, contract, figures, surveys, cost);
  const correction = correctionSection(ctx, shown, input.previous);
  const hours = hoursSection(ctx);

  const periodLabel = f.periodLabel(kind, doc.period.start, doc.period.end);
  const tag = noData ? ` ${msg.tags.noData}` : incomplete ? ` ${msg.tags.incomplete(missingText ?? msg.dash)}` : '';
  const verdict = verdictLine(ctx, contract, cost);
  const client = cut(config.name, MAX_LABEL_CHARS);
  const heading = verdict === null ? msg.subject(client, kind, periodLabel) : msg.subjectWithVerdict(client, verdict.text, kind, periodLabel);
  const subject = `${correction === null ? '' : `${msg.tags.corrected} `}${heading}${tag}`;
  const allMet = contract.length > 0 && contract.every((c) => c.verdict === 'met');
  const weekAgo = kind === 'daily' ? (doc.week_ago?.total ?? null) : null;

  return {
    locale: ctx.locale,
    clientId: config.id,
    clientName: cut(config.name, MAX_LABEL_CHARS),
    kind,
    period: doc.period,
    periodLabel,
    subject,
    verdict,
    note: input.note ?? null,
    intradayAlerts: intradayAlertsSection(ctx, input.alerts ?? []),
    liveLink: input.liveLink ?? null,
    title: msg.title(kind),
    status: noData ? 'no-data' : incomplete ? 'incomplete' : 'complete',
    incomplete,
    missingText,
    banner: noData ? msg.banners.noData(missingText ?? msg.dash) : incomplete ? msg.banners.incomplete(missingText ?? msg.dash) : null,
    correction,
    vsPriorLabel: msg.vsPrior[kind],
    vsWeekAgoLabel: kind === 'daily' && weekAgo !== null ? msg.vsWeekAgo : null,
    contract,
    keyFigures: figures,
    comparisonNote: comparisonNote(ctx),
    actions: actionItems(ctx, contract, missingText, targetCauses(ctx, contract)).slice(0, MAX_ACTIONS),
    // "every SLA target was met" is said only when every target was judged and met on complete data
    noActionsText: allMet ? msg.actions.allMet : msg.actions.none,
    showDaysMet: kind !== 'daily' && contract.some((c) => c.daysMet !== null),
    channels: channelRows(ctx),
    ...hours,
    categories: categoryRows(ctx),
    categoryBase: msg.categoryBase(f.count(doc.current.total.inbound)),
    surveys,
    surveyResponsesText: surveyResponsesText(ctx),
    ...voiceSection(ctx),
    cost,
    costNote,
    costBase,
    dataQuality: dataQualityLines(ctx),
    contractNotes: contractNotes(ctx),
    daily: doc.daily,
    days: doc.days,
    staffing: doc.staffing === null || ctx.noData ? null : doc.staffing.filter((p) => p.plan.rows.length > 0).map((p) => ({ ...p, label: msg.channel[p.channel] })),
    tableChannels: clientChannels(ctx).filter((ch) => doc.days.some((d) => (d.kpis.by_channel[ch]?.inbound ?? 0) > 0) || (doc.current.by_channel[ch]?.inbound ?? 0) > 0),
    figures: shown,
    format: f,
  };
}
