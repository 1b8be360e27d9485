import * as fs from 'node:fs/promises';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOutboxMailer, type OutboxFs } from '../../../functions/adapters/local/outbox-mailer.ts';
import { MailerError } from '../../../functions/core/ports.ts';
import { buildReportEmails } from '../../../functions/core/report/email.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from '../../core/report/fixtures.ts';

describe('outbox mailer', () => {
  it('writes the .eml as sent and an .html preview with the charts inlined', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'cspulse-outbox-')), 'out');
    const [report] = await buildReportEmails({ doc: dailyDoc(), config: config(), completeness: completenessFor(dayPeriod('2026-03-04')), now: new Date('2026-03-04T23:00:00Z') });
    const mailer = createOutboxMailer(dir);
    expect(await mailer.send(report!.email)).toEqual({ messageId: 'shop-daily-2026-03-04.eml' });
    expect(Buffer.from(await readFile(path.join(dir, 'shop-daily-2026-03-04.eml'))).equals(Buffer.from(report!.email.raw))).toBe(true);
    const preview = await readFile(path.join(dir, 'shop-daily-2026-03-04.html'), 'utf8');
    expect(preview).toContain('일간 CS 리포트');
    expect(preview).not.toContain('cid:');
    expect(preview.match(/src="data:image\/png;base64,/g)).toHaveLength(2);
    // a second copy is kept beside the first, not over it
    expect(await mailer.send(report!.email)).toEqual({ messageId: 'shop-daily-2026-03-04-2.eml' });
    expect((await readdir(dir)).sort()).toEqual([
      'shop-daily-2026-03-04-2.eml',
      'shop-daily-2026-03-04-2.html',
      'shop-daily-2026-03-04.eml',
      'shop-daily-2026-03-04.html',
    ]);
  });

  it('a full disk on the preview or the message hands nothing over, leaves nothing, and the rerun writes one .eml', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'cspulse-outbox-')), 'out');
    const [report] = await buildReportEmails({ doc: dailyDoc(), config: config(), completeness: completenessFor(dayPeriod('2026-03-04')), now: new Date('2026-03-04T23:00:00Z') });
    const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    for (const failing of ['.html', '.tmp']) {
      const full: OutboxFs = {
        ...fs,
        writeFile: (async (file: Parameters<typeof fs.writeFile>[0], ...rest: unknown[]) => {
          if (String(file).endsWith(failing)) throw enospc();
          return (fs.writeFile as (...a: unknown[]) => Promise<void>)(file, ...rest);
        }) as OutboxFs['writeFile'],
      };
      const error = await createOutboxMailer(dir, { fs: full }).send(report!.email).catch((e: unknown) => e);
      expect(error, failing).toBeInstanceOf(MailerError);
      expect((error as MailerError).handedOver).toBe(false);
      expect(await readdir(dir), failing).toEqual([]);
    }
    expect(await createOutboxMailer(dir).send(report!.email)).toEqual({ messageId: 'shop-daily-2026-03-04.eml' });
    expect((await readdir(dir)).sort()).toEqual(['shop-daily-2026-03-04.eml', 'shop-daily-2026-03-04.html']);
  });
});
