/**
 * The fused projections of a frozen base (training/model/llama.ts: joinedLinear, attentionInputs): q|k|v and
 * gate|up each one matMul against concatenated weights, their LoRA paths batched, q/k/v rotated and transposed as
 * one tensor, the residual stream kept 2-D. Compared with the per-module path, which training the base itself
 * (trainBase) still takes: the same loss and the same LoRA gradients within float rounding, with the same dropout
 * masks, on the llama family's variants (Qwen2's qkv bias, Qwen3's q/k norm, partial target sets).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropoutMultiplier, dropoutMultipliers, prefetchDropout, prefetchedDropouts } from '../../../training/internal/dropout.js';
import { adapterVariables, createAdapter, disposeAdapter, mergeAdapter, unmergeAdapter } from '../../../training/lora/adapter.js';
import { LoraConfigSchema, type LoraTarget } from '../../../training/lora/config.js';
import type { HfLlamaConfig } from '../../../training/model/config.js';
import { attention, causalMask } from '../../../training/model/layers.js';
import { forwardLogits, type LlamaModel } from '../../../training/model/llama.js';
import { batchLoss } from '../../../training/model/loss.js';
import type { Batch } from '../../../training/trainer/data.js';
import { maxAbsDiff, microModel, useWasm } from './helpers.js';

beforeAll(useWasm);

const B = 2;
const T = 6;
function batchFor(vocab: number): Batch {
  const row = (b: number) => Array.from({ length: T + 1 }, (_, t) => (b * 11 + t * 7 + 3) % vocab);
  const rows = [row(0), row(1)];
  return { inputs: rows.map((r) => r.slice(0, T)), targets: rows.map((r) => r.slice(1)), mask: rows.map((_, b) => Array.from({ length: T }, (_, t) => (b === 1 && t === 0 ? 0 : 1))), tokens: B * T };
}

/** Loss and LoRA gradients, on the fused path (frozen base) or the per-module one (trainBase; gradients taken towards the LoRA tensors only). */
function lossAndGrads(model: LlamaModel, targets: LoraTarget[], perModule: boolean, dropout: number, seed: number | undefined, checkpointing = false): { loss: number; grads: Float32Array[] } {
  const adapter = createAdapter(model.config, LoraConfigSchema.parse({ rank: 4, alpha: 8, dropout, targets }), 5);
  // B starts at zero (PEFT's init): make it non-zero so the LoRA path contributes to the loss and to A's gradient
  tf.tidy(() => adapter.modules.forEach((m) => m.B.assign(tf.randomNormal(m.B.shape, 0, 0.3, 'float32', m.name.length))));
  const vars = adapterVariables(adapter);
  const { value, grads } = tf.variableGrads(() => batchLoss(model, batchFor(model.config.vocabSize), { lora: adapter, trainBase: perModule, dropoutSeed: seed, gradientCheckpointing: checkpointing }), vars);
  const out = { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync() as Float32Array) };
  tf.dispose([value, ...Object.values(grads)]);
  disposeAdapter(adapter);
  return out;
}

function expectSame(got: ReturnType<typeof lossAndGrads>, want: ReturnType<typeof lossAndGrads>): void {
  expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-5 * Math.abs(want.loss));
  expect(got.grads.length).toBe(want.grads.length);
  const scale = Math.max(...want.grads.map((g) => Math.max(...Array.from(g, Math.abs))));
  expect(scale).toBeGreaterThan(1e-3); // the comparison is not of zeros
  for (let i = 0; i < want.grads.length; i++) expect(maxAbsDiff(got.grads[i]!, want.grads[i]!) / scale).toBeLessThan(2e-5);
}

const VARIANTS: Array<[string, Partial<HfLlamaConfig>]> = [
  ['llama', {}],
  ['qwen2 (q, k, v biases)', { model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'] }],
  ['qwen3 (q/k norm)', { model_type: 'qwen3', architectures: ['Qwen3ForCausalLM'], head_dim: 4 }],
  ['mistral (sliding window)', { model_type: 'mistral', architectures: ['MistralForCausalLM'], sliding_window: 3 }],
];

describe('fused projections of a frozen base equal the per-module path', () => {
  for (const [label, overrides] of VARIANTS) {
    it(`${label}: loss and LoRA gradients, with and without dropout, all targets and a partial set`, () => {
      const model = microModel(overrides);
      if (overrides.model_type === 'qwen2') {
        expect(model.params.has('model.layers.0.self_attn.k_proj.bias')).toBe(true);
        // the biases start at zero: make them count
        tf.tidy(() => model.params.forEach((v, n) => n.endsWith('_proj.bias') && v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', n.length))));
      }
      for (const targets of [['q', 'k', 'v', 'o', 'gate', 'up', 'down'], ['q', 'v'], ['k', 'up']] as LoraTarget[][]) {
        for (const [dropout, seed] of [[0, undefined], [0.3, 41]] as const) {
          expectSame(lossAndGrads(model, targets, false, dropout, seed), lossAndGrads(model, targets, true, dropout, seed));
        }
      }
      model.dispose();
    });
  }

  it('with checkpointed layers too (the recomputation takes the fused path with the same masks)', () => {
    const model = microModel();
    const targets: LoraTarget[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];
    expectSame(lossAndGrads(model, targets, false, 0.3, 7, true), lossAndGrads(model, targets, true, 0.3, 7));
    model.dispose();
  });

  it('dropout changes the loss (the masks are applied), and a training forward pass asks for every mask as prefetched', () => {
    const model = microModel();
    const targets: LoraTarget[] = ['q', 'k', 'v', 'gate', 'up'];
    const plain = lossAndGrads(model, targets, false, 0, undefined).loss;
    const hits = prefetchedDropouts();
    const dropped = lossAndGrads(model, targets, false, 0.3, 41).loss;
    expect(prefetchedDropouts().taken - hits.taken).toBe(model.config.layers * targets.length);
    expect(Math.abs(dropped - plain)).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it('one matMul per joined projection: a forward pass runs 4 base matMuls per layer instead of 7', () => {
    const model = microModel();
    const count = (trainBase: boolean) => {
      const names: string[] = [];
      const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
      const runKernel = engine.runKernel.bind(engine);
      engine.runKernel = (name: string, ...rest: unknown[]) => (names.push(name), runKernel(name, ...rest));
      try {
        tf.tidy(() => forwardLogits(model, tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32'), { trainBase }));
      } finally {
        engine.runKernel = runKernel;
      }
      return names.filter((n) => n === 'BatchMatMul').length;
    };
    const L = model.config.layers;
    expect(count(true)).toBe(L * (7 + 2) + 1); // 7 projections, 2 in attention, the head
    expect(count(false)).toBe(L * (4 + 2) + 1);
    model.dispose();
  });

  it('the joined weights follow the base: a merge (assign) shows in the next forward pass', () => {
    const model = microModel();
    const adapter = createAdapter(model.config, LoraConfigSchema.parse({ rank: 4, alpha: 8, dropout: 0 }), 2);
    tf.tidy(() => adapter.modules.forEach((m) => m.B.assign(tf.randomNormal(m.B.shape, 0, 0.3, 'float32', 9))));
    const ids = tf.tensor2d([[1, 5, 2, 7, 3]], [1, 5], 'int32');
    const logits = (o: Parameters<typeof forwardLogits>[2]) => tf.tidy(() => forwardLogits(model, ids, o).dataSync());
    const unmerged = logits({ lora: adapter });
    const base = logits({});
    mergeAdapter(model, adapter);
    const merged = logits({ lora: adapter }); // merged: the base weights carry the deltas, the LoRA path is off
    const mergedRef = logits({ lora: adapter, trainBase: true });
    unmergeAdapter(model, adapter);
    expect(maxAbsDiff(base, unmerged)).toBeGreaterThan(1e-3); // the adapter moves the logits
    expect(maxAbsDiff(merged, mergedRef)).toBeLessThan(1e-5);
    expect(maxAbsDiff(merged, unmerged)).toBeLessThan(1e-4);
    expect(maxAbsDiff(logits({}), base)).toBeLessThan(1e-5); // unmerged again: the joined weights were rebuilt
    ids.dispose();
    disposeAdapter(adapter);
    model.dispose();
  });

  it('no tensors leak across fused training steps (the joined weights are made once)', () => {
    const model = microModel();
    const targets: LoraTarget[] = ['q', 'k', 'v', 'gate', 'up'];
    lossAndGrads(model, targets, false, 0.3, 1);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) lossAndGrads(model, targets, false, 0.3, 2 + s);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('pieces of the fused path', () => {
  it('stacked dropout multipliers are the per-seed ones', () => {
    const seeds = [3, 4, 99];
    const got = dropoutMultipliers([5, 7], 0.2, seeds, 1.5);
    expect(got.shape).toEqual([3, 5, 7]);
    const want = tf.stack(seeds.map((s) => dropoutMultiplier([5, 7], 0.2, s, 1.5)));
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
    tf.dispose([got, want]);
  });

  it('multipliers drawn ahead on the worker thread are the inline ones, taken only when asked for as drawn', async () => {
    const [rate, scale, shape] = [0.25, 2, [6, 9]];
    const inline = (seeds: number[]) => {
      prefetchDropout(rate, scale, []); // nothing ahead: drawn here
      const t = dropoutMultipliers(shape, rate, seeds, scale);
      const v = Array.from(t.dataSync());
      t.dispose();
      return v;
    };
    const want = inline([11, 12, 13]);
    const wantOne = inline([14]);
    prefetchDropout(rate, scale, [11, 12, 13, 14].map((seed) => ({ seed, size: 54 })));
    const hits = prefetchedDropouts();
    await new Promise((r) => setTimeout(r, 300)); // the worker has made them by now (216 values)
    const got = dropoutMultipliers(shape, rate, [11, 12, 13], scale);
    const gotOne = dropoutMultiplier(shape, rate, 14, scale);
    expect(prefetchedDropouts().taken - hits.taken).toBe(4);
    expect(prefetchedDropouts().byWorker - hits.byWorker).toBe(4); // the values compared are the worker's
    expect(Array.from(got.dataSync())).toEqual(want);
    expect(Array.from(gotOne.dataSync())).toEqual(wantOne);
    // another shape, rate or order than requested: drawn inline, same values as ever
    const other = dropoutMultipliers([3, 9], rate, [11, 12], scale);
    const swapped = dropoutMultipliers(shape, rate, [12, 11], scale);
    expect(prefetchedDropouts().taken - hits.taken).toBe(4);
    expect(Array.from(swapped.dataSync())).toEqual([...want.slice(54, 108), ...want.slice(0, 54)]);
    // the next forward pass's requests reuse the shared buffer: every value is written again (dropped ones too)
    const wantNext = inline([21, 22]);
    prefetchDropout(rate, scale, [{ seed: 11, size: 54 }, { seed: 12, size: 54 }, { seed: 13, size: 54 }, { seed: 14, size: 54 }]);
    dropoutMultipliers(shape, rate, [11, 12, 13, 14], scale).dispose();
    prefetchDropout(rate, scale, [21, 22].map((seed) => ({ seed, size: 54 })));
    await new Promise((r) => setTimeout(r, 300));
    const next = dropoutMultipliers(shape, rate, [21, 22], scale);
    expect(Array.from(next.dataSync())).toEqual(wantNext);
    tf.dispose([got, gotOne, other, swapped, next]);
  });

  it('attention with a [B, 1, 1, Tq, Tk] mask (generation\'s left padding) equals repeated kv heads and plain softmax', () => {
    const [Bq, nh, nkv, Tq, hs] = [2, 4, 2, 5, 3];
    const q = tf.randomNormal([Bq, nh, Tq, hs], 0, 1, 'float32', 1) as tf.Tensor4D;
    const k = tf.randomNormal([Bq, nkv, Tq, hs], 0, 1, 'float32', 2) as tf.Tensor4D;
    const v = tf.randomNormal([Bq, nkv, Tq, hs], 0, 1, 'float32', 3) as tf.Tensor4D;
    const causal = causalMask(Tq, Tq).arraySync();
    const mask = tf.tensor(Array.from({ length: Bq }, (_, b) => [[causal.map((row) => row.map((m, j) => (b === 1 && j === 0 ? -1e9 : m)))]]), [Bq, 1, 1, Tq, Tq]);
    const got = attention(q, k, v, mask).dataSync();
    const want = tf.tidy(() => {
      const rep = (t: tf.Tensor4D) => tf.reshape(tf.tile(tf.expandDims(t, 2), [1, 1, nh / nkv, 1, 1]), [Bq, nh, Tq, hs]);
      const s = tf.add(tf.div(tf.matMul(q, rep(k), false, true), Math.sqrt(hs)), tf.reshape(mask, [Bq, 1, Tq, Tq]));
      return tf.matMul(tf.softmax(s, -1), rep(v)).dataSync();
    });
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    tf.dispose([q, k, v, mask]);
  });
});
