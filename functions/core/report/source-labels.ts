/**
 * How the report names a source to the client: its `label`, else the name of its one channel ("전화"), else
 * "설문" for survey sources — never its config id, which is an engineer's word ("cti 3/24"). Two sources that
 * would get the same name keep their id beside it.
 */
import type { ClientConfig, SourceConfig } from '../config/client-config.ts';
import { sourceChannels } from '../config/source-channels.ts';
import type { Messages } from './messages.ts';

function defaultLabel(source: SourceConfig, msg: Messages): string {
  if (source.label !== undefined) return source.label;
  if (source.table === 'surveys') return msg.sources.surveys;
  const channels = sourceChannels(source);
  return channels !== null && channels.length === 1 ? msg.channel[channels[0]!] : source.id;
}

export function sourceLabels(config: ClientConfig, msg: Messages): Map<string, string> {
  const labels = new Map(config.sources.map((s) => [s.id, defaultLabel(s, msg)] as const));
  const counts = new Map<string, number>();
  for (const label of labels.values()) counts.set(label, (counts.get(label) ?? 0) + 1);
  for (const s of config.sources) {
    const label = labels.get(s.id)!;
    if (counts.get(label)! > 1 && s.label === undefined && label !== s.id) labels.set(s.id, `${label} (${s.id})`);
  }
  return labels;
}
