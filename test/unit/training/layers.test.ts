import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mm } from '../../../training/internal/matmul.js';
import { applyRope, attention, causalMask, MASKED, rmsNorm, ropeTables, swiglu } from '../../../training/model/layers.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { maxAbsDiff, microModel, useWasm } from './helpers.js';

beforeAll(useWasm);

describe('layers against hand-computed values', () => {
  it('RMSNorm: x / sqrt(mean(x²)+eps) · w', () => {
    const y = rmsNorm(tf.tensor2d([[3, 4]]), tf.tensor1d([1, 2]), 0).arraySync() as number[][];
    const rms = Math.sqrt((9 + 16) / 2);
    expect(y[0]![0]).toBeCloseTo(3 / rms, 5);
    expect(y[0]![1]).toBeCloseTo((4 / rms) * 2, 5);
  });

  it('RoPE rotates (x1, x2) by pos·θ^0 and is the identity at position 0', () => {
    const { cos, sin } = ropeTables([[0, 3]], 2, 10000);
    const x = tf.tensor4d([1, 2, 1, 2], [1, 2, 1, 2]); // [B, T, h, hs]
    const y = applyRope(x, cos, sin).arraySync() as number[][][][];
    expect(y[0]![0]![0]).toEqual([1, 2].map((v) => expect.closeTo(v, 6)));
    const a = 3; // pos 3 · inv_freq 1
    expect(y[0]![1]![0]![0]).toBeCloseTo(1 * Math.cos(a) - 2 * Math.sin(a), 5);
    expect(y[0]![1]![0]![1]).toBeCloseTo(2 * Math.cos(a) + 1 * Math.sin(a), 5);
  });

  it('RoPE uses θ^(-2i/hs) on the second frequency (hs = 4)', () => {
    const { cos } = ropeTables([[5]], 4, 100);
    const c = cos.dataSync();
    expect(c[1]).toBeCloseTo(Math.cos(5 / 10), 5); // 100^(-2/4) = 0.1
    expect(c[3]).toBeCloseTo(Math.cos(5 / 10), 5);
  });

  it('causal mask hides the future, also with cached keys', () => {
    expect(causalMask(2, 2).arraySync()).toEqual([[0, MASKED], [0, 0]]);
    expect(causalMask(1, 3).arraySync()).toEqual([[0, 0, 0]]);
  });

  it('SwiGLU: silu(g)·u', () => {
    const y = swiglu(tf.tensor1d([1, -2]), tf.tensor1d([3, 0.5])).dataSync();
    const silu = (v: number) => v / (1 + Math.exp(-v));
    expect(y[0]).toBeCloseTo(silu(1) * 3, 5);
    expect(y[1]).toBeCloseTo(silu(-2) * 0.5, 5);
  });

  it('attention: the first query sees only the first key; GQA equals repeated kv heads', () => {
    const B = 1, nh = 4, nkv = 2, T = 3, hs = 2;
    const q = tf.randomNormal([B, nh, T, hs], 0, 1, 'float32', 1) as tf.Tensor4D;
    const k = tf.randomNormal([B, nkv, T, hs], 0, 1, 'float32', 2) as tf.Tensor4D;
    const v = tf.randomNormal([B, nkv, T, hs], 0, 1, 'float32', 3) as tf.Tensor4D;
    const out = attention(q, k, v, causalMask(T, T)).arraySync() as number[][][][];
    const qa = q.arraySync()[0]!, ka = k.arraySync()[0]!, va = v.arraySync()[0]!;
    for (let h = 0; h < nh; h++) {
      const kv = Math.floor(h / (nh / nkv)); // HF repeat_kv: head h uses kv head h // g
      for (let t = 0; t < T; t++) {
        const s = Array.from({ length: t + 1 }, (_, j) => (qa[h]![t]![0]! * ka[kv]![j]![0]! + qa[h]![t]![1]! * ka[kv]![j]![1]!) / Math.sqrt(hs));
        const mx = Math.max(...s);
        const e = s.map((x) => Math.exp(x - mx));
        const z = e.reduce((a, b) => a + b);
        for (let d = 0; d < hs; d++) {
          const want = e.reduce((acc, w, j) => acc + (w / z) * va[kv]![j]![d]!, 0);
          expect(out[0]![h]![t]![d]).toBeCloseTo(want, 5);
        }
      }
      expect(out[0]![h]![0]).toEqual(va[kv]![0]!.map((x) => expect.closeTo(x, 5)));
    }
  });

  it('mm: explicit-transpose gradients equal the stock matMul gradients', () => {
    const a = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 4);
    const b = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 5);
    const f1 = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(mm(x, y))));
    const f2 = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))));
    const [g1a, g1b] = f1([a, b]);
    const [g2a, g2b] = f2([a, b]);
    expect(maxAbsDiff(g1a!.dataSync(), g2a!.dataSync())).toBeLessThan(1e-4);
    expect(maxAbsDiff(g1b!.dataSync(), g2b!.dataSync())).toBeLessThan(1e-4);
  });

  it('the model is causal: changing a later token leaves earlier logits unchanged', () => {
    const m = microModel();
    const a = tf.tidy(() => forwardLogits(m, tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32')).arraySync());
    const b = tf.tidy(() => forwardLogits(m, tf.tensor2d([[1, 2, 3, 9]], [1, 4], 'int32')).arraySync());
    expect(maxAbsDiff(a[0]!.slice(0, 3).flat(), b[0]!.slice(0, 3).flat())).toBeLessThan(1e-6);
    expect(maxAbsDiff(a[0]![3]!, b[0]![3]!)).toBeGreaterThan(1e-4);
    m.dispose();
  });

  it('Qwen2-style q/k/v biases and untied lm_head are loaded and used', () => {
    const m = microModel({ model_type: 'qwen2', tie_word_embeddings: false });
    expect(m.params.has('model.layers.0.self_attn.q_proj.bias')).toBe(true);
    expect(m.params.has('model.layers.0.self_attn.o_proj.bias')).toBe(false);
    expect(m.params.has('lm_head.weight')).toBe(true);
    const ids = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    const before = tf.tidy(() => forwardLogits(m, ids).dataSync());
    m.p('model.layers.0.self_attn.v_proj.bias').assign(tf.onesLike(m.p('model.layers.0.self_attn.v_proj.bias')));
    const after = tf.tidy(() => forwardLogits(m, ids).dataSync());
    expect(maxAbsDiff(before, after)).toBeGreaterThan(1e-4);
    m.dispose();
  });
});
