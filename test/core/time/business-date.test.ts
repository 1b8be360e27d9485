import { describe, expect, it } from 'vitest';
import { businessDateConverter } from '../../../functions/core/time/business-date.ts';

describe('businessDateConverter', () => {
  it('puts a chat at 16:30Z on the next Korean day (UTC+9)', () => {
    const seoul = businessDateConverter('Asia/Seoul');
    expect(seoul(new Date('2026-03-01T16:30:00Z'))).toEqual({ dt: '2026-03-02', hour: 1 });
    expect(seoul(new Date('2026-03-01T14:59:59Z'))).toEqual({ dt: '2026-03-01', hour: 23 });
  });

  it('follows DST in America/New_York', () => {
    const ny = businessDateConverter('America/New_York');
    // 2026-03-08 07:30Z is 03:30 EDT (UTC-4): clocks jumped from 02:00 to 03:00 at 07:00Z
    expect(ny(new Date('2026-03-08T07:30:00Z'))).toEqual({ dt: '2026-03-08', hour: 3 });
    // 06:30Z is still EST (UTC-5): 01:30
    expect(ny(new Date('2026-03-08T06:30:00Z'))).toEqual({ dt: '2026-03-08', hour: 1 });
    // 2026-11-01 05:30Z is 01:30 EDT, 06:30Z is 01:30 EST: the hour 1 happens twice
    expect(ny(new Date('2026-11-01T05:30:00Z'))).toEqual({ dt: '2026-11-01', hour: 1 });
    expect(ny(new Date('2026-11-01T06:30:00Z'))).toEqual({ dt: '2026-11-01', hour: 1 });
    // 04:59Z is 00:59 EDT; 03:59Z is 23:59 on Oct 31
    expect(ny(new Date('2026-11-01T03:59:00Z'))).toEqual({ dt: '2026-10-31', hour: 23 });
  });

  it('handles half-hour zones', () => {
    const india = businessDateConverter('Asia/Kolkata');
    // UTC+5:30: 18:29Z is 23:59, 18:30Z is 00:00 next day
    expect(india(new Date('2026-05-10T18:29:00Z'))).toEqual({ dt: '2026-05-10', hour: 23 });
    expect(india(new Date('2026-05-10T18:30:00Z'))).toEqual({ dt: '2026-05-11', hour: 0 });
  });
});
