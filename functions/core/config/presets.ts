/**
 * Presets: source mappings for exports whose layout is the vendor's, not the client's (Asterisk's cdr_csv,
 * FreeSWITCH's mod_cdr_csv, Zendesk's ticket export). They are mapping files in `presets/`, plain data the
 * client schema validates like any source; a client says `preset: asterisk-cdr` instead of writing the
 * mapping, and may still set or override any key (`timezone`, a field, a leg rule).
 *
 * Merging: the client's keys win; `fields` and `legs.fields` are merged field by field (a field the client
 * maps replaces the preset's mapping of it whole), `outcome_rules` given by the client replace the preset's.
 */
import asteriskCdr from '../../../presets/asterisk-cdr.json' with { type: 'json' };
import asteriskCdrCustom from '../../../presets/asterisk-cdr-custom.json' with { type: 'json' };
import channeltalkUserchat from '../../../presets/channeltalk-userchat.json' with { type: 'json' };
import freeswitchCdr from '../../../presets/freeswitch-cdr.json' with { type: 'json' };
import genesysCloudConversations from '../../../presets/genesys-cloud-conversations.json' with { type: 'json' };
import zendeskExploreSatisfaction from '../../../presets/zendesk-explore-satisfaction.json' with { type: 'json' };
import zendeskExploreTickets from '../../../presets/zendesk-explore-tickets.json' with { type: 'json' };
import zendeskSupportTickets from '../../../presets/zendesk-support-tickets.json' with { type: 'json' };

export const PRESETS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'asterisk-cdr': asteriskCdr,
  'asterisk-cdr-custom': asteriskCdrCustom,
  'channeltalk-userchat': channeltalkUserchat,
  'freeswitch-cdr': freeswitchCdr,
  'genesys-cloud-conversations': genesysCloudConversations,
  'zendesk-explore-satisfaction': zendeskExploreSatisfaction,
  'zendesk-explore-tickets': zendeskExploreTickets,
  'zendesk-support-tickets': zendeskSupportTickets,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A source with `preset` expanded; other values unchanged. An unknown preset is left for the schema to report
 * (it is kept, and `preset` is no key of any source format).
 */
export function expandPreset(source: unknown): unknown {
  if (!isObject(source) || typeof source.preset !== 'string' || !(source.preset in PRESETS)) return source;
  const { preset: name, ...own } = source;
  const preset = structuredClone(PRESETS[name]!) as Record<string, unknown>;
  delete preset.description;
  const merged: Record<string, unknown> = { ...preset, ...own };
  if (isObject(preset.fields) && isObject(own.fields)) merged.fields = { ...preset.fields, ...own.fields };
  if (isObject(preset.legs) && isObject(own.legs)) {
    const legs = { ...preset.legs, ...own.legs };
    if (isObject(preset.legs.fields) && isObject(own.legs.fields)) legs.fields = { ...preset.legs.fields, ...own.legs.fields };
    merged.legs = legs;
  }
  if (own.description === undefined && typeof PRESETS[name]!.description === 'string') merged.description = `${name}: ${String(PRESETS[name]!.description)}`;
  return merged;
}
