import * as tf from '@tensorflow/tfjs';
import type { LoraAdapter } from '../lora/adapter.js';
import { dropout } from '../internal/dropout.js';
import { mm, mmFrozen } from '../internal/matmul.js';
import { recomputeGrads } from '../internal/recompute.js';
import type { ModelConfig } from './config.js';
import { applyRope, attention, causalMask, rmsNorm, ropeInvFreq, ropeTables, swiglu } from './layers.js';

/** Per-layer key/value cache for generation: k/v [B, nkv, Tk, hs] after RoPE. */
export interface KVCache {
  k: (tf.Tensor4D | undefined)[];
  v: (tf.Tensor4D | undefined)[];
}

export interface ForwardOptions {
  lora?: LoraAdapter;
  /** Full-parameter training: base weights receive gradients (else they are frozen). */
  trainBase?: boolean;
  /** Training: apply LoRA dropout with RNG seeds seed, seed+1, … in call order (deterministic). */
  dropoutSeed?: number;
  /** Absolute positions [B][T] (default 0..T−1); left-padded batches in generation pass their own. */
  positions?: number[][];
  /** Additive attention mask broadcastable to [B, 1, 1, Tq, Tk] (default causal). */
  mask?: tf.Tensor;
  cache?: KVCache;
  /**
   * Gradient (activation) checkpointing: each decoder layer keeps only its input for the backward pass, which
   * recomputes the layer (same dropout masks) — activation memory of one layer instead of all. Same loss and
   * gradients; ignored with a KV cache (generation keeps no tape).
   */
  gradientCheckpointing?: boolean;
}

/** A LLaMA-family decoder: parameters by HF name (linear weights in kernel layout [in, out]). */
export class LlamaModel {
  private embedT: tf.Tensor2D | undefined;

  constructor(
    readonly config: ModelConfig,
    readonly params: Map<string, tf.Variable>,
  ) {}

  p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`model has no parameter ${name}`);
    return v;
  }

  /** Call after weights change in place (merge, optimizer step on a tied embedding). */
  invalidateCaches(): void {
    this.embedT?.dispose();
    this.embedT = undefined;
  }

  /** Output projection in kernel layout [d, V]; tied models reuse the embedding. */
  lmHead(trainBase: boolean): tf.Tensor2D {
    if (!this.config.tieEmbeddings) return this.p('lm_head.weight') as tf.Tensor2D;
    if (trainBase) return tf.transpose(this.p('model.embed_tokens.weight')) as tf.Tensor2D; // [d, V], in the graph
    if (!this.embedT) this.embedT = tf.keep(tf.transpose(this.p('model.embed_tokens.weight'))) as tf.Tensor2D; // [d, V]
    return this.embedT;
  }

  parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  dispose(): void {
    this.invalidateCaches();
    for (const v of this.params.values()) v.dispose();
  }
}

interface Ctx {
  model: LlamaModel;
  opts: ForwardOptions;
  /** Dropout calls so far: call n uses seed dropoutSeed + n. */
  dropoutN: number;
  /** While a checkpointed layer runs: tensors standing in for its trained parameters, by name (LoRA: `<module>.lora_A|B`). */
  sub?: Map<string, tf.Tensor>;
}

/** A parameter of the base, or the tensor standing in for it in a checkpointed layer. */
function param(ctx: Ctx, name: string): tf.Tensor {
  return ctx.sub?.get(name) ?? ctx.model.p(name);
}

/**
 * The LoRA path s·dropout(x)·A·B (dropout when `seed` is set). With dropout the scaling rides on the mask,
 * (x ⊙ s·mask)·A·B: one multiply and its gradient fewer per adapted projection, equal within float rounding
 * (test/unit/training/fast-paths.test.ts). x [N, in], A [in, r], B [r, out] → [N, out].
 */
export function loraDelta(x: tf.Tensor2D, a: tf.Tensor, b: tf.Tensor, scaling: number, rate: number, seed: number | undefined): tf.Tensor2D {
  if (seed === undefined || rate <= 0) return tf.mul(mm(mm(x, a), b), scaling) as tf.Tensor2D; // [N, out]
  const xd = dropout(x, rate, seed, scaling); // [N, in]: tf.dropout's mask, times s
  return mm(mm(xd, a), b) as tf.Tensor2D; // [N, r] → [N, out]
}

/** x [N, in] → [N, out]: base linear (+ bias) plus the LoRA path s·dropout(x)·A·B when adapted. */
function linear(ctx: Ctx, name: string, x: tf.Tensor2D): tf.Tensor2D {
  const { model, opts } = ctx;
  const w = param(ctx, `${name}.weight`) as tf.Tensor2D; // [in, out]
  let y = opts.trainBase ? (mm(x, w) as tf.Tensor2D) : mmFrozen(x, w); // [N, out]
  const bias = model.params.has(`${name}.bias`) ? param(ctx, `${name}.bias`) : undefined; // [out]
  if (bias) y = tf.add(y, bias); // [N, out]
  const lora = opts.lora;
  const m = lora && !lora.merged ? lora.modules.get(name) : undefined;
  if (lora && m) {
    const seed = opts.dropoutSeed !== undefined && lora.config.dropout > 0 ? opts.dropoutSeed + ctx.dropoutN++ : undefined;
    const a = ctx.sub?.get(`${name}.lora_A`) ?? m.A; // [in, r]
    const b = ctx.sub?.get(`${name}.lora_B`) ?? m.B; // [r, out]
    y = tf.add(y, loraDelta(x, a, b, lora.scaling, lora.config.dropout, seed)); // [N, out]
  }
  return y;
}

function block(ctx: Ctx, i: number, h: tf.Tensor3D, cos: tf.Tensor4D, sin: tf.Tensor4D, mask: tf.Tensor): tf.Tensor3D {
  const c = ctx.model.config;
  const [B, T, d] = h.shape;
  const p = `model.layers.${i}`;
  const x = tf.reshape(rmsNorm(h, param(ctx, `${p}.input_layernorm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase), [B * T, d]) as tf.Tensor2D; // [B·T, d]
  let q = tf.reshape(linear(ctx, `${p}.self_attn.q_proj`, x), [B, T, c.heads, c.headDim]) as tf.Tensor4D; // [B, T, nh, hs]
  let k = tf.reshape(linear(ctx, `${p}.self_attn.k_proj`, x), [B, T, c.kvHeads, c.headDim]) as tf.Tensor4D; // [B, T, nkv, hs]
  if (c.qkNorm) {
    // Qwen3: RMSNorm over each head's vector (weight [hs]) before RoPE
    q = rmsNorm(q, param(ctx, `${p}.self_attn.q_norm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase) as tf.Tensor4D; // [B, T, nh, hs]
    k = rmsNorm(k, param(ctx, `${p}.self_attn.k_norm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase) as tf.Tensor4D; // [B, T, nkv, hs]
  }
  const v = tf.reshape(linear(ctx, `${p}.self_attn.v_proj`, x), [B, T, c.kvHeads, c.headDim]) as tf.Tensor4D; // [B, T, nkv, hs]
  const qh = tf.transpose(applyRope(q, cos, sin), [0, 2, 1, 3]) as tf.Tensor4D; // [B, nh, T, hs]
  let kh = tf.transpose(applyRope(k, cos, sin), [0, 2, 1, 3]) as tf.Tensor4D; // [B, nkv, T, hs]
  let vh = tf.transpose(v, [0, 2, 1, 3]) as tf.Tensor4D; // [B, nkv, T, hs]
  const cache = ctx.opts.cache;
  if (cache) {
    const pk = cache.k[i];
    const pv = cache.v[i];
    if (pk && pv) {
      kh = tf.concat([pk, kh], 2); // [B, nkv, Tk, hs]
      vh = tf.concat([pv, vh], 2); // [B, nkv, Tk, hs]
    }
    cache.k[i] = tf.keep(kh);
    cache.v[i] = tf.keep(vh);
    pk?.dispose();
    pv?.dispose();
  }
  const att = attention(qh, kh, vh, mask); // [B, nh, T, hs]
  const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, c.heads * c.headDim]) as tf.Tensor2D; // [B·T, nh·hs]
  const h1 = tf.add(h, tf.reshape(linear(ctx, `${p}.self_attn.o_proj`, merged), [B, T, d])) as tf.Tensor3D; // [B, T, d]
  const x2 = tf.reshape(rmsNorm(h1, param(ctx, `${p}.post_attention_layernorm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase), [B * T, d]) as tf.Tensor2D; // [B·T, d]
  const act = swiglu(linear(ctx, `${p}.mlp.gate_proj`, x2), linear(ctx, `${p}.mlp.up_proj`, x2)) as tf.Tensor2D; // [B·T, ff]
  const down = tf.reshape(linear(ctx, `${p}.mlp.down_proj`, act), [B, T, d]); // [B, T, d]
  return tf.add(h1, down) as tf.Tensor3D; // [B, T, d]
}

/** The tensors layer i trains, by the names `param` and `linear` look them up under: LoRA A/B, and the base's own with trainBase. */
function layerTrainables(ctx: Ctx, i: number): Map<string, tf.Tensor> {
  const prefix = `model.layers.${i}.`;
  const out = new Map<string, tf.Tensor>();
  if (ctx.opts.trainBase) for (const [n, v] of ctx.model.params) if (n.startsWith(prefix)) out.set(n, v);
  const lora = ctx.opts.lora;
  if (lora && !lora.merged) {
    for (const [n, m] of lora.modules) {
      if (!n.startsWith(prefix)) continue;
      out.set(`${n}.lora_A`, m.A);
      out.set(`${n}.lora_B`, m.B);
    }
  }
  return out;
}

/**
 * `block` that keeps only its input for the backward pass, which runs the layer again and differentiates that.
 * A tf.customGrad differentiates only its explicit inputs (variables it closes over get no gradient), so the
 * layer's trained tensors are passed in and stand in for the parameters (`ctx.sub`). The recomputation starts
 * at the same dropout call number, so it draws the same masks and the gradients are exact.
 */
function checkpointedBlock(ctx: Ctx, i: number, h: tf.Tensor3D, cos: tf.Tensor4D, sin: tf.Tensor4D, mask: tf.Tensor): tf.Tensor3D {
  const trained = layerTrainables(ctx, i);
  const names = [...trained.keys()];
  const firstDropout = ctx.dropoutN;
  const withSub = (ws: tf.Tensor[], dropoutN: number): Ctx => ({ ...ctx, dropoutN, sub: new Map(names.map((n, k) => [n, ws[k]!])) });
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [hIn, ...ws] = args as tf.Tensor[];
    save([hIn!, cos, sin, mask]); // clones (a copy on wasm) kept until the backward pass: the layer input [B, T, d]
    const inner = withSub(ws, firstDropout);
    const value = block(inner, i, hIn as tf.Tensor3D, cos, sin, mask); // [B, T, d]; intermediates freed on return
    ctx.dropoutN = inner.dropoutN;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, sc, ss, sm] = saved as [tf.Tensor3D, tf.Tensor4D, tf.Tensor4D, tf.Tensor];
        const again = (hh: tf.Tensor, ...w: tf.Tensor[]) => block(withSub(w, firstDropout), i, hh as tf.Tensor3D, sc, ss, sm); // [B, T, d]
        return recomputeGrads(again, [sh, ...trained.values()], dy); // d/dh [B, T, d], then one per trained tensor
      },
    };
  });
  return run(h, ...trained.values()) as tf.Tensor3D; // [B, T, d]
}

/** Token ids [B, T] → final hidden states [B, T, d] (after the last RMSNorm). Call inside tf.tidy. */
export function forwardHidden(model: LlamaModel, ids: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
  const c = model.config;
  const T = ids.shape[1];
  const past = opts.cache?.k[0]?.shape[2] ?? 0;
  const positions = opts.positions ?? Array.from({ length: 1 }, () => Array.from({ length: T }, (_, t) => past + t));
  const { cos, sin } = ropeTables(positions, c.headDim, ropeInvFreq(c.headDim, c.ropeTheta, c.ropeScaling)); // [B|1, T, 1, hs]
  const mask = opts.mask ?? causalMask(T, past + T, c.slidingWindow); // [T, Tk]
  const ctx: Ctx = { model, opts, dropoutN: 0 };
  let h = tf.gather(model.p('model.embed_tokens.weight'), ids) as tf.Tensor3D; // [B, T, d]
  const layer = opts.gradientCheckpointing && !opts.cache ? checkpointedBlock : block;
  for (let i = 0; i < c.layers; i++) h = layer(ctx, i, h, cos, sin, mask);
  return rmsNorm(h, model.p('model.norm.weight') as tf.Tensor1D, c.rmsEps, !opts.trainBase) as tf.Tensor3D; // [B, T, d]
}

/** Hidden states [N, d] → logits [N, V]. */
export function projectLogits(model: LlamaModel, h: tf.Tensor2D, trainBase = false): tf.Tensor2D {
  // Native TensorFlow: the tied embedding E [V, d] read transposed by the matMul (its gradient dy·E needs no
  // transpose either), instead of a cached [d, V] copy (113 MB for SmolLM2) whose gradient reads it transposed.
  if (model.config.tieEmbeddings && tf.getBackend() === 'tensorflow') return tf.matMul(h, model.p('model.embed_tokens.weight'), false, true); // [N, V]
  const head = model.lmHead(trainBase); // [d, V]
  return trainBase ? (mm(h, head) as tf.Tensor2D) : mmFrozen(h, head); // [N, V]
}

/** Token ids [B, T] → logits [B, T, V]. Call inside tf.tidy. */
export function forwardLogits(model: LlamaModel, ids: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
  const h = forwardHidden(model, ids, opts); // [B, T, d]
  const [B, T, d] = h.shape;
  return tf.reshape(projectLogits(model, tf.reshape(h, [B * T, d]) as tf.Tensor2D, opts.trainBase), [B, T, model.config.vocabSize]) as tf.Tensor3D; // [B, T, V]
}
