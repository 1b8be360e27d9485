/** One row per channel with contacts: volume, answer rate, service level, abandon rate, ASA and longest wait. */
import { CHANNELS } from '../../tables.ts';
import type { ChannelRow } from '../model.ts';
import type { ReportContext } from './context.ts';

export function channelRows(ctx: ReportContext): ChannelRow[] {
  const { doc, f, msg } = ctx;
  if (ctx.noData) return [];
  return CHANNELS.flatMap((ch) => {
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
}
