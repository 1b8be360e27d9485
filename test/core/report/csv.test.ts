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
    // counts of all channels, then each channel's own rates and durations: no rate blended across channels
    const channelColumns = (ch: string) => [`${ch} 인입`, `${ch} 응대`, `${ch} 포기호`, `${ch} 응대율`, `${ch} 서비스 레벨`, `${ch} 포기율`, `${ch} 평균 응답 속도(ASA) (초)`, `${ch} 평균 처리 시간(AHT) (초)`];
    expect(lines[1]).toBe(['날짜', '전체 문의', '인입', '응대', '포기호', ...channelColumns('전화'), ...channelColumns('채팅')].join(','));
    // fixture day 0: all 850 inbound / 800 / 700 / 100; phone 560 / 480 / 80, 0.84, 0.70, 0.06, 25 s, 250 s; chat 240 / 220 / 20, 0.9, 0.85, 0.05, 9 s, 211 s
    expect(lines[2]).toBe('2026-02-19,850,800,700,100,560,480,80,0.84,0.7,0.06,25,250,240,220,20,0.9,0.85,0.05,9,211');
    expect(lines[16]).toBe('');
    expect(lines[17]).toBe('시간대별');
    expect(lines[18]).toBe('시간,인입,응대,포기호,일평균 인입,전화 인입,전화 서비스 레벨,채팅 인입,채팅 서비스 레벨');
    // hour 0 has nothing: service levels are empty, not 0
    expect(lines[19]).toBe('0,0,0,0,0,0,,0,');
    // hour 10: 150 offered, round(135) answered, 15 abandoned; phone 105 at 0.72, chat 45 at 0.9
    expect(lines[29]).toBe('10,150,135,15,150,105,0.72,45,0.9');
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
