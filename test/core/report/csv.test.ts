import { describe, expect, it } from 'vitest';
import { csvField, renderReportCsv } from '../../../functions/core/report/csv.ts';
import { buildReportModel } from '../../../functions/core/report/model.ts';
import { completenessFor, config, dailyDoc, dayPeriod } from './fixtures.ts';

describe('CSV attachment', () => {
  it('starts with a UTF-8 BOM and holds the daily and hourly breakdown', () => {
    const model = buildReportModel({ doc: dailyDoc(), config: config(), completeness: completenessFor(dayPeriod('2026-03-04')) });
    const { fileName, content } = renderReportCsv(model);
    expect(fileName).toBe('cspulse-shop-daily-2026-03-04.csv');
    expect([...content.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(content.subarray(3)).split('\r\n');
    expect(lines[0]).toBe('일별');
    expect(lines[1]).toBe('날짜,인입,응대,포기호,응대율,서비스 레벨,평균 응답 속도(초),평균 처리 시간(초)');
    // fixture day 0: 800 offered, 700 answered, 100 abandoned, 0.85 answer rate, 0.75 service level
    expect(lines[2]).toBe('2026-02-19,800,700,100,0.85,0.75,20,240');
    expect(lines[16]).toBe('');
    expect(lines[17]).toBe('시간대별');
    expect(lines[18]).toBe('시간,인입,응대,포기호,서비스 레벨,일평균 인입');
    // hour 0 has nothing: service level is empty, not 0
    expect(lines[19]).toBe('0,0,0,0,,0');
    // hour 10: 150 offered, round(135) answered, 15 abandoned
    expect(lines[29]).toBe('10,150,135,15,0.78,150');
    expect(lines).toHaveLength(19 + 24 + 1);
  });

  it('quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('배송, 반품')).toBe('"배송, 반품"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(null)).toBe('');
    expect(csvField(0.5)).toBe('0.5');
  });
});
