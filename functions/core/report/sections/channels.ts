/**
 * One card per channel the client has: the counts its rates rest on (인입 · 응대 · 포기 (단순 포기)), and its own
 * figures — answer rate, service level, abandon rate, ASA, AHT and longest wait — each against the channel's
 * prior period (a daily report compares a channel with its previous open day). Rates the contract judges per
 * channel are never blended across channels; a channel closed the whole period says 휴무, one that was open and
 * delivered nothing says 데이터 없음, and a channel the client does not have is not shown at all.
 */
import { sourceChannels } from '../../config/source-channels.ts';
import type { KpiSet } from '../../kpis/kpi-result.ts';
import { datesOf } from '../../kpis/periods.ts';
import { CHANNELS, type Channel } from '../../tables.ts';
import type { KpiKey } from '../messages.ts';
import type { ChannelRow } from '../model.ts';
import type { ReportContext } from './context.ts';

export const CHANNEL_FIGURE_KEYS: KpiKey[] = ['answer_rate', 'service_level', 'abandon_rate', 'asa_seconds', 'aht_seconds', 'max_wait_seconds'];

const hasContacts = (set: KpiSet | null, ch: Channel): boolean => {
  const k = set?.by_channel[ch];
  return k !== undefined && k.inbound + k.offered + k.outbound > 0;
};

/**
 * The channels the client has: those its calendar gives hours, those its sources carry, and any with contacts in
 * the period or the one before (for sources whose channel the export decides row by row).
 */
export function clientChannels(ctx: ReportContext): Channel[] {
  const has = new Set<Channel>(ctx.opening.channels);
  for (const s of ctx.config.sources) for (const ch of sourceChannels(s) ?? []) has.add(ch);
  for (const ch of CHANNELS) if (hasContacts(ctx.doc.current, ch) || hasContacts(ctx.doc.prior, ch)) has.add(ch);
  return CHANNELS.filter((ch) => has.has(ch));
}

/** Closed on every day of the period. */
export function closedAllPeriod(ctx: ReportContext, channel: Channel | null): boolean {
  const channels = channel === null ? clientChannels(ctx) : [channel];
  return datesOf(ctx.doc.period).every((dt) => channels.every((ch) => !ctx.opening.isOpen(ch, dt)));
}

export function channelRows(ctx: ReportContext): ChannelRow[] {
  const { doc, f, msg } = ctx;
  if (ctx.noData) return [];
  const judged = new Set(doc.sla.filter((r) => r.channel !== null).map((r) => `${r.kpi}:${r.channel}`));
  return clientChannels(ctx).map((ch) => {
    const k = doc.current.by_channel[ch];
    const open = k !== undefined && k.inbound + k.offered > 0;
    const state = open ? 'open' : closedAllPeriod(ctx, ch) ? 'closed' : 'no-data';
    const ivr = ctx.figure('ivr_abandon_rate', ch);
    const keys = [...CHANNEL_FIGURE_KEYS.filter((key) => !judged.has(`${key}:${ch}`)), ...((ivr.value ?? 0) > 0 || (ivr.prior ?? 0) > 0 ? (['ivr_abandon_rate'] as const) : [])];
    return {
      channel: ch,
      label: msg.channel[ch],
      state,
      stateText: state === 'closed' ? msg.channels.closed : state === 'no-data' ? msg.channels.noData : null,
      // offered = answered + abandoned + callbacks, and all inbound = offered + self-service + IVR abandons: every
      // part that is not 0 is named, so the counts add up to the figures of all channels
      countsText: open
        ? [msg.channels.counts(f.count(k.offered), f.count(k.answered), f.count(k.abandoned), f.count(k.short_abandoned)), ...(k.callbacks > 0 ? [msg.channels.callbacks(f.count(k.callbacks))] : [])].join(' · ')
        : null,
      selfServiceText: open && k.self_service + k.ivr_abandoned > 0
        ? [k.self_service > 0 ? msg.channels.selfService(f.count(k.self_service)) : null, k.ivr_abandoned > 0 ? msg.channels.ivrAbandoned(f.count(k.ivr_abandoned)) : null].filter((x) => x !== null).join(' · ')
        : null,
      figures: open ? keys.map((key) => ctx.figure(key, ch)) : [],
      offered: f.count(k?.offered ?? null),
      answerRate: f.percent(k?.answer_rate ?? null),
      serviceLevel: f.percent(k?.service_level ?? null),
      abandonRate: f.percent(k?.abandon_rate ?? null),
      asa: f.duration(k?.asa_seconds ?? null),
      aht: f.duration(k?.aht_seconds ?? null),
      longestWait: f.duration(k?.max_wait_seconds ?? null),
      values: {
        inbound: k?.inbound ?? 0,
        offered: k?.offered ?? 0,
        answered: k?.answered ?? 0,
        abandoned: k?.abandoned ?? 0,
        short_abandoned: k?.short_abandoned ?? 0,
        self_service: k?.self_service ?? 0,
        answer_rate: k?.answer_rate ?? null,
        service_level: k?.service_level ?? null,
        abandon_rate: k?.abandon_rate ?? null,
        asa_seconds: k?.asa_seconds ?? null,
        aht_seconds: k?.aht_seconds ?? null,
        max_wait_seconds: k?.max_wait_seconds ?? null,
      },
    };
  });
}
