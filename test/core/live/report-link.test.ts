/**
 * The daily e-mail's footer link to the live page: each language's copy carries the link made for it when the
 * report goes out, escaped in the HTML and as it is in the text part; without one the footer has none.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildReportEmails } from '../../../functions/core/report/email.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from '../report/fixtures.ts';

const NOW = new Date('2026-03-04T23:00:00Z');
const DAY = dayPeriod('2026-03-04');

describe('the report footer link to the live page', () => {
  it('is in each copy, in its language, escaped in the HTML', async () => {
    const cfg = config({ recipients: { to: ['cs-lead@example.com', { address: 'us@example.com', locale: 'en' }] } });
    const links = { ko: 'https://live.example.test/live/shop?e=1773000000&s=abc&lang=ko', en: 'https://live.example.test/live/shop?e=1773000000&s=abc&lang=en' };
    const messages = await buildReportEmails({ doc: dailyDoc(), config: cfg, completeness: completenessFor(DAY, cfg), now: NOW, liveLinks: links });
    expect(messages.map((m) => m.locale)).toEqual(['ko', 'en']);
    for (const m of messages) {
      const link = links[m.locale];
      expect(m.html).toContain(`<a href="${link.replaceAll('&', '&amp;')}"`);
      expect(m.html).not.toContain(`href="${link}"`);
      const mail = await simpleParser(Buffer.from(m.email.raw));
      expect(mail.text).toContain(m.locale === 'ko' ? `오늘의 실시간 현황 보기: ${link}` : `Today's live page: ${link}`);
    }
  });

  it('is not there without a link', async () => {
    const [m] = await buildReportEmails({ doc: dailyDoc(), config: config(), completeness: completenessFor(DAY, config()), now: NOW });
    expect(m!.model.liveLink).toBeNull();
    expect(m!.text).not.toContain('실시간 현황');
  });
});
