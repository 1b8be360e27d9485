import { describe, expect, it } from 'vitest';

import { formatHms, formatWallClock } from '../../../functions/simulator/writers/mapped-csv.ts';
import { csvCell } from '../../../functions/simulator/writers/output.ts';

describe('mapped CSV value formatting', () => {
  it('writes durations as H:MM:SS', () => {
    expect(formatHms(0)).toBe('0:00:00');
    expect(formatHms(59)).toBe('0:00:59');
    expect(formatHms(3725)).toBe('1:02:05'); // 1 h 2 min 5 s
  });

  it('writes wall-clock tokens', () => {
    const wall = new Date('2026-03-02T01:30:09.005Z');
    expect(formatWallClock(wall, 'YYYYMMDD')).toBe('20260302');
    expect(formatWallClock(wall, 'HH:mm:ss')).toBe('01:30:09');
    expect(formatWallClock(wall, 'YY-MM-DD H.SSS')).toBe('26-03-02 1.005');
  });

  it('quotes only the cells that need it', () => {
    expect(csvCell('plain', ',')).toBe('plain');
    expect(csvCell('Had to repeat myself, twice', ',')).toBe('"Had to repeat myself, twice"');
    expect(csvCell('"above"', ',')).toBe('"""above"""');
  });
});
