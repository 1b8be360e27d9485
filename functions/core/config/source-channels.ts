/**
 * What a source says about itself, read from its config: the channels its contacts can be on, the optional
 * fields its mapping records, and the name reports give it.
 */
import type { Channel } from '../tables.ts';
import { CHANNELS } from '../tables.ts';
import type { SourceConfig } from './client-config.ts';

const isChannel = (v: unknown): v is Channel => typeof v === 'string' && (CHANNELS as readonly string[]).includes(v);

/**
 * The channels a source's contacts can be on: its constant channel, or the channels its channel mapping can give;
 * null when the export decides row by row in a way the config does not bound (a cspulse CSV with a channel column,
 * Amazon Connect), and for survey sources.
 */
export function sourceChannels(source: SourceConfig): readonly Channel[] | null {
  if (source.table === 'surveys') return null;
  if ('channel' in source && source.channel !== undefined) return [source.channel];
  if (!('fields' in source)) return null;
  const mapping = (source.fields as { channel?: { constant?: unknown; map?: Record<string, unknown>; default?: unknown; fallback?: unknown } }).channel;
  if (mapping === undefined || mapping.fallback !== undefined) return null;
  if (mapping.constant !== undefined) return isChannel(mapping.constant) ? [mapping.constant] : null;
  if (mapping.map === undefined) return null;
  const values = [...Object.values(mapping.map), ...(mapping.default === undefined ? [] : [mapping.default])];
  if (!values.every(isChannel)) return null;
  return CHANNELS.filter((ch) => values.includes(ch));
}

/** Fields some exports never carry: a KPI built on one is unknown, not 0, when no source records it. */
export const OPTIONAL_FIELDS = ['is_transferred'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

/**
 * Whether a source's contacts carry a field: a mapped source when its mapping reads the field; Amazon Connect
 * always records transfers; our own CSV format documents the column, so its files are taken to carry it.
 */
export function sourceRecords(source: SourceConfig, field: OptionalField): boolean {
  if (source.table !== 'contacts') return false;
  switch (source.format) {
    case 'amazon-connect-ctr':
    case 'cspulse-csv':
      return true;
    default:
      return 'fields' in source && (source.fields as Record<string, unknown>)[field] !== undefined;
  }
}
