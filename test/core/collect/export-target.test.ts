import { describe, expect, it } from 'vitest';

import { authorizationHeader, parseCredentials } from '../../../functions/core/collect/credentials.ts';
import {
  exportFileName,
  exportUrl,
  previousLocalDate,
  rawExportKey,
} from '../../../functions/core/collect/export-target.ts';

describe('previousLocalDate', () => {
  it('uses the client zone, not UTC', () => {
    // 2026-03-01T15:30Z is 2026-03-02 00:30 in Seoul (+09:00): the day before is 2026-03-01
    expect(previousLocalDate(new Date('2026-03-01T15:30:00Z'), 'Asia/Seoul')).toBe('2026-03-01');
    // the same instant is 2026-03-01 07:30 in Los Angeles (-08:00): the day before is 2026-02-28
    expect(previousLocalDate(new Date('2026-03-01T15:30:00Z'), 'America/Los_Angeles')).toBe('2026-02-28');
  });
  it('crosses a month and a leap day', () => {
    // 2028-03-01 03:00 in Seoul = 2028-02-29T18:00Z; the day before is the leap day
    expect(previousLocalDate(new Date('2028-02-29T18:00:00Z'), 'Asia/Seoul')).toBe('2028-02-29');
  });
});

describe('export target', () => {
  it('fills every {date} placeholder', () => {
    expect(exportUrl('https://cti.example.com/export/{date}?from={date}', '2026-03-01')).toBe(
      'https://cti.example.com/export/2026-03-01?from=2026-03-01',
    );
  });
  it('names the file from Content-Disposition, the URL, or "export"', () => {
    expect(exportFileName('https://x/e', 'attachment; filename="calls 03.csv"')).toBe('calls_03.csv');
    expect(exportFileName('https://x/e', "attachment; filename*=UTF-8''%ED%86%B5%ED%99%94.csv")).toBe('통화.csv');
    expect(exportFileName('https://x/api/daily.csv?date=1', null)).toBe('daily.csv');
    expect(exportFileName('https://x/', null)).toBe('export');
    expect(exportFileName('https://x/e', 'attachment; filename="../../etc/passwd"')).toBe('passwd');
  });
  it('puts the raw file under the client and source prefix', () => {
    expect(rawExportKey('acme', 'cti', '2026-03-01', 'calls.csv')).toBe('client_id=acme/cti/2026-03-01-calls.csv');
  });
});

describe('credentials', () => {
  it('builds basic and bearer headers', () => {
    // base64("user:pa:ss") = dXNlcjpwYTpzcw==
    expect(authorizationHeader(parseCredentials('s', '{"username":"user","password":"pa:ss"}'))).toBe(
      'Basic dXNlcjpwYTpzcw==',
    );
    expect(authorizationHeader(parseCredentials('s', '{"token":"abc"}'))).toBe('Bearer abc');
  });
  it('rejects other shapes without echoing the value', () => {
    expect(() => parseCredentials('cspulse/a/cti', 'hunter2')).toThrow(/secret cspulse\/a\/cti is not JSON/);
    expect(() => parseCredentials('cspulse/a/cti', '{"password":"hunter2"}')).toThrow(
      /must hold \{"username","password"\}/,
    );
  });
});
