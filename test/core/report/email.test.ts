import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildReportEmails, recipientGroups } from '../../../functions/core/report/email.ts';
import { buildNoDataNotice } from '../../../functions/core/report/notice.ts';
import { assessCompleteness } from '../../../functions/core/report/completeness.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from './fixtures.ts';

const NOW = new Date('2026-03-04T23:00:00Z');
const DAY = dayPeriod('2026-03-04');
const build = (cfg = config(), doc = dailyDoc()) => buildReportEmails({ doc, config: cfg, completeness: completenessFor(DAY, cfg), now: NOW });

describe('report e-mail MIME', () => {
  it('builds a multipart message with html, text, inline charts, the XLSX and the CSV', async () => {
    const [report] = await build(config({ recipients: { to: ['cs-lead@example.com'], cc: ['ceo@example.com'], reply_to: 'am@cs-company.example' } }));
    const mail = await simpleParser(Buffer.from(report!.email.raw));
    expect(mail.subject).toBe('[예시몰] 계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500) | 일간 CS 리포트 · 2026년 3월 4일 (수)');
    expect(mail.messageId).toBe('<report.shop.daily.2026-03-04@cspulse.example.com>');
    expect(mail.from?.value).toEqual([{ address: 'reports@cspulse.example.com', name: '예시몰 CS' }]);
    expect(mail.replyTo?.value).toEqual([{ address: 'am@cs-company.example', name: '' }]);
    // RFC 2369: the unsubscribe request goes to the account manager, subject percent-encoded
    expect(mail.headers.get('list')).toEqual({ unsubscribe: { mail: 'am@cs-company.example?subject=%EC%88%98%EC%8B%A0%20%EA%B1%B0%EB%B6%80%3A%20%EC%98%88%EC%8B%9C%EB%AA%B0%20CS%20%EB%A6%AC%ED%8F%AC%ED%8A%B8' } });
    expect(decodeURIComponent('%EC%88%98%EC%8B%A0%20%EA%B1%B0%EB%B6%80%3A%20%EC%98%88%EC%8B%9C%EB%AA%B0%20CS%20%EB%A6%AC%ED%8F%AC%ED%8A%B8')).toBe('수신 거부: 예시몰 CS 리포트');
    expect(mail.date?.toISOString()).toBe('2026-03-04T23:00:00.000Z');
    expect(mail.headers.get('x-cspulse-report')).toBe('shop/daily/2026-03-04');
    expect(mail.text).toContain('- 전화 응대율: 88.6% (전일 대비 +1.3%p');
    const images = mail.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.cid).sort()).toEqual(['hourly@cspulse', 'trend@cspulse']);
    expect(mail.attachments.filter((a) => a.contentDisposition === 'attachment').map((a) => a.filename)).toEqual([
      'cspulse-shop-daily-2026-03-04.xlsx',
      'cspulse-shop-daily-2026-03-04.csv',
    ]);
    const csv = mail.attachments.find((a) => a.filename === 'cspulse-shop-daily-2026-03-04.csv');
    expect([...csv!.content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // the Subject header itself is RFC 2047 encoded, never raw UTF-8
    const head = Buffer.from(report!.email.raw).toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(report!.email).toMatchObject({ from: 'reports@cspulse.example.com', to: ['cs-lead@example.com'], cc: ['ceo@example.com'] });
  });

  it('attaches the next period staffing plan to a weekly report, with how the forecast was made and its error', async () => {
    const week = { kind: 'weekly' as const, start: '2026-03-02', end: '2026-03-08' };
    // one hour of the plan, worked by hand: 105 calls of 240 s are 7 Erlangs; 80 % within 20 s needs 10 agents
    // (9 give 67.4 %, 10 give 82.7 %), busy 7 / 10 = 70 % of the hour
    const plan = {
      start: '2026-03-09',
      weeksUsed: 4,
      wape: 0.175,
      bias: -0.032,
      backtestWeeks: 4,
      target: { kind: 'service_level' as const, thresholdSeconds: 20, value: 0.8 },
      rows: [{ weekday: 0, hour: 10, forecastOffered: 105, ahtSeconds: 240, trafficErlangs: 7, agents: 10, serviceLevel: 0.8273, asaSeconds: 8.5, occupancy: 0.7, problem: null }],
    };
    const doc = dailyDoc({ period: week, prior_period: { kind: 'weekly', start: '2026-02-23', end: '2026-03-01' }, week_ago: null, week_ago_period: null, staffing: [{ channel: 'phone', plan }] });
    const [report] = await buildReportEmails({ doc, config: config(), completeness: completenessFor(week), now: NOW });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(report!.attachments.find((a) => a.fileName.endsWith('.xlsx'))!.content) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('인력 계획')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['채널', '요일', '시간', '예상 인입', '평균 처리 시간(AHT)', '필요 인원', '서비스 레벨', '평균 응답 속도(ASA)', '점유율']);
    const row = sheet.getRow(2);
    expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(6).value, row.getCell(7).value, row.getCell(9).value]).toEqual(['전화', '월', '10시', 105, 10, 0.8273, 0.7]);
    expect(row.getCell(5).value).toEqual(new Date('1899-12-30T00:04:00.000Z'));
    expect(sheet.getRow(4).getCell(1).value).toBe(
      '전화: 예상 인입: 최근 4주 같은 요일·시간의 영업일 평균. 최근 4주를 같은 방법으로 미리 예측해 본 오차: WAPE 17.5%, 편향 -3.2%.',
    );
    expect(sheet.getRow(5).getCell(1).value).toBe('전화: 필요 인원: Erlang C로 계산한, 목표 80.0% / 20초를 지키는 데 필요한 동시 응대 인원');
    // a daily report has no plan
    const [daily] = await build();
    const dailyWb = new ExcelJS.Workbook();
    await dailyWb.xlsx.load(Buffer.from(daily!.attachments.find((a) => a.fileName.endsWith('.xlsx'))!.content) as unknown as ArrayBuffer);
    expect(dailyWb.getWorksheet('인력 계획')).toBeUndefined();
  });

  it('formats the XLSX for people: percentages, durations, one sheet per table', async () => {
    const [report] = await build();
    const xlsx = report!.attachments.find((a) => a.fileName.endsWith('.xlsx'))!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.content) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['일별', '시간대별', 'SLA', '채널별', '상담 유형', '고객 의견']);
    // every comment of the period, the low one marked, the phone number masked
    const comments = wb.getWorksheet('고객 의견')!;
    expect((comments.getRow(2).values as unknown[]).slice(1)).toEqual(['2026-03-04 11:10', '전화', '배송 & 반품 "지연"', 2, 3, undefined, '낮은 점수', '대기 시간이 너무 길었습니다']);
    expect(comments.getRow(3).getCell(8).value).toBe('상담원이 <b>친절</b>했어요. ***-****-****로 연락 주세요');
    const daily = wb.getWorksheet('일별')!;
    // counts of all channels, then each channel's own: 5 + 8 columns per channel
    expect((daily.getRow(1).values as unknown[]).slice(1, 10)).toEqual(['날짜', '전체 문의', '인입', '응대', '포기호', '전화 인입', '전화 응대', '전화 포기호', '전화 응대율']);
    expect((daily.getRow(1).values as unknown[]).slice(10, 14)).toEqual(['전화 서비스 레벨', '전화 포기율', '전화 평균 응답 속도(ASA)', '전화 평균 처리 시간(AHT)']);
    // fixture day 0: phone answer rate 0.84 as a percentage cell; phone AHT 250 s as 250/86400 of a day shown
    // [h]:mm:ss, which a reader of the file sees as the time 00:04:10 after Excel's epoch (1899-12-30)
    const row = daily.getRow(2);
    expect([row.getCell(1).value, row.getCell(3).value, row.getCell(9).value, row.getCell(9).numFmt]).toEqual(['2026-02-19', 800, 0.84, '0.0%']);
    expect([row.getCell(13).value, row.getCell(13).numFmt]).toEqual([new Date('1899-12-30T00:04:10.000Z'), '[h]:mm:ss']);
    // the channel sheet: the counts beside the rates, AHT included
    const channels = wb.getWorksheet('채널별')!;
    expect((channels.getRow(1).values as unknown[]).slice(1)).toEqual(['채널', '전체 문의', '인입', '응대', '포기호', '단순 포기', '응대율', '서비스 레벨', '포기율', '평균 응답 속도(ASA)', '평균 처리 시간(AHT)', '최장 대기 시간']);
    expect((channels.getRow(2).values as unknown[]).slice(1, 7)).toEqual(['전화', 750, 700, 620, 80, 8]);
    const sla = wb.getWorksheet('SLA')!;
    expect(sla.getRow(2).values).toEqual([undefined, '전화 서비스 레벨 80/20', 0.75, '≥ 80.0%', '미달', '81.0%']);
    expect(sla.getRow(2).getCell(2).numFmt).toBe('0.0%');
    // a category named like a formula stays text
    const cats = wb.getWorksheet('상담 유형')!;
    expect(cats.getRow(3).getCell(1).value).toBe('<script>alert(1)</script>');
  });

  it('keeps a long category whole in the XLSX, which the e-mail shows shortened', async () => {
    const category = `${'배송 지연 '.repeat(15)}끝`;
    const doc = dailyDoc();
    doc.categories[0] = { ...doc.categories[0]!, category };
    const [report] = await build(config(), doc);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(report!.attachments.find((a) => a.fileName.endsWith('.xlsx'))!.content) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('상담 유형')!.getRow(2).getCell(1).value).toBe(category);
    expect(report!.html).not.toContain('끝');
  });

  it('is byte-for-byte identical when rebuilt, so a duplicate is recognizable', async () => {
    const [a] = await build();
    await new Promise((r) => setTimeout(r, 2100)); // zip entry times have a 2 s resolution
    const [b] = await build();
    expect(Buffer.from(a!.email.raw).equals(Buffer.from(b!.email.raw))).toBe(true);
  });
});

describe('recipients', () => {
  const cfg = config({
    recipients: {
      to: ['cs-lead@example.com', { address: 'global@example.com', locale: 'en' }],
      cc: [{ address: 'ceo@example.com', kinds: ['monthly'] }, { address: 'ops-en@example.com', locale: 'en', kinds: ['daily', 'weekly'] }],
    },
  });

  it('gives each person the kinds they asked for, in their language', () => {
    expect(recipientGroups(cfg, 'daily')).toEqual([
      { locale: 'ko', to: ['cs-lead@example.com'], cc: [] },
      { locale: 'en', to: ['global@example.com'], cc: ['ops-en@example.com'] },
    ]);
    expect(recipientGroups(cfg, 'monthly')).toEqual([
      { locale: 'ko', to: ['cs-lead@example.com'], cc: ['ceo@example.com'] },
      { locale: 'en', to: ['global@example.com'], cc: [] },
    ]);
    // a CEO who wants only the monthly report and nobody else: the weekly goes to nobody
    expect(recipientGroups(config({ recipients: { to: [{ address: 'ceo@example.com', kinds: ['monthly'] }] } }), 'weekly')).toEqual([]);
  });

  it('sends one message per language, each with its own Message-ID', async () => {
    const messages = await build(cfg);
    expect(messages.map((m) => [m.locale, m.messageId, m.email.to, m.email.cc, m.model.subject])).toEqual([
      ['ko', '<report.shop.daily.2026-03-04@cspulse.example.com>', ['cs-lead@example.com'], [], '[예시몰] 계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500) | 일간 CS 리포트 · 2026년 3월 4일 (수)'],
      ['en', '<report.shop.daily.2026-03-04.en@cspulse.example.com>', ['global@example.com'], ['ops-en@example.com'], '[예시몰] 2 of 3 contract targets met · 900 answered · ₩5,000,000 a month (₩2,500 per contact) | Daily CS report · Wed 4 Mar 2026'],
    ]);
    expect(messages[1]!.text).toContain('Contract targets (SLA)');
  });

  it('threads a correction under the report it corrects', async () => {
    const [corrected] = await buildReportEmails({
      doc: dailyDoc(),
      config: config(),
      completeness: completenessFor(DAY),
      previous: { sentAt: '2026-03-04T23:00:00.000Z', figures: {}, verdicts: {} },
      revision: 1,
      now: NOW,
    });
    const mail = await simpleParser(Buffer.from(corrected!.email.raw));
    expect(mail.messageId).toBe('<report.shop.daily.2026-03-04.r1@cspulse.example.com>');
    expect(mail.inReplyTo).toBe('<report.shop.daily.2026-03-04@cspulse.example.com>');
    expect(mail.subject).toBe('[정정] ' + '[예시몰] 계약 지표 3개 중 2개 달성 · 응대 900건 · 월 ₩5,000,000 (건당 ₩2,500) | 일간 CS 리포트 · 2026년 3월 4일 (수)');
    expect(mail.headers.get('x-cspulse-report')).toBe('shop/daily/2026-03-04/r1');
  });
});

describe('the no-data notice', () => {
  it('goes to the operator and names the sources and days', async () => {
    const cfg = config({ recipients: { to: ['cs-lead@example.com'], operator: 'ops@cs-company.example' } });
    const nothing = assessCompleteness(DAY, cfg, [], NOW);
    const notice = await buildNoDataNotice(cfg, { kind: 'daily', ...DAY }, nothing, NOW);
    const mail = await simpleParser(Buffer.from(notice.email.raw));
    expect(notice.email.to).toEqual(['ops@cs-company.example']);
    expect(mail.subject).toBe('[cspulse] 예시몰 일간 리포트 미발송: 데이터 없음 · 2026년 3월 4일 (수)');
    expect(mail.text).toContain('예시몰의 2026년 3월 4일 (수) 리포트를 보내지 않았습니다. 받은 데이터가 없습니다: 전화 3/4, 채팅 3/4.');
    expect(mail.messageId).toBe('<notice.shop.daily.2026-03-04@cspulse.example.com>');
  });
});
