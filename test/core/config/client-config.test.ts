import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { channelParameters, contractInForce } from '../../../functions/core/config/client-config.ts';
import { ConfigError } from '../../../functions/core/config/errors.ts';
import { parseClientConfig } from '../../../functions/core/config/parse-config.ts';
import { mappingProblems } from '../../../functions/core/ingest/formats/check-mapping.ts';

const minimal = (extra = ''): string => `
id: acme
name: ACME
timezone: Asia/Seoul
sources:
  - { id: cti, format: cspulse-csv, channel: phone }
contract:
  - effective_from: "2026-01-01"
  - effective_from: "2026-07-01"
    channels: { phone: { service_level_seconds: 30 } }
recipients: { to: [lead@acme.example] }
${extra}`;

function errorOf(text: string, file = 'clients/acme.yaml'): ConfigError {
  try {
    parseClientConfig(text, file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('client config', () => {
  it('accepts the documented example and fills the defaults', async () => {
    const config = parseClientConfig(await readFile('clients/example.yaml', 'utf8'), 'clients/example.yaml');
    expect(config.locale).toBe('ko');
    expect(config.reports.send_at).toBe('08:00');
    expect(mappingProblems(config)).toEqual([]);
  });

  it('names the file and the field of every problem', () => {
    const error = errorOf(minimal().replace('Asia/Seoul', 'Asia/Busan').replace('lead@acme.example', 'not-an-email'));
    expect(error.file).toBe('clients/acme.yaml');
    expect(error.issues.map((i) => i.path).sort()).toEqual(['recipients.to.0', 'timezone']);
    expect(error.message).toContain('clients/acme.yaml');
    expect(error.message).toContain('timezone: must be an IANA time zone');
  });

  it('rejects unknown keys, so a typo does not silently fall back to a default', () => {
    expect(errorOf(minimal('reprots: { daily: false }')).issues[0]!.message).toMatch(/reprots/);
  });

  it('requires the id to match the file name', () => {
    expect(errorOf(minimal(), 'clients/other.yaml').issues).toEqual([{ path: 'id', message: 'must match the file name "other"' }]);
  });

  it('reports YAML syntax errors with the file name', () => {
    expect(errorOf('id: [unclosed', 'clients/acme.yaml').message).toMatch(/^clients\/acme\.yaml: not valid YAML/);
  });

  it('picks the contract version in force and the channel defaults of the spec', () => {
    const config = parseClientConfig(minimal(), 'clients/acme.yaml');
    expect(contractInForce(config, '2025-12-31')).toBeUndefined();
    const january = contractInForce(config, '2026-06-30')!;
    const july = contractInForce(config, '2026-07-01')!;
    expect(channelParameters(january, 'phone')).toEqual({ serviceLevelSeconds: 20, shortAbandonSeconds: 5, serviceLevelFormula: 'answered_within_over_offered_less_short' });
    expect(channelParameters(july, 'phone').serviceLevelSeconds).toBe(30);
    expect(channelParameters(july, 'chat')).toMatchObject({ serviceLevelSeconds: 60, shortAbandonSeconds: 0 });
    expect(channelParameters(july, 'board').serviceLevelSeconds).toBe(86_400);
  });

  it('finds mappings that cannot work', async () => {
    const text = (await readFile('clients/example.yaml', 'utf8')).replace('응대: answered', '응대: answred');
    expect(mappingProblems(parseClientConfig(text, 'clients/example.yaml'))).toEqual([
      expect.stringMatching(/^sources\.cti: .*outcome.*"answred"/),
    ]);
  });
});
