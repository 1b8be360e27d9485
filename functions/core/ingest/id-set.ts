/**
 * The contact ids seen in one ingest, for dropping duplicates, in bounded and GC-free memory. A JS Set of a
 * million id strings costs well over 100 MB of heap; this table keeps a 64-bit fingerprint of each id in typed
 * arrays (16 bytes a slot at most half full: about 32 MB for a million ids).
 *
 * The fingerprint is two independent 32-bit hashes of the id's UTF-16 code units (FNV-1a and a multiplicative
 * hash with a murmur3 finalizer). Two different ids of one file are taken for duplicates only if both hashes
 * collide: for a million-row file the chance is about n²/2⁶⁵ ≈ 3·10⁻⁸.
 */
export class IdSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    const a = fnv1a(id);
    const b = mix(id);
    for (let slot = b & this.mask; this.used[slot] === 1; slot = (slot + 1) & this.mask) {
      if (this.hi[slot] === a && this.lo[slot] === b) return true;
    }
    return false;
  }

  /** Adds the id; returns false when it was there already. */
  add(id: string): boolean {
    const a = fnv1a(id);
    const b = mix(id);
    let slot = b & this.mask;
    for (; this.used[slot] === 1; slot = (slot + 1) & this.mask) {
      if (this.hi[slot] === a && this.lo[slot] === b) return false;
    }
    this.hi[slot] = a;
    this.lo[slot] = b;
    this.used[slot] = 1;
    if (++this.count * 2 > this.mask) this.grow();
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const capacity = (this.mask + 1) * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < used.length; i++) {
      if (used[i] !== 1) continue;
      let slot = lo[i]! & this.mask;
      while (this.used[slot] === 1) slot = (slot + 1) & this.mask;
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.used[slot] = 1;
    }
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(text: string): number {
  let h = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x5bd1e995) + 0x165667b1;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
