/**
 * Seeded randomness for the simulator. Output files must be byte-identical for a seed, so nothing here reads
 * Math.random or the clock; every stream is a mulberry32 generator derived from the seed and a label, so adding
 * a client or a new kind of draw does not shift the numbers another client sees.
 */

/** FNV-1a over the label, mixed with the seed: independent streams per (seed, label). */
export function streamSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number, label = '') {
    this.state = streamSeed(seed, label);
  }

  /** mulberry32: 32-bit state, period 2^32, more than enough for a few million draws per stream. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index drawn with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal by Box–Muller (one value per call keeps the stream position simple to reason about). */
  normal(): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Lognormal given its median and the sigma of the underlying normal: handle times and patience are skewed. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /**
   * Poisson by inversion: exact, O(lambda). Large means are split into halves (a sum of independent Poisson
   * variables is Poisson) so exp(-lambda) never underflows.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 400) {
      const half = lambda / 2;
      return this.poisson(half) + this.poisson(half);
    }
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = this.next();
    while (u > cdf) {
      k += 1;
      p *= lambda / k;
      cdf += p;
      if (p < 1e-300 && cdf >= 1 - 1e-15) break;
    }
    return k;
  }

  /** Hex string of n characters, e.g. for UUIDs and Firehose object suffixes. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0');
    return s.slice(0, n);
  }

  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
