/**
 * Seeded, order-independent randomness. Every decision is keyed by (seed, stable key), so adding
 * an unrelated fact never changes the fate of another one, and the same seed always gives the
 * same dataset.
 */
import { mulberry32 } from '../../configs/pure/prng.js';
import { fnv1a32 } from '../../configs/pure/hash.js';

/** FNV-1a 32-bit hash of a string (UTF-16 code units). */
export const hash32 = (text: string): number => fnv1a32(text);


/** A PRNG stream for one decision point. */
export function streamFor(seed: number, key: string): () => number {
  return mulberry32((hash32(key) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0);
}

/** One uniform draw in [0, 1) for (seed, key). */
export function draw(seed: number, key: string): number {
  return streamFor(seed, key)();
}

/** A seeded index in [0, n). */
export function pickIndex(seed: number, key: string, n: number): number {
  if (n <= 0) throw new RangeError(`pickIndex needs n > 0 (key ${key})`);
  return Math.floor(draw(seed, key) * n);
}

/** Fisher–Yates shuffle of a copy, seeded by (seed, key). */
export function shuffled<T>(items: readonly T[], seed: number, key: string): T[] {
  const out = items.slice();
  const next = streamFor(seed, key);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** Sort by a seeded per-item key: a stable, order-independent shuffle (ties broken by id). */
export function seededOrder<T>(items: readonly T[], idOf: (item: T) => string, seed: number, salt: string): T[] {
  const keyed = items.map((item) => ({ item, id: idOf(item), k: draw(seed, `${salt}|${idOf(item)}`) }));
  keyed.sort((a, b) => a.k - b.k || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return keyed.map((x) => x.item);
}
