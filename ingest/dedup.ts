import { InvalidIngestOptionsError } from './errors.js';
import { sha256Hex } from '../configs/hash.js';
import { fnv1a32 } from '../configs/pure/hash.js';

export { sha256Hex };

export interface MinHashOptions {
  /** Characters per shingle: 5 suits Chinese (≈ 2–3 words) and still works for English. */
  shingle?: number;
  /** Hash functions in a signature; must equal bands × rows. */
  numHashes?: number;
  /** LSH bands: candidates share one band; with 16×8 pairs above ~0.7 Jaccard collide almost surely. */
  bands?: number;
  /** Estimated Jaccard at or above which a candidate counts as a near-duplicate. */
  threshold?: number;
}

const DEFAULTS: Required<MinHashOptions> = { shingle: 5, numHashes: 128, bands: 16, threshold: 0.8 };

/** Deterministic odd multipliers and offsets for the hash family h_i(x) = a_i·x + b_i mod 2^32. */
function hashFamily(n: number): { a: Uint32Array; b: Uint32Array } {
  const a = new Uint32Array(n);
  const b = new Uint32Array(n);
  let s = 0x9e3779b9;
  const next = (): number => {
    // xorshift32
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  for (let i = 0; i < n; i++) {
    a[i] = next() | 1;
    b[i] = next();
  }
  return { a, b };
}

const families = new Map<number, { a: Uint32Array; b: Uint32Array }>();

/** Text reduced for shingling: whitespace dropped, letters lower-cased. */
function canonical(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

/** MinHash signature over character shingles (whitespace ignored). */
export function minhashSignature(text: string, options: MinHashOptions = {}): Uint32Array {
  const { shingle, numHashes } = { ...DEFAULTS, ...options };
  let fam = families.get(numHashes);
  if (!fam) families.set(numHashes, (fam = hashFamily(numHashes)));
  const { a, b } = fam;
  const sig = new Uint32Array(numHashes).fill(0xffffffff);
  const t = canonical(text);
  const k = Math.min(shingle, Math.max(1, t.length));
  const seen = new Set<number>();
  for (let i = 0; i + k <= t.length; i++) {
    const x = fnv1a32(t, i, i + k);
    if (seen.has(x)) continue;
    seen.add(x);
    for (let h = 0; h < numHashes; h++) {
      const v = (Math.imul(a[h] as number, x) + (b[h] as number)) >>> 0;
      if (v < (sig[h] as number)) sig[h] = v;
    }
  }
  return sig;
}

export function estimateJaccard(x: Uint32Array, y: Uint32Array): number {
  if (x.length !== y.length || x.length === 0) return 0;
  let eq = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === y[i]) eq++;
  return eq / x.length;
}

/**
 * Near-duplicate index (MinHash + LSH banding). `check` returns the id of an already indexed
 * item whose estimated Jaccard ≥ threshold, else indexes the new item and returns undefined.
 */
export class NearDuplicateIndex {
  private readonly o: Required<MinHashOptions>;
  private readonly rows: number;
  private readonly buckets = new Map<string, string[]>();
  private readonly sigs = new Map<string, Uint32Array>();

  constructor(options: MinHashOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
    if (this.o.numHashes % this.o.bands !== 0) throw new InvalidIngestOptionsError(`numHashes (${this.o.numHashes}) must be a multiple of bands (${this.o.bands})`);
    this.rows = this.o.numHashes / this.o.bands;
  }

  get size(): number {
    return this.sigs.size;
  }

  private bandKeys(sig: Uint32Array): string[] {
    const keys: string[] = [];
    for (let band = 0; band < this.o.bands; band++) {
      keys.push(`${band}:${Array.from(sig.subarray(band * this.rows, (band + 1) * this.rows)).join(',')}`);
    }
    return keys;
  }

  /** Best matching indexed id (≥ threshold) without indexing. */
  query(text: string): { id: string; similarity: number } | undefined {
    return this.queryBySignature(minhashSignature(text, this.o));
  }

  private queryBySignature(sig: Uint32Array): { id: string; similarity: number } | undefined {
    let best: { id: string; similarity: number } | undefined;
    const tried = new Set<string>();
    for (const key of this.bandKeys(sig)) {
      for (const id of this.buckets.get(key) ?? []) {
        if (tried.has(id)) continue;
        tried.add(id);
        const sim = estimateJaccard(sig, this.sigs.get(id) as Uint32Array);
        if (sim >= this.o.threshold && (!best || sim > best.similarity)) best = { id, similarity: sim };
      }
    }
    return best;
  }

  add(id: string, text: string): void {
    this.addSignature(id, minhashSignature(text, this.o));
  }

  private addSignature(id: string, sig: Uint32Array): void {
    this.sigs.set(id, sig);
    for (const key of this.bandKeys(sig)) {
      const b = this.buckets.get(key);
      if (b) b.push(id);
      else this.buckets.set(key, [id]);
    }
  }

  /** Returns the near-duplicate's id, or indexes `text` under `id` and returns undefined. */
  check(id: string, text: string): string | undefined {
    const sig = minhashSignature(text, this.o);
    const hit = this.queryBySignature(sig);
    if (hit) return hit.id;
    this.addSignature(id, sig);
    return undefined;
  }
}
