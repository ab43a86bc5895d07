/** Percentile bootstrap intervals, seeded so that a report is reproducible byte for byte. */
import { mulberry32 as rng } from '../configs/pure/prng.js';
/** FNV-1a of the cell's key is its seed: every cell has its own stream and adding a cell does not move the others. */
import { fnv1a32 as hash } from '../configs/pure/hash.js';

/** Resamples per interval: 1000 puts the 2.5 % / 97.5 % percentiles within ~±0.01 of their limit for n ≥ 10, and keeps a report (~100 cells × 4 systems) under a second. */
export const BOOTSTRAP_RESAMPLES = 1000;
/** Below this many items a mean is reported with a warning: its 95 % interval is wider than ±0.15 for a rate near 0.5. */
export const MIN_RELIABLE_N = 30;

export type Interval = [number, number];

function percentile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * 95 % percentile-bootstrap interval of the mean of `xs` (resampling items with replacement).
 * `key` names the cell (split, group, metric, system) and seeds its stream. null when xs is empty.
 */
export function bootstrapMean(xs: readonly number[], key: string, resamples = BOOTSTRAP_RESAMPLES): Interval | null {
  if (xs.length === 0) return null;
  const next = rng(hash(key));
  const n = xs.length;
  const means: number[] = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[Math.floor(next() * n)]!;
    means[b] = s / n;
  }
  means.sort((a, b) => a - b);
  return [percentile(means, 0.025), percentile(means, 0.975)];
}

/**
 * 95 % interval of the mean difference a − b over paired items (the same questions answered by two
 * systems): items are resampled together, so the interval reflects the paired design.
 */
export function bootstrapPairedDiff(a: readonly number[], b: readonly number[], key: string, resamples = BOOTSTRAP_RESAMPLES): Interval | null {
  if (a.length !== b.length) throw new Error(`paired bootstrap needs equal lengths, got ${a.length} and ${b.length}`);
  return bootstrapMean(a.map((x, i) => x - b[i]!), key, resamples);
}
