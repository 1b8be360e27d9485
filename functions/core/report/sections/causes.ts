/**
 * The causes of each missed target, as the first items under it in 확인이 필요한 사항: the hours that made the miss
 * with their numbers and their share of the shortfall, then what drove it in those hours — more contacts than
 * usual (and the category that grew most there), longer contacts, or fewer agents than the target needed by
 * Erlang C — with the agents needed beside the agents seen. The analysis is staffing/miss-causes.ts; this module
 * only picks the targets, the staffing goal of their channel and the words.
 */
import type { HourCategory } from '../../kpis/hourly-drivers.ts';
import { staffingTarget } from '../../kpis/hourly-drivers.ts';
import { versionForPeriod } from '../../kpis/compute-kpi-document.ts';
import { missCause, type MissCause, type MissedKpi, type StaffingGoal } from '../../staffing/miss-causes.ts';
import type { Channel } from '../../tables.ts';
import type { ContractCard } from '../model.ts';
import { cut, MAX_DISPLAY_LABEL_CHARS } from '../text-limits.ts';
import type { ReportContext } from './context.ts';

const EXPLAINED: ReadonlySet<string> = new Set<MissedKpi>(['service_level', 'abandon_rate', 'answer_rate', 'asa_seconds']);
/** a category must grow by at least this much per day in the miss hours to be named */
const CATEGORY_MIN_RATIO = 1.2;

export interface TargetCause {
  /** the contract card's key */
  key: string;
  cause: MissCause;
  text: string;
}

/** The category whose contacts per day in these hours grew most against the usual, when one grew notably. */
function grownCategory(categories: readonly HourCategory[], channel: Channel, hours: ReadonlySet<number>, days: number, usualDays: number) {
  if (days === 0 || usualDays === 0) return null;
  const totals = new Map<string, { current: number; usual: number }>();
  for (const c of categories) {
    if (c.channel !== channel || !hours.has(c.hour)) continue;
    const t = totals.get(c.category) ?? { current: 0, usual: 0 };
    t.current += c.current;
    t.usual += c.usual;
    totals.set(c.category, t);
  }
  let best: { name: string; perDay: number; usualPerDay: number } | null = null;
  for (const [name, t] of totals) {
    const perDay = t.current / days;
    const usualPerDay = t.usual / usualDays;
    if (perDay < usualPerDay * CATEGORY_MIN_RATIO || perDay - usualPerDay <= 0) continue;
    if (best === null || perDay - usualPerDay > best.perDay - best.usualPerDay) best = { name, perDay, usualPerDay };
  }
  return best;
}

function goalOf(ctx: ReportContext, card: ContractCard, channel: Channel): StaffingGoal {
  const version = versionForPeriod(ctx.config, ctx.doc.period);
  const row = ctx.doc.sla.find((r) => r.kpi === card.kpi && r.channel === card.channel);
  if (card.kpi === 'asa_seconds' && row !== undefined) return { kind: 'asa', seconds: row.target };
  const target = staffingTarget(version, channel);
  return target.kind === 'service_level' ? target : { kind: 'asa', seconds: target.seconds };
}

export function targetCauses(ctx: ReportContext, contract: readonly ContractCard[]): TargetCause[] {
  const { doc, f, msg } = ctx;
  const out: TargetCause[] = [];
  for (const card of contract) {
    if (card.verdict !== 'missed' || card.channel === null || !EXPLAINED.has(card.kpi)) continue;
    const hours = doc.drivers.find((d) => d.channel === card.channel);
    const row = doc.sla.find((r) => r.kpi === card.kpi && r.channel === card.channel);
    if (hours === undefined || row === undefined) continue;
    const cause = missCause(hours.current, hours.usual, { kpi: card.kpi as MissedKpi, target: row.target }, goalOf(ctx, card, card.channel));
    if (cause === null) continue;
    const c = msg.causes;
    const valueKind = card.kpi === 'asa_seconds' ? 'seconds' : 'rate';
    const hourList = cause.hours.map((h) => msg.hourLabel(h.hour)).join('·');
    const values = cause.hours.map((h) => f.value(valueKind, h.value)).join('·');
    const abandoned = cause.hours.reduce((n, h) => n + h.abandoned, 0);
    const parts = [c.hours(hourList, msg.kpi[card.kpi], values, f.count(abandoned), f.percent(cause.share))];
    const percentMore = (r: number | null) => f.percent(r === null ? null : r - 1);
    // whole numbers as they are, others with one decimal: "8명", "7.5명"
    const amount = (n: number | null) => f.decimal(n, n !== null && Number.isInteger(Math.round(n * 10) / 10) ? 0 : 1);
    if (cause.driver === 'volume') {
      const grown = grownCategory(doc.hour_categories, card.channel, new Set(cause.hours.map((h) => h.hour)), hours.current_days, hours.usual_days);
      parts.push(c.volume(percentMore(cause.ratios.volume), amount(cause.usualOfferedPerDay), amount(cause.offeredPerDay)));
      if (grown !== null) parts.push(c.category(cut(grown.name, MAX_DISPLAY_LABEL_CHARS), f.relativeChange(grown.perDay / grown.usualPerDay - 1)));
    } else if (cause.driver === 'handle-time') {
      parts.push(c.handleTime(percentMore(cause.ratios.handleTime), f.duration(cause.usualAhtSeconds), f.duration(cause.ahtSeconds)));
    } else if (cause.driver === 'staffing') {
      parts.push(cause.ratios.staffing !== null && cause.ratios.staffing > 1.1 ? c.fewerAgents(amount(cause.usualAgents), amount(cause.agents)) : c.understaffed);
    }
    if (cause.agentsNeeded !== null && cause.agents !== null) {
      parts.push(c.erlang(amount(cause.agentsNeeded), amount(cause.agents), f.percent(cause.occupancy)));
    }
    out.push({ key: card.key, cause, text: parts.join(' ') });
  }
  return out;
}
