import { describe, expect, it } from 'vitest';
import type { AlertEvidence } from '../../../functions/core/live/alert-log.ts';
import { alertText } from '../../../functions/core/live/alert-text.ts';
import { liveMessagesFor } from '../../../functions/core/live/messages.ts';
import { createFormatter } from '../../../functions/core/report/format.ts';

const evidence = (e: Partial<AlertEvidence>): AlertEvidence => ({ value: null, usual: null, target: null, since: null, detail: 'intraday', ...e });
const labels = new Map([['cti', 'CTI 통화']]);

describe('alertText', () => {
  const ko = createFormatter('ko', 'KRW', 'Asia/Seoul');
  const en = createFormatter('en', 'KRW', 'Asia/Seoul');

  it("says a category's count as of now on the page, and as of the minute it was judged in a later report", () => {
    const e = evidence({ value: 119, usual: 46.25 });
    expect(alertText({ kind: 'category', subject: '배송' }, e, ko, liveMessagesFor('ko'), labels)).toBe('배송 문의가 평소보다 많습니다: 오늘 119건 (평소 같은 시각까지 46.3건)');
    expect(alertText({ kind: 'category', subject: '배송' }, e, ko, liveMessagesFor('ko'), labels, { pastAt: '2026-03-04T01:45:00.000Z' })).toBe(
      '배송 문의가 평소보다 많았습니다: 10:45까지 119건 (평소 같은 시각까지 46.3건)',
    );
    expect(alertText({ kind: 'category', subject: 'Delivery' }, e, en, liveMessagesFor('en'), labels, { pastAt: '2026-03-04T01:45:00.000Z' })).toBe(
      'Delivery was above its usual: 119 by 10:45 (usual 46.3 by then)',
    );
  });

  it("names the day before the alert's, not yesterday, for a late daily file read afterwards", () => {
    const e = evidence({ since: '2026-03-04T00:30:00.000Z', detail: 'daily' });
    expect(alertText({ kind: 'silent', subject: 'cti' }, e, ko, liveMessagesFor('ko'), labels)).toBe('CTI 통화 어제 파일이 평소 도착 시각(09:30)이 지나도 오지 않았습니다');
    expect(alertText({ kind: 'silent', subject: 'cti' }, e, ko, liveMessagesFor('ko'), labels, { pastAt: '2026-03-04T00:45:00.000Z' })).toBe(
      'CTI 통화 전날 파일이 평소 도착 시각(09:30)이 지나도 오지 않았습니다',
    );
    expect(alertText({ kind: 'silent', subject: 'cti' }, e, en, liveMessagesFor('en'), labels, { pastAt: '2026-03-04T00:45:00.000Z' })).toBe(
      "CTI 통화: the previous day's file had not arrived (usually by 09:30)",
    );
  });
});
