/**
 * How many days a period's counts rest on, for comparing periods per day: the days a figure's channel was open
 * (any channel, for a figure of all channels) whose contact data every source of that channel delivered. A survey
 * source's quiet days, or another channel's missing export, do not shorten a channel's days; a closed day is
 * not a day of data, so weekly and monthly counts are compared per open day.
 */
import type { OpeningDays } from '../calendar/opening-days.ts';
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { sourceChannels } from '../config/source-channels.ts';
import { datesOf } from '../kpis/periods.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import type { PeriodCompleteness } from './completeness.ts';

/** The contact sources whose rows a figure of this channel (or of all channels) counts. */
export function sourcesOfScope(config: ClientConfig, scope: Channel | null): SourceConfig[] {
  return config.sources.filter((s) => {
    if (s.table !== 'contacts') return false;
    if (scope === null) return true;
    const channels = sourceChannels(s);
    return channels === null || channels.includes(scope);
  });
}

export function openForScope(opening: OpeningDays, scope: Channel | null, dt: string): boolean {
  if (scope !== null) return opening.isOpen(scope, dt);
  const channels = opening.channels.length > 0 ? opening.channels : CHANNELS;
  return channels.some((ch) => opening.isOpen(ch, dt));
}

/**
 * @param completeness the period's source-days, or null when unknown (then every open day counts)
 */
export function daysOfData(
  range: { start: string; end: string },
  completeness: PeriodCompleteness | null | undefined,
  config: ClientConfig,
  opening: OpeningDays,
  scope: Channel | null,
): number {
  const sources = new Set(sourcesOfScope(config, scope).map((s) => s.id));
  const lacking = new Set((completeness?.missing ?? []).filter((m) => sources.has(m.source)).map((m) => m.dt));
  return datesOf(range).filter((dt) => openForScope(opening, scope, dt) && !lacking.has(dt)).length;
}
