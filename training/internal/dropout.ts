import * as tf from '@tensorflow/tfjs';
import { type MaskRequest, MaskPrefetcher } from './mask-worker.js';

/**
 * Baagøe's Mash, as seedrandom's alea (the generator tf.randomUniform uses) seeds itself with it.
 * Returns the three starting states of alea for `seed` (after mashing ' ' three times, then the seed).
 */
function aleaState(seed: string): { s0: number; s1: number; s2: number } {
  let n = 0xefc8249d;
  const mash = (data: string): number => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
  let s0 = mash(' ');
  let s1 = mash(' ');
  let s2 = mash(' ');
  s0 -= mash(seed);
  if (s0 < 0) s0 += 1;
  s1 -= mash(seed);
  if (s1 < 0) s1 += 1;
  s2 -= mash(seed);
  if (s2 < 0) s2 += 1;
  return { s0, s1, s2 };
}

/** Writes the multiplier of `seed` (see dropoutMultiplier) into out[offset, offset + size). */
function fillMultiplier(out: Float32Array, offset: number, size: number, rate: number, seed: number, scale: number): void {
  const f = Math.fround;
  const keep = f(1 - rate); // the float32 scalar tf.add converts keepProb to
  const kept = scale === 1 ? f(1 / keep) : f(f(1 / keep) * scale); // floor(…) is 1 for kept values; 1 / keep in float32
  let { s0, s1, s2 } = aleaState(String(seed));
  let c = 1;
  for (let i = offset; i < offset + size; i++) {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10; // 2^-32
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    out[i] = f(f(s2) + keep) >= 1 ? kept : 0; // 0: dropped (written: the worker's buffer is reused)
  }
}

/**
 * The multiplier tf.dropout(x, rate, undefined, seed) applies, value for value: tf.dropout draws
 * u = tf.randomUniform(shape, 0, 1, 'float32', seed) in JavaScript (seedrandom's alea, ~10× slower than this
 * loop through its per-value method calls; ~0.7 s of a SmolLM2-135M step at 128 tokens), then computes
 * floor(u + keep) / keep in float32. Here the same alea sequence runs inline and the float32 arithmetic is
 * reproduced with Math.fround, so the masks — and the training run — are identical
 * (test/unit/training/fast-paths.test.ts compares them with tf.dropout's). `scale` multiplies the kept values
 * (a LoRA layer folds its alpha / r in, saving a multiply and its gradient per adapted projection).
 */
export function dropoutMultiplier(shape: number[], rate: number, seed: number, scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const ahead = prefetcher.take(rate, scale, [seed], size);
  if (ahead) return tf.tensor(ahead, shape, 'float32');
  const out = new Float32Array(size);
  fillMultiplier(out, 0, size, rate, seed, scale);
  return tf.tensor(out, shape, 'float32');
}

/**
 * The multipliers of several seeds stacked, [seeds.length, ...shape]: entry g equals dropoutMultiplier(shape, rate,
 * seeds[g], scale), in one tensor (one upload; the fused LoRA projections apply them with one multiply).
 */
export function dropoutMultipliers(shape: number[], rate: number, seeds: number[], scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const ahead = prefetcher.take(rate, scale, seeds, size);
  if (ahead) return tf.tensor(ahead, [seeds.length, ...shape], 'float32');
  const out = new Float32Array(size * seeds.length);
  seeds.forEach((seed, g) => fillMultiplier(out, g * size, size, rate, seed, scale));
  return tf.tensor(out, [seeds.length, ...shape], 'float32');
}

const prefetcher = new MaskPrefetcher(fillMultiplier, [aleaState]);

/**
 * Starts drawing the multipliers of `requests` (dropoutMultiplier's rate and scale) on a worker thread; the
 * dropoutMultiplier(s) calls that ask for them then take them from there (same values), others draw their own.
 */
export function prefetchDropout(rate: number, scale: number, requests: MaskRequest[]): void {
  prefetcher.prefetch(rate, scale, requests);
}

/** How many multipliers were asked for as prefetched so far (`taken`), and how many of those the worker had made. */
export function prefetchedDropouts(): { taken: number; byWorker: number } {
  return { taken: prefetcher.hits, byWorker: prefetcher.byWorker };
}

/** tf.dropout(x, rate, undefined, seed) · scale, with the mask made by `dropoutMultiplier`. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, seed: number, scale = 1): T {
  return tf.tidy(() => tf.mul(x, dropoutMultiplier(x.shape, rate, seed, scale))) as T;
}
