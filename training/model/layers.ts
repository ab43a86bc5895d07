import * as tf from '@tensorflow/tfjs';
import { mm, mmT } from '../internal/matmul.js';
import type { RopeScaling } from './config.js';

/** Value added to masked attention scores: finite, so a fully masked (padding) row gives no NaN. */
export const MASKED = -1e9;

/**
 * RMSNorm (LLaMA): x / sqrt(mean(x²) + eps) · w, over the last axis. With `frozenWeight` (LoRA: the norm's weight
 * gets no gradient) the same forward ops, and the gradient towards x written out,
 * dx = r·g − x·(r³/d)·Σ(g·x) with g = dy·w and r = 1/sqrt(mean(x²) + eps): ~8 ops instead of autodiff's ~16
 * through rsqrt, mean and square (61 norms per SmolLM2 step), equal within float rounding
 * (test/unit/training/fast-paths.test.ts).
 */
export function rmsNorm(x: tf.Tensor, w: tf.Tensor1D, eps: number, frozenWeight = false): tf.Tensor {
  if (!frozenWeight) {
    return tf.tidy(() => {
      const ms = tf.mean(tf.square(x), -1, true); // [..., 1]
      return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w); // [..., d]
    });
  }
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(xx), -1, true), eps)); // [..., 1]
    save([xx, r]);
    return {
      value: tf.mul(tf.mul(xx, r), w), // [..., d]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sr] = saved as [tf.Tensor, tf.Tensor];
        const d = sx.shape[sx.rank - 1]!;
        const g = tf.mul(dy, w); // [..., d]
        const t = tf.sum(tf.mul(g, sx), -1, true); // [..., 1]
        const s = tf.mul(t, tf.mul(tf.mul(tf.mul(sr, sr), sr), 1 / d)); // [..., 1]: Σ(g·x)·r³/d
        return tf.sub(tf.mul(g, sr), tf.mul(sx, s)); // [..., d]
      },
    };
  });
  return f(x);
}

/**
 * RoPE inverse frequencies as HF computes them (float32): inv_freq_i = θ^(-2i/hs), then scaled.
 * llama3 (Llama 3.1/3.2, transformers `_compute_llama3_parameters`): wavelengths longer than
 * original_max_position_embeddings / low_freq_factor are divided by factor, shorter than
 * … / high_freq_factor kept, and those in between interpolated smoothly. linear: all divided by factor.
 */
export function ropeInvFreq(headDim: number, theta: number, scaling: RopeScaling = { kind: 'default' }): number[] {
  const f = Math.fround;
  const inv = Array.from({ length: headDim / 2 }, (_, i) => f(1 / f(Math.pow(theta, f((2 * i) / headDim)))));
  if (scaling.kind === 'default') return inv;
  if (scaling.kind === 'linear') return inv.map((x) => f(x / scaling.factor));
  const { factor, lowFreqFactor: low, highFreqFactor: high, originalMaxPositions: old } = scaling;
  const lowWavelen = old / low;
  const highWavelen = old / high;
  return inv.map((x) => {
    const wavelen = f((2 * Math.PI) / x);
    const scaled = wavelen > lowWavelen ? f(x / factor) : x;
    if (wavelen < highWavelen || wavelen > lowWavelen) return scaled;
    const smooth = f((old / wavelen - low) / (high - low));
    return f(f(((1 - smooth) * scaled) / factor) + f(smooth * scaled));
  });
}

/** cos and sin′ (rotate_half's sign on the first half) per position: [B·T·hs] each, float32 angles like torch's. */
function ropeValues(positions: number[][], headDim: number, thetaOrInvFreq: number | number[]): { cos: Float32Array; sin: Float32Array } {
  const B = positions.length;
  const T = positions[0]?.length ?? 0;
  const half = headDim / 2;
  const cos = new Float32Array(B * T * headDim);
  const sin = new Float32Array(B * T * headDim);
  const inv = typeof thetaOrInvFreq === 'number' ? ropeInvFreq(headDim, thetaOrInvFreq) : thetaOrInvFreq;
  if (inv.length !== half) throw new Error(`RoPE: ${inv.length} inverse frequencies for head dim ${headDim} (need ${half})`);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const p = positions[b]![t]!;
      const o = (b * T + t) * headDim;
      for (let i = 0; i < half; i++) {
        // float32 angle, like torch computing inv_freq and the outer product in float32
        const a = Math.fround(Math.fround(p) * Math.fround(inv[i]!));
        const c = Math.cos(a);
        const s = Math.sin(a);
        cos[o + i] = c;
        cos[o + half + i] = c;
        sin[o + i] = -s;
        sin[o + half + i] = s;
      }
    }
  }
  return { cos, sin };
}

/**
 * RoPE tables as in HF LLaMA: angle = pos·inv_freq (see ropeInvFreq; a number is θ without
 * scaling), and cos/sin repeated twice along the head dim (the rotate_half convention). `sin` carries
 * rotate_half's sign: its first half is −sin (see applyRope). positions [B, T] → [B, T, 1, hs].
 */
export function ropeTables(positions: number[][], headDim: number, thetaOrInvFreq: number | number[]): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const B = positions.length;
  const T = positions[0]?.length ?? 0;
  const { cos, sin } = ropeValues(positions, headDim, thetaOrInvFreq);
  return { cos: tf.tensor4d(cos, [B, T, 1, headDim]), sin: tf.tensor4d(sin, [B, T, 1, headDim]) };
}

/**
 * ropeTables per head for `rotated` heads followed by `plain` ones that RoPE leaves as they are (cos 1, sin 0: x·1 +
 * x′·0 is x exactly, and so is its gradient): the q, k and v heads of a fused projection rotated by one applyRope.
 * positions [B, T] → [B, T, rotated + plain, hs].
 */
export function headRopeTables(positions: number[][], headDim: number, thetaOrInvFreq: number | number[], rotated: number, plain: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const B = positions.length;
  const T = positions[0]?.length ?? 0;
  const H = rotated + plain;
  const one = ropeValues(positions, headDim, thetaOrInvFreq);
  const cos = new Float32Array(B * T * H * headDim).fill(1);
  const sin = new Float32Array(B * T * H * headDim);
  for (let bt = 0; bt < B * T; bt++) {
    const src = bt * headDim;
    for (let h = 0; h < rotated; h++) {
      const dst = (bt * H + h) * headDim;
      cos.set(one.cos.subarray(src, src + headDim), dst);
      sin.set(one.sin.subarray(src, src + headDim), dst);
    }
  }
  return { cos: tf.tensor4d(cos, [B, T, H, headDim]), sin: tf.tensor4d(sin, [B, T, H, headDim]) };
}

/**
 * out = x·cos + rotate_half(x)·sin with rotate_half([x1, x2]) = [−x2, x1], written as x·cos + [x2, x1]·sin′ where
 * sin′ = [−sin, sin] is ropeTables' signed table: the halves swap by one reverse of a [2, hs/2] view, three ops
 * fewer (and fewer in the gradient) than slicing, negating and concatenating, with the same float32 values
 * (x2·(−s) = −(x2·s) exactly). x [B, T, h, hs], cos/sin [B|1, T, 1, hs].
 */
export function applyRope(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, T, h, hs] = x.shape;
    const swapped = tf.reshape(tf.reverse(tf.reshape(x, [B, T, h, 2, hs / 2]), 3), [B, T, h, hs]); // [B, T, h, hs]: [x2, x1]
    return tf.add(tf.mul(x, cos), tf.mul(swapped, sin)) as tf.Tensor4D; // [B, T, h, hs]
  });
}

/** SwiGLU activation: silu(gate) ⊙ up. */
export function swiglu(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(gate, tf.sigmoid(gate)), up));
}

/**
 * Additive causal mask [T, T]: query t sees keys ≤ t (offset: keys already in a cache). With a
 * sliding window w (Mistral), only the w most recent keys, itself included.
 */
export function causalMask(tq: number, tk: number, window?: number): tf.Tensor2D {
  const m = new Float32Array(tq * tk);
  const offset = tk - tq;
  for (let i = 0; i < tq; i++) for (let j = 0; j < tk; j++) if (j > i + offset || (window !== undefined && i + offset - j >= window)) m[i * tk + j] = MASKED;
  return tf.tensor2d(m, [tq, tk]);
}

/**
 * An additive mask broadcastable to [B, 1, 1, Tq, Tk] laid out for `groupedAttention`: [B|1, 1, g·Tq, Tk], the g
 * query heads sharing a kv head stacked along the time axis. Made once per forward pass, not once per layer.
 */
export function groupMask(mask: tf.Tensor, g: number, tq: number, tk: number): tf.Tensor4D {
  return tf.tidy(() => {
    const shape = [...Array<number>(5 - mask.rank).fill(1), ...mask.shape]; // [B|1, 1, 1|g, Tq|1, Tk]
    if (shape[1] !== 1 || (shape[2] !== 1 && shape[2] !== g)) throw new Error(`attention mask [${mask.shape.join(', ')}] is not broadcastable to [B, 1, 1, Tq, Tk]`);
    const m5 = tf.broadcastTo(tf.reshape(mask, shape), [shape[0]!, 1, g, tq, tk]); // [B|1, 1, g, Tq, Tk]
    return tf.reshape(m5, [shape[0]!, 1, g * tq, tk]) as tf.Tensor4D; // [B|1, 1, g·Tq, Tk]
  });
}

/**
 * Scaled dot-product attention with grouped-query heads, without materialising repeated kv heads:
 * the g = nh/nkv query heads sharing a kv head are stacked along the time axis.
 * q [B, nh, Tq, hs], k/v [B, nkv, Tk, hs], mask broadcastable to [B, 1, 1, Tq, Tk] → [B, nh, Tq, hs].
 */
export function attention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => groupedAttention(q, k, v, groupMask(mask, q.shape[1] / k.shape[1], q.shape[2], k.shape[2])));
}

/** `attention` with the mask from groupMask [B|1, 1, g·Tq, Tk]: no reshapes around the softmax. */
export function groupedAttention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, gmask: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, nh, Tq, hs] = q.shape;
    const nkv = k.shape[1];
    const g = nh / nkv;
    const qg = tf.reshape(q, [B, nkv, g * Tq, hs]); // [B, nkv, g·Tq, hs] (head h uses kv head ⌊h/g⌋)
    const scores = tf.mul(mmT(qg, k), 1 / Math.sqrt(hs)); // [B, nkv, g·Tq, Tk]
    const att = tf.softmax(tf.add(scores, gmask), -1); // [B, nkv, g·Tq, Tk]
    const out = mm(att, v); // [B, nkv, g·Tq, hs]
    return tf.reshape(out, [B, nh, Tq, hs]) as tf.Tensor4D; // [B, nh, Tq, hs]
  });
}
