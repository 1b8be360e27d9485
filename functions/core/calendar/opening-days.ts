/**
 * Which days a client's channels are open, as the report, the KPI document and the completeness rules ask it:
 * the part of the operating calendar (operating-calendar.ts) they need. A closed
 * channel-day is 휴무: it needs no export, makes no period incomplete and is never compared with.
 */
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { sourceChannels } from '../config/source-channels.ts';
import { CHANNELS, type Channel } from '../tables.ts';
import { resolveCalendar } from './operating-calendar.ts';

export interface OpeningDays {
  /** the channels the client's calendar declares; empty when it declares none (then every channel is open) */
  readonly channels: readonly Channel[];
  isOpen(channel: Channel, dt: string): boolean;
}

export const ALWAYS_OPEN: OpeningDays = { channels: [], isOpen: () => true };

/** The client's opening days, from its operating calendar (every day, when its config has none). */
export function openingDaysOf(config: ClientConfig): OpeningDays {
  return config.calendar === undefined ? ALWAYS_OPEN : resolveCalendar(config);
}

/** The channels a source's rows can be on, for the calendar: its own, else every channel the client has. */
function channelsOf(source: SourceConfig, days: OpeningDays): readonly Channel[] {
  return sourceChannels(source) ?? (days.channels.length > 0 ? days.channels : CHANNELS);
}

/** A contact source is closed on a day when every channel it can carry is closed. Survey sources never are. */
export function sourceClosedOn(source: SourceConfig, dt: string, days: OpeningDays): boolean {
  if (source.table !== 'contacts') return false;
  return channelsOf(source, days).every((ch) => !days.isOpen(ch, dt));
}
