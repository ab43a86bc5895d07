/**
 * The training step's fast paths against the straightforward computations they replace (bench/train.ts measures
 * the speed): dropout masks, the fused cross-entropy, the flat AdamW update and the trainer's flat gradient
 * accumulation and clipping. The native backend's own paths (plain matMul, the tied head read transposed) are
 * compared with wasm's in native.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropout, dropoutMultiplier } from '../../../training/internal/dropout.js';
import { adapterVariables, createAdapter, disposeAdapter } from '../../../training/lora/adapter.js';
import { LoraConfigSchema } from '../../../training/lora/config.js';
import { applyRope, rmsNorm, ropeTables } from '../../../training/model/layers.js';
import { loraDelta } from '../../../training/model/llama.js';
import { batchLoss, maskedCrossEntropy } from '../../../training/model/loss.js';
import { runTraining } from '../../../training/trainer.js';
import { AdamW } from '../../../training/trainer/adamw.js';
import { TrainerConfigSchema } from '../../../training/trainer/config.js';
import { type Batch, type BatchSource, packedSource } from '../../../training/trainer/data.js';
import { learningRate } from '../../../training/trainer/schedule.js';
import { mixSeed } from '../../../training/internal/rng.js';
import { maxAbsDiff, microModel, useWasm } from './helpers.js';

beforeAll(useWasm);

/** The cross-entropy as it was: log-softmax, a one-hot product, autodiff through both. */
function referenceCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits, -1); // [N, V]
    const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(targets, logits.shape[1])), -1)); // [N]
    return tf.div(tf.sum(tf.mul(nll, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

/** AdamW one parameter at a time, as it was (and as PyTorch writes it). */
class ReferenceAdamW {
  t = 0;
  readonly m = new Map<string, tf.Tensor>();
  readonly v = new Map<string, tf.Tensor>();
  constructor(readonly params: Map<string, tf.Variable>, readonly wd: number) {
    for (const [n, p] of params) {
      this.m.set(n, tf.zerosLike(p));
      this.v.set(n, tf.zerosLike(p));
    }
  }
  step(grads: Map<string, tf.Tensor>, lr: number): void {
    this.t += 1;
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const bc1 = 1 - Math.pow(b1, this.t);
    const bc2 = 1 - Math.pow(b2, this.t);
    for (const [n, p] of this.params) {
      const g = grads.get(n)!;
      const [m1, v1] = tf.tidy(() => [tf.add(tf.mul(this.m.get(n)!, b1), tf.mul(g, 1 - b1)), tf.add(tf.mul(this.v.get(n)!, b2), tf.mul(tf.square(g), 1 - b2))]);
      tf.dispose([this.m.get(n)!, this.v.get(n)!]);
      this.m.set(n, m1!);
      this.v.set(n, v1!);
      tf.tidy(() => {
        const decayed = this.wd > 0 && p.rank >= 2 ? tf.mul(p, 1 - lr * this.wd) : p;
        p.assign(tf.sub(decayed, tf.mul(tf.div(tf.div(m1!, bc1), tf.add(tf.sqrt(tf.div(v1!, bc2)), eps)), lr)));
      });
    }
  }
  dispose(): void {
    tf.dispose([...this.m.values(), ...this.v.values()]);
  }
}

function paramsOf(seed: number): Map<string, tf.Variable> {
  return new Map([
    ['w', tf.variable(tf.randomNormal([5, 3], 0, 1, 'float32', seed))],
    ['bias', tf.variable(tf.randomNormal([3], 0, 1, 'float32', seed + 1))],
    ['u', tf.variable(tf.randomNormal([2, 4], 0, 1, 'float32', seed + 2))],
  ]);
}

describe('training fast paths equal the computations they replace', () => {
  it('dropout masks are tf.dropout\'s, value for value (so a run trains identically)', () => {
    for (const [rate, seed, shape] of [[0.05, 5, [64, 72]], [0.3, 123_456_789, [7, 33]], [0.1, 0, [1000]], [0.5, 2_147_483_647, [3, 4, 5]]] as const) {
      tf.tidy(() => {
        const x = tf.randomNormal([...shape], 0, 1, 'float32', 3);
        const want = tf.dropout(x, rate, undefined, seed).dataSync();
        const got = dropout(x, rate, seed).dataSync();
        expect(Array.from(got)).toEqual(Array.from(want));
        const kept = Array.from(dropoutMultiplier([...shape], rate, seed).dataSync()).filter((v) => v > 0).length;
        expect(kept).toBeGreaterThan(0);
        expect(kept).toBeLessThan(want.length); // something was dropped: the comparison is not of two all-ones masks
      });
    }
  });

  it('the LoRA path with the scaling folded into the dropout mask: value and gradients of s·(tf.dropout(x)·A·B)', () => {
    const x = tf.randomNormal([9, 12], 0, 1, 'float32', 1) as tf.Tensor2D;
    const a = tf.randomNormal([12, 3], 0, 0.5, 'float32', 2);
    const b = tf.randomNormal([3, 7], 0, 0.5, 'float32', 3);
    for (const seed of [undefined, 17]) {
      const grads = (f: (x: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
        tf.tidy(() => {
          const { value, grads: gs } = tf.valueAndGrads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs[0]!, xs[1]!, xs[2]!), tf.range(0, 63).reshape([9, 7]))))([x, a, b]);
          return [value.dataSync()[0]!, ...gs.map((g) => Array.from(g.dataSync()))] as const;
        });
      const got = grads((xx, aa, bb) => loraDelta(xx as tf.Tensor2D, aa, bb, 2.5, 0.3, seed));
      const want = grads((xx, aa, bb) => tf.mul(tf.matMul(tf.matMul(seed === undefined ? xx : tf.dropout(xx, 0.3, undefined, seed), aa), bb), 2.5));
      expect(Math.abs(got[0] - want[0]) / Math.abs(want[0])).toBeLessThan(1e-6);
      for (let i = 1; i < 4; i++) {
        const scale = Math.max(...(want[i] as number[]).map(Math.abs));
        expect(scale).toBeGreaterThan(0.1);
        expect(maxAbsDiff(got[i] as number[], want[i] as number[]) / scale).toBeLessThan(1e-5);
      }
    }
    tf.dispose([x, a, b]);
  });

  it('RMSNorm with a frozen weight: autodiff\'s values, and its gradient towards x within float rounding', () => {
    const x = tf.randomNormal([2, 5, 16], 0, 2, 'float32', 11);
    const w = tf.randomNormal([16], 1, 0.3, 'float32', 12) as tf.Tensor1D;
    const dy = tf.randomNormal([2, 5, 16], 0, 1, 'float32', 13);
    expect(Array.from(rmsNorm(x, w, 1e-5, true).dataSync())).toEqual(Array.from(rmsNorm(x, w, 1e-5).dataSync()));
    const g = (frozen: boolean) => tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(rmsNorm(xx, w, 1e-5, frozen), dy)))(x).dataSync();
    const want = g(false);
    expect(Math.max(...Array.from(want, Math.abs))).toBeGreaterThan(0.1);
    expect(maxAbsDiff(g(true), want)).toBeLessThan(1e-5);
    tf.dispose([x, w, dy]);
  });

  it('RoPE by a reverse of the halves gives rotate_half\'s values and gradients (slice, negate, concatenate)', () => {
    const hs = 8;
    const { cos, sin } = ropeTables([[0, 1, 5, 9]], hs, 100); // sin: first half −sin
    const plainSin = tf.concat([tf.neg(tf.slice(sin, [0, 0, 0, 0], [-1, -1, -1, hs / 2])), tf.slice(sin, [0, 0, 0, hs / 2], [-1, -1, -1, hs / 2])], 3);
    const reference = (x: tf.Tensor4D) => {
      const x1 = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, hs / 2]);
      const x2 = tf.slice(x, [0, 0, 0, hs / 2], [-1, -1, -1, hs / 2]);
      return tf.add(tf.mul(x, cos), tf.mul(tf.concat([tf.neg(x2), x1], 3), plainSin));
    };
    const x = tf.randomNormal([1, 4, 3, hs], 0, 1, 'float32', 6) as tf.Tensor4D;
    const w = tf.randomNormal([1, 4, 3, hs], 0, 1, 'float32', 7);
    expect(Array.from(applyRope(x, cos, sin).dataSync())).toEqual(Array.from(reference(x).dataSync()));
    const g = (f: (x: tf.Tensor4D) => tf.Tensor) => Array.from(tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor4D), w)))(x).dataSync());
    expect(g((xx) => applyRope(xx, cos, sin))).toEqual(g(reference));
    tf.dispose([cos, sin, plainSin, x, w]);
  });

  it('the fused cross-entropy gives the log-softmax/one-hot loss and gradient', () => {
    const logits = tf.randomNormal([6, 37], 0, 3, 'float32', 8) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 36, 5, 5, 17, 2], 'int32');
    const mask = tf.tensor1d([1, 1, 0, 1, 1, 0]);
    const [lf, gf] = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => maskedCrossEntropy(x as tf.Tensor2D, targets, mask))([logits]);
      return [value.dataSync()[0]!, grads[0]!.dataSync()] as const;
    });
    const [lr, gr] = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => referenceCrossEntropy(x as tf.Tensor2D, targets, mask))([logits]);
      return [value.dataSync()[0]!, grads[0]!.dataSync()] as const;
    });
    expect(Math.abs(lf - lr)).toBeLessThan(1e-5);
    expect(Math.max(...Array.from(gr, Math.abs))).toBeGreaterThan(0.01);
    expect(maxAbsDiff(gf, gr)).toBeLessThan(1e-6);
    tf.dispose([logits, targets, mask]);
  });

  it('the flat AdamW update is the per-parameter one (decay on matrices only), and its moments checkpoint by name', () => {
    const flatParams = paramsOf(1);
    const refParams = paramsOf(1);
    const adam = new AdamW(flatParams, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
    const ref = new ReferenceAdamW(refParams, 0.1);
    for (let s = 0; s < 4; s++) {
      const grads = new Map([...flatParams].map(([n, p], i) => [n, tf.randomNormal(p.shape, 0, 1, 'float32', 50 + 10 * s + i)]));
      adam.step(grads, 0.01 * (s + 1));
      ref.step(grads, 0.01 * (s + 1));
      tf.dispose([...grads.values()]);
      if (s === 1) {
        // a parameter assigned between updates (resume, restoring the best weights): the next update starts from it
        for (const ps of [flatParams, refParams]) tf.tidy(() => ps.get('u')!.assign(tf.fill([2, 4], 0.5)));
      }
    }
    for (const [n, p] of flatParams) expect(Array.from(p.dataSync()), n).toEqual(Array.from(refParams.get(n)!.dataSync()));
    const state = adam.stateTensors();
    for (const n of flatParams.keys()) {
      expect(Array.from(state.get(`m.${n}`)!.dataSync())).toEqual(Array.from(ref.m.get(n)!.dataSync()));
      expect(state.get(`v.${n}`)!.shape).toEqual(ref.v.get(n)!.shape);
    }
    // loading them back into a fresh optimizer continues identically
    const again = new AdamW(flatParams, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
    again.loadState(adam.t, state);
    const g = new Map([...flatParams].map(([n, p]) => [n, tf.onesLike(p)]));
    adam.step(g, 0.01);
    const afterA = [...flatParams.values()].map((p) => Array.from(p.dataSync()));
    ref.step(g, 0.01);
    expect(afterA).toEqual([...refParams.values()].map((p) => Array.from(p.dataSync())));
    tf.dispose([...state.values(), ...g.values()]);
    for (const o of [adam, again, ref]) o.dispose();
    tf.dispose([...flatParams.values(), ...refParams.values()]);
  });

  it('runTraining (accumulation over 2 micro-batches, clipping) updates LoRA as the per-tensor loop does', async () => {
    const m = microModel({}, 9);
    const docs = Array.from({ length: 12 }, (_, i) => Array.from({ length: 30 }, (_, j) => ((i * 5 + j * 7) % 45) + 3));
    const source: BatchSource = packedSource(docs, 12, 2, 2, 0);
    const config = TrainerConfigSchema.parse({ steps: 3, batchSize: 2, seqLen: 12, gradAccum: 2, learningRate: 5e-3, warmupSteps: 1, clipNorm: 0.05, evalEvery: 0, checkpointEvery: 0, seed: 3 });
    const lora = LoraConfigSchema.parse({ rank: 2, alpha: 4, dropout: 0.1 });
    const run = createAdapter(m.config, lora, 4);
    const refAd = createAdapter(m.config, lora, 4);
    const loss = (ad: typeof run) => (b: Batch, seed: number | undefined) => batchLoss(m, b, { lora: ad, dropoutSeed: seed });
    const trainables = new Map(adapterVariables(run).map((v, i) => [`p${i}`, v]));
    const r = await runTraining({ trainables, source, loss: loss(run) }, { config });

    // the same three steps one tensor at a time: scale each micro-batch's gradients, sum, clip by the global norm
    const refVars = new Map(adapterVariables(refAd).map((v, i) => [`p${i}`, v]));
    const nameOf = new Map([...refVars].map(([n, v]) => [v.name, n]));
    const ref = new ReferenceAdamW(refVars, 0);
    let clipped = 0;
    for (let step = 0, pos = 0; step < config.steps; step++) {
      const acc = new Map<string, tf.Tensor>();
      for (let micro = 0; micro < config.gradAccum; micro++, pos++) {
        const { value, grads } = tf.variableGrads(() => loss(refAd)(source.batch(pos), mixSeed(config.seed, step, micro)), [...refVars.values()]);
        value.dispose();
        for (const [vn, g] of Object.entries(grads)) {
          const n = nameOf.get(vn)!;
          const prev = acc.get(n);
          acc.set(n, tf.tidy(() => (prev ? tf.add(prev, tf.mul(g, 1 / config.gradAccum)) : tf.mul(g, 1 / config.gradAccum))));
          tf.dispose([g, ...(prev ? [prev] : [])]);
        }
      }
      const norm = tf.tidy(() => tf.sqrt(tf.addN([...acc.values()].map((g) => tf.sum(tf.square(g)))))).dataSync()[0]!;
      if (norm > config.clipNorm) {
        clipped++;
        for (const [n, g] of acc) {
          acc.set(n, tf.mul(g, config.clipNorm / (norm + 1e-6)));
          g.dispose();
        }
      }
      ref.step(acc, learningRate(step, config));
      tf.dispose([...acc.values()]);
    }
    expect(clipped).toBeGreaterThan(0); // the clipping path ran
    expect(r.steps).toBe(3);
    const runVars = [...trainables.values()];
    const refList = [...refVars.values()];
    for (let i = 0; i < runVars.length; i++) {
      const want = refList[i]!.dataSync();
      const scale = Math.max(1e-3, ...Array.from(want, Math.abs));
      // 2e-5: Adam divides by √v, so where a summed gradient nearly cancels (g1 ≈ −g2) the summation order's rounding shows
      expect(maxAbsDiff(runVars[i]!.dataSync(), want) / scale, runVars[i]!.name).toBeLessThan(2e-5);
    }
    ref.dispose();
    disposeAdapter(run);
    disposeAdapter(refAd);
    m.dispose();
  });
});
