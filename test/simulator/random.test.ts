import { describe, expect, it } from 'vitest';

import { Random } from '../../functions/simulator/random.ts';

describe('Random', () => {
  it('repeats its sequence for the same seed and label, and differs across labels', () => {
    const a = new Random(42, 'x');
    const b = new Random(42, 'x');
    const c = new Random(42, 'y');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws Poisson counts with the configured mean and variance', () => {
    // 20,000 draws of Poisson(4): the sample mean has sd sqrt(4/20000) = 0.0141, so 4 sd = 0.057; the sample
    // variance of a Poisson equals its mean (sd of the variance estimate ≈ sqrt((4 + 2·16)/20000) = 0.042).
    const r = new Random(7, 'poisson');
    const n = 20_000;
    const xs = Array.from({ length: n }, () => r.poisson(4));
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean - 4)).toBeLessThan(0.057);
    expect(Math.abs(variance - 4)).toBeLessThan(0.17);
  });

  it('keeps large Poisson means exact by splitting them', () => {
    // Poisson(1000) over 2,000 draws: sd of the mean sqrt(1000/2000) = 0.707, 4 sd = 2.83.
    const r = new Random(9, 'big');
    const xs = Array.from({ length: 2000 }, () => r.poisson(1000));
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 1000)).toBeLessThan(2.83);
  });

  it('formats UUIDs as version 4', () => {
    expect(new Random(1, 'u').uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
