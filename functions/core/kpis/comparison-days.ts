/**
 * Which day a daily report compares with. "전일" is the previous day the channel was open: a Monday's phone
 * figures are compared with Friday's, not with a Sunday when only chat was open, and the day after a holiday
 * with the last working day before it. The week-ago comparison is the same weekday a week before, skipped when
 * the channel was closed that day. Figures of all channels together are compared with the last day on which the
 * same channels were open (else the last day any was).
 */
import type { OpeningDays } from '../calendar/opening-days.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import { addDays } from './periods.ts';

export interface ComparisonDays {
  /** all channels together */
  total: string | null;
  by_channel: Partial<Record<Channel, string | null>>;
}

const openSet = (days: OpeningDays, channels: readonly Channel[], dt: string): string =>
  channels.filter((ch) => days.isOpen(ch, dt)).join(',');

/**
 * @param lookBack how many days before `date` may be chosen (the days whose KPIs the document has)
 */
export function previousOpenDays(date: string, days: OpeningDays, lookBack: number): ComparisonDays {
  const channels = days.channels.length > 0 ? days.channels : CHANNELS;
  const candidates = Array.from({ length: lookBack }, (_, i) => addDays(date, -(i + 1)));
  const byChannel: Partial<Record<Channel, string | null>> = {};
  for (const ch of CHANNELS) byChannel[ch] = candidates.find((d) => days.isOpen(ch, d)) ?? null;
  const today = openSet(days, channels, date);
  const total = candidates.find((d) => openSet(days, channels, d) === today) ?? candidates.find((d) => openSet(days, channels, d) !== '') ?? null;
  return { total, by_channel: byChannel };
}

export function weekAgoOpenDays(date: string, days: OpeningDays): ComparisonDays {
  const channels = days.channels.length > 0 ? days.channels : CHANNELS;
  const weekAgo = addDays(date, -7);
  const byChannel: Partial<Record<Channel, string | null>> = {};
  for (const ch of CHANNELS) byChannel[ch] = days.isOpen(ch, weekAgo) ? weekAgo : null;
  return { total: openSet(days, channels, weekAgo) === openSet(days, channels, date) ? weekAgo : null, by_channel: byChannel };
}
