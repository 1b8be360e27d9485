/**
 * Which days a client's channels are open, as the report and the completeness rules ask it. A closed
 * channel-day is 휴무: it needs no export, makes no period incomplete and is never compared with.
 */
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { sourceChannels } from '../config/source-channels.ts';
import { CHANNELS, type Channel } from '../tables.ts';

export interface OpeningDays {
  /** the channels the client's calendar declares; empty when it declares none (then every channel is open) */
  readonly channels: readonly Channel[];
  isOpen(channel: Channel, dt: string): boolean;
}

export const ALWAYS_OPEN: OpeningDays = { channels: [], isOpen: () => true };

/** The client's opening days: every day until the config has an operating calendar. */
export function openingDaysOf(_config: ClientConfig): OpeningDays {
  return ALWAYS_OPEN;
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
