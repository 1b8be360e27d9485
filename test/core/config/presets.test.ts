import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientConfigSchema } from '../../../functions/core/config/client-config.ts';
import { PRESETS } from '../../../functions/core/config/presets.ts';

const client = (source: Record<string, unknown>) => ({
  id: 'acme',
  name: 'Acme',
  timezone: 'Asia/Seoul',
  sources: [{ id: 'pbx', ...source }],
  contract: [{ effective_from: '2026-01-01' }],
  recipients: { to: ['lead@example.com'] },
});

describe('presets', () => {
  it('every file in presets/ is a preset, and each is a valid source by the client schema', () => {
    const files = readdirSync(join(import.meta.dirname, '../../../presets')).map((f) => f.replace(/\.json$/, ''));
    expect(Object.keys(PRESETS).sort()).toEqual(files.sort());
    for (const name of files) expect(clientConfigSchema.safeParse(client({ preset: name })).success).toBe(true);
  });

  it('the client\'s keys win; fields and leg rules are merged field by field', () => {
    const [source] = clientConfigSchema.parse(
      client({ preset: 'asterisk-cdr', timezone: 'UTC', fields: { queue: 2 }, legs: { fields: { talk_seconds: 'max' } } }),
    ).sources;
    expect(source).toMatchObject({
      format: 'mapped-csv',
      header: false,
      timezone: 'UTC',
      fields: { contact_id: { column: 19 }, queue: { column: 2 } },
      legs: { key: 19, fields: { answered_at: 'earliest', wait_seconds: 'max', talk_seconds: 'max' } },
    });
  });

  it('an unknown preset is an error naming the presets there are', () => {
    const result = clientConfigSchema.safeParse(client({ preset: 'avaya-cms' }));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ['sources', 0, 'preset'],
      message: 'unknown preset "avaya-cms" (presets: asterisk-cdr, asterisk-cdr-custom, channeltalk-userchat, freeswitch-cdr, genesys-cloud-conversations, zendesk-explore-satisfaction, zendesk-explore-tickets, zendesk-support-tickets)',
    });
  });
});
