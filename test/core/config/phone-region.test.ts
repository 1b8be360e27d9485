import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/config/errors.ts';
import { parseClientConfig } from '../../../functions/core/config/parse-config.ts';
import { countryOfZone, phoneRegionOf, zoneCountryTable } from '../../../functions/core/config/phone-region.ts';

const config = (top: string, source = '{ id: cti, format: cspulse-csv, channel: phone }'): string => `
id: acme
name: ACME
${top}
sources:
  - ${source}
contract:
  - effective_from: "2026-01-01"
recipients: { to: [lead@acme.example] }
`;

function issuesOf(text: string): { path: string; message: string }[] {
  try {
    parseClientConfig(text, 'clients/acme.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('the zone → country table', () => {
  it('names the one country of the zones clients use', () => {
    expect(countryOfZone('Asia/Seoul')).toBe('KR');
    expect(countryOfZone('America/Los_Angeles')).toBe('US');
    expect(countryOfZone('America/New_York')).toBe('US');
    expect(countryOfZone('Asia/Tokyo')).toBe('JP');
    expect(countryOfZone('Europe/London')).toBe('GB');
    expect(countryOfZone('Asia/Jerusalem')).toBe('IL');
  });

  it('names no country for zones of no single country', () => {
    for (const zone of ['UTC', 'Etc/UTC', 'Etc/GMT-9', 'US/Pacific', 'Asia/Calcutta', 'Antarctica/Troll']) {
      expect(countryOfZone(zone)).toBeUndefined();
    }
  });

  // Debian's tzdata package installs zone.tab; the table must agree with it row for row.
  it.runIf(existsSync('/usr/share/zoneinfo/zone.tab'))('is the machine\'s zone.tab, less the countries without a numbering plan', () => {
    const rows = readFileSync('/usr/share/zoneinfo/zone.tab', 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split('\t'));
    const noPlan = new Set(['AQ', 'GS', 'PN', 'TF', 'UM']);
    const expected = new Map(rows.filter(([country]) => !noPlan.has(country!)).map(([country, , zone]) => [zone!, country!]));
    expect(new Map(zoneCountryTable())).toEqual(expected);
    expect(expected.size).toBeGreaterThan(390);
  });
});

describe('phone_region in a client config', () => {
  it('defaults from the zone and can be set', () => {
    const seoul = parseClientConfig(config('timezone: Asia/Seoul'), 'clients/acme.yaml');
    expect(seoul.phone_region).toBeUndefined();
    expect(phoneRegionOf(seoul)).toBe('KR');
    const set = parseClientConfig(config('timezone: Asia/Seoul\nphone_region: JP'), 'clients/acme.yaml');
    expect(phoneRegionOf(set)).toBe('JP');
  });

  it('tells the author to set it when the zone is not one country\'s', () => {
    const issues = issuesOf(config('timezone: UTC'));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe('phone_region');
    expect(issues[0]!.message).toMatch(/^timezone UTC is not the zone of one country.*set phone_region/);
    expect(phoneRegionOf(parseClientConfig(config('timezone: UTC\nphone_region: GB'), 'clients/acme.yaml'))).toBe('GB');
  });

  it('says nothing about it when the zone itself is wrong', () => {
    expect(issuesOf(config('timezone: Asia/Busan')).map((i) => i.path)).toEqual(['timezone']);
  });

  it('accepts only country codes with a numbering plan, in capitals', () => {
    for (const bad of ['kr', 'KOR', 'XX', 'AQ']) {
      const issues = issuesOf(config(`timezone: Asia/Seoul\nphone_region: ${bad}`));
      expect(issues.map((i) => i.path)).toEqual(['phone_region']);
      expect(issues[0]!.message).toMatch(/ISO 3166-1 alpha-2/);
    }
  });
});

describe('user_id_namespace on a source', () => {
  it('is a lowercase name', () => {
    const ok = parseClientConfig(config('timezone: Asia/Seoul', '{ id: chat, format: cspulse-csv, channel: chat, user_id_namespace: chat }'), 'clients/acme.yaml');
    expect(ok.sources[0]!.user_id_namespace).toBe('chat');
    const issues = issuesOf(config('timezone: Asia/Seoul', '{ id: chat, format: cspulse-csv, channel: chat, user_id_namespace: "Chat:1" }'));
    expect(issues.map((i) => i.path)).toEqual(['sources.0.user_id_namespace']);
  });

  it('is refused on a survey source, which has no customer', () => {
    const issues = issuesOf(config('timezone: Asia/Seoul', '{ id: nps, format: cspulse-csv, table: surveys, user_id_namespace: nps }'));
    expect(issues).toEqual([{ path: 'sources.0.user_id_namespace', message: 'survey sources carry no customer to namespace' }]);
  });
});

describe('customer_kind on a source', () => {
  it('is auto or user_id, and the Zendesk preset says user_id', () => {
    const ok = parseClientConfig(config('timezone: Asia/Seoul', '{ id: chat, format: cspulse-csv, channel: chat, customer_kind: user_id }'), 'clients/acme.yaml');
    expect(ok.sources[0]!.customer_kind).toBe('user_id');
    expect(issuesOf(config('timezone: Asia/Seoul', '{ id: chat, format: cspulse-csv, channel: chat, customer_kind: phone }')).map((i) => i.path)).toEqual([
      'sources.0.customer_kind',
    ]);
    const zendesk = parseClientConfig(config('timezone: Asia/Seoul', '{ id: tickets, preset: zendesk-support-tickets }'), 'clients/acme.yaml');
    expect(zendesk.sources[0]).toMatchObject({ customer_kind: 'user_id', user_id_namespace: 'zendesk' });
  });

  it('is refused on a survey source, which has no customer', () => {
    const issues = issuesOf(config('timezone: Asia/Seoul', '{ id: nps, format: cspulse-csv, table: surveys, customer_kind: user_id }'));
    expect(issues).toEqual([{ path: 'sources.0.customer_kind', message: 'survey sources carry no customer' }]);
  });
});
