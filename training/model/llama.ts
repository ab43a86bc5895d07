import * as tf from '@tensorflow/tfjs';
import type { LoraAdapter } from '../lora/adapter.js';
import { dropout, dropoutMultipliers, prefetchDropout } from '../internal/dropout.js';
import { moduleDims, moduleName } from '../lora/adapter.js';
import { LORA_TARGETS } from '../lora/config.js';
import { mm, mmFrozen } from '../internal/matmul.js';
import { recomputeGrads } from '../internal/recompute.js';
import type { ModelConfig } from './config.js';
import { applyRope, causalMask, groupedAttention, groupMask, headRopeTables, rmsNorm, ropeInvFreq, ropeTables, swiglu } from './layers.js';

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
  /** Frozen weights concatenated for fused projections, by their names joined; `from` holds the sources' data ids. */
  private readonly joined = new Map<string, { from: object[]; t: tf.Tensor }>();

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
    for (const j of this.joined.values()) j.t.dispose();
    this.joined.clear();
  }

  /**
   * The parameters named, concatenated along their last axis (weights [in, Σout], biases [Σout]), kept until one of
   * them changes: a Variable's assign gives it new data, so a changed source is noticed even without
   * invalidateCaches. For the frozen base only (no gradient reaches the sources through it).
   */
  concatenated(names: string[]): tf.Tensor {
    const key = names.join('|');
    const sources = names.map((n) => this.p(n));
    const hit = this.joined.get(key);
    if (hit && hit.from.every((id, k) => id === sources[k]!.dataId)) return hit.t;
    hit?.t.dispose();
    const t = tf.tidy(() => tf.keep(tf.concat(sources, -1))); // [in, Σout] | [Σout]
    this.joined.set(key, { from: sources.map((v) => v.dataId), t });
    return t;
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

/** The adapted module `name` (unmerged LoRA) with its A [in, r] and B [r, out] (stand-ins in a checkpointed layer). */
function loraOf(ctx: Ctx, name: string): { a: tf.Tensor; b: tf.Tensor } | undefined {
  const lora = ctx.opts.lora;
  const m = lora && !lora.merged ? lora.modules.get(name) : undefined;
  if (!m) return undefined;
  return { a: ctx.sub?.get(`${name}.lora_A`) ?? m.A, b: ctx.sub?.get(`${name}.lora_B`) ?? m.B };
}

/** The next dropout seed (call order numbers the masks), or undefined without dropout. */
function nextDropoutSeed(ctx: Ctx): number | undefined {
  const lora = ctx.opts.lora!;
  return ctx.opts.dropoutSeed !== undefined && lora.config.dropout > 0 ? ctx.opts.dropoutSeed + ctx.dropoutN++ : undefined;
}

/** x [N, in] → [N, out]: base linear (+ bias) plus the LoRA path s·dropout(x)·A·B when adapted. */
function linear(ctx: Ctx, name: string, x: tf.Tensor2D): tf.Tensor2D {
  const { model, opts } = ctx;
  const w = param(ctx, `${name}.weight`) as tf.Tensor2D; // [in, out]
  let y = opts.trainBase ? (mm(x, w) as tf.Tensor2D) : mmFrozen(x, w); // [N, out]
  const bias = model.params.has(`${name}.bias`) ? param(ctx, `${name}.bias`) : undefined; // [out]
  if (bias) y = tf.add(y, bias); // [N, out]
  const ab = loraOf(ctx, name);
  if (ab) y = tf.add(y, loraDelta(x, ab.a, ab.b, opts.lora!.scaling, opts.lora!.config.dropout, nextDropoutSeed(ctx))); // [N, out]
  return y;
}

/**
 * The LoRA paths of projections that read the same x [N, in], in one go: the dropout masks (the same seeds, in
 * the same order, as one `linear` per module draws) stacked [G, N, in] and applied by one multiply, x·A for
 * all of them as one batched matMul against the stacked A's [G, in, r], then ·B batched too when the B's have one
 * shape (gate/up), else one matMul each (q/k/v: q is wider than k and v). Equal to loraDelta per module within
 * float rounding (test/unit/training/fused-projections.test.ts). → one delta [N, out_g] per adapted module.
 */
function loraDeltas(ctx: Ctx, abs: { a: tf.Tensor; b: tf.Tensor }[], x: tf.Tensor2D): tf.Tensor2D[] {
  const lora = ctx.opts.lora!;
  const seeds = abs.map(() => nextDropoutSeed(ctx));
  if (seeds[0] === undefined || abs.length === 1) return abs.map(({ a, b }, g) => loraDelta(x, a, b, lora.scaling, lora.config.dropout, seeds[g])); // [N, out_g] each
  const [N, d] = x.shape;
  const xd = tf.mul(x, dropoutMultipliers([N, d], lora.config.dropout, seeds as number[], lora.scaling)); // [G, N, in]: s·mask_g ⊙ x
  const xa = mm(xd, tf.stack(abs.map((m) => m.a))); // [G, N, r]
  const sameB = abs.every((m) => m.b.shape.join() === abs[0]!.b.shape.join());
  if (sameB) return tf.unstack(mm(xa, tf.stack(abs.map((m) => m.b)))) as tf.Tensor2D[]; // [G, N, out] → G × [N, out]
  return tf.unstack(xa).map((t, g) => mm(t, abs[g]!.b) as tf.Tensor2D); // G × [N, r] → [N, out_g]
}

/**
 * Projections of the same x [N, in] (q/k/v, gate/up), joined: [N, Σout_g], the modules' outputs side by side. With a
 * frozen base, one matMul against the weights concatenated once (LlamaModel.concatenated) instead of one per
 * module, the LoRA paths batched by loraDeltas and added as one (zeros for a module not adapted). Modules keep
 * their own names (PEFT files, exports, merges). Undefined where the per-module path runs instead: training the
 * base itself (trainBase), or biases on some of the modules only.
 */
function joinedLinear(ctx: Ctx, names: string[], x: tf.Tensor2D): tf.Tensor2D | undefined {
  const { model } = ctx;
  const biases = names.filter((n) => model.params.has(`${n}.bias`)).length;
  if (ctx.opts.trainBase || (biases > 0 && biases < names.length)) return undefined;
  const w = model.concatenated(names.map((n) => `${n}.weight`)) as tf.Tensor2D; // [in, Σout]
  let y = mmFrozen(x, w); // [N, Σout]
  if (biases > 0) y = tf.add(y, model.concatenated(names.map((n) => `${n}.bias`))); // [N, Σout]
  const abs = names.map((n) => loraOf(ctx, n));
  const adapted = abs.filter((m) => m !== undefined);
  if (adapted.length === 0) return y;
  const deltas = loraDeltas(ctx, adapted, x); // one [N, out_g] per adapted module, in order
  let k = 0;
  const parts = abs.map((m, g) => (m ? deltas[k++]! : tf.zeros([x.shape[0], model.p(`${names[g]}.weight`).shape[1]!]))); // [N, out_g] each
  return tf.add(y, tf.concat(parts, 1)) as tf.Tensor2D; // [N, Σout]
}

/** Projections of the same x [N, in] → one [N, out_g] each: joinedLinear split, or one `linear` per module. */
function linears(ctx: Ctx, names: string[], x: tf.Tensor2D): tf.Tensor2D[] {
  const y = joinedLinear(ctx, names, x); // [N, Σout]
  if (!y) return names.map((n) => linear(ctx, n, x));
  return tf.split(y, names.map((n) => ctx.model.p(`${n}.weight`).shape[1]!), 1) as tf.Tensor2D[]; // [N, out_g] each
}

/** What every layer of one forward pass shares: RoPE tables and the attention mask, made once. */
interface Shared {
  B: number;
  T: number;
  /** [B|1, T, 1, hs] */
  cos: tf.Tensor4D;
  sin: tf.Tensor4D;
  /** [B|1, T, nh + 2·nkv, hs]: rotates the q and k heads of a joined q|k|v projection, leaves its v heads as they are. */
  qkvCos: tf.Tensor4D;
  qkvSin: tf.Tensor4D;
  /** groupMask's layout [B|1, 1, g·Tq, Tk] */
  mask: tf.Tensor4D;
}

/**
 * q, k, v of layer i after RoPE, heads first: [B, nh, T, hs], [B, nkv, T, hs] ×2. With the q|k|v projection joined
 * (and no q/k norm between projection and RoPE), its output is viewed as nh + 2·nkv heads, rotated by one
 * applyRope (v heads by the identity) and transposed once, then split: 9 ops instead of 19, and as many fewer in
 * the gradient. Otherwise per tensor (Qwen3's q/k norm, training the base).
 */
function attentionInputs(ctx: Ctx, i: number, x: tf.Tensor2D, s: Shared): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const c = ctx.model.config;
  const { B, T } = s;
  const p = `model.layers.${i}.self_attn`;
  const names = [`${p}.q_proj`, `${p}.k_proj`, `${p}.v_proj`];
  const joined = joinedLinear(ctx, names, x); // [B·T, (nh + 2·nkv)·hs]
  if (joined && !c.qkNorm) {
    const heads = tf.reshape(joined, [B, T, c.heads + 2 * c.kvHeads, c.headDim]) as tf.Tensor4D; // [B, T, nh + 2·nkv, hs]
    const rotated = tf.transpose(applyRope(heads, s.qkvCos, s.qkvSin), [0, 2, 1, 3]); // [B, nh + 2·nkv, T, hs]
    return tf.split(rotated, [c.heads, c.kvHeads, c.kvHeads], 1) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  }
  const [qx, kx, vx] = joined ? (tf.split(joined, [c.heads * c.headDim, c.kvHeads * c.headDim, c.kvHeads * c.headDim], 1) as tf.Tensor2D[]) : names.map((n) => linear(ctx, n, x)); // [B·T, nh·hs], [B·T, nkv·hs] ×2
  let q = tf.reshape(qx!, [B, T, c.heads, c.headDim]) as tf.Tensor4D; // [B, T, nh, hs]
  let k = tf.reshape(kx!, [B, T, c.kvHeads, c.headDim]) as tf.Tensor4D; // [B, T, nkv, hs]
  if (c.qkNorm) {
    // Qwen3: RMSNorm over each head's vector (weight [hs]) before RoPE
    q = rmsNorm(q, param(ctx, `${p}.q_norm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase) as tf.Tensor4D; // [B, T, nh, hs]
    k = rmsNorm(k, param(ctx, `${p}.k_norm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase) as tf.Tensor4D; // [B, T, nkv, hs]
  }
  const v = tf.reshape(vx!, [B, T, c.kvHeads, c.headDim]) as tf.Tensor4D; // [B, T, nkv, hs]
  const qh = tf.transpose(applyRope(q, s.cos, s.sin), [0, 2, 1, 3]) as tf.Tensor4D; // [B, nh, T, hs]
  const kh = tf.transpose(applyRope(k, s.cos, s.sin), [0, 2, 1, 3]) as tf.Tensor4D; // [B, nkv, T, hs]
  return [qh, kh, tf.transpose(v, [0, 2, 1, 3]) as tf.Tensor4D]; // v [B, nkv, T, hs]
}

/** Decoder layer i on the residual stream h [B·T, d] (kept 2-D between layers: no reshapes around the norms and projections). */
function block(ctx: Ctx, i: number, h: tf.Tensor2D, s: Shared): tf.Tensor2D {
  const c = ctx.model.config;
  const { B, T } = s;
  const p = `model.layers.${i}`;
  const x = rmsNorm(h, param(ctx, `${p}.input_layernorm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase) as tf.Tensor2D; // [B·T, d]
  const [qh, k0, v0] = attentionInputs(ctx, i, x, s); // [B, nh, T, hs], [B, nkv, T, hs] ×2
  let kh = k0;
  let vh = v0;
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
  const att = groupedAttention(qh, kh, vh, s.mask); // [B, nh, T, hs]
  const merged = tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, c.heads * c.headDim]) as tf.Tensor2D; // [B·T, nh·hs]
  const h1 = tf.add(h, linear(ctx, `${p}.self_attn.o_proj`, merged)) as tf.Tensor2D; // [B·T, d]
  const x2 = rmsNorm(h1, param(ctx, `${p}.post_attention_layernorm.weight`) as tf.Tensor1D, c.rmsEps, !ctx.opts.trainBase) as tf.Tensor2D; // [B·T, d]
  const [gate, up] = linears(ctx, [`${p}.mlp.gate_proj`, `${p}.mlp.up_proj`], x2); // [B·T, ff] ×2
  const act = swiglu(gate!, up!) as tf.Tensor2D; // [B·T, ff]
  return tf.add(h1, linear(ctx, `${p}.mlp.down_proj`, act)) as tf.Tensor2D; // [B·T, d]
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
function checkpointedBlock(ctx: Ctx, i: number, h: tf.Tensor2D, s: Shared): tf.Tensor2D {
  const trained = layerTrainables(ctx, i);
  const names = [...trained.keys()];
  const firstDropout = ctx.dropoutN;
  const withSub = (ws: tf.Tensor[], dropoutN: number): Ctx => ({ ...ctx, dropoutN, sub: new Map(names.map((n, k) => [n, ws[k]!])) });
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [hIn, ...ws] = args as tf.Tensor[];
    save([hIn!, s.cos, s.sin, s.qkvCos, s.qkvSin, s.mask]); // clones (a copy on wasm) kept until the backward pass: the layer input [B·T, d]
    const inner = withSub(ws, firstDropout);
    const value = block(inner, i, hIn as tf.Tensor2D, s); // [B·T, d]; intermediates freed on return
    ctx.dropoutN = inner.dropoutN;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sh, cos, sin, qkvCos, qkvSin, mask] = saved as [tf.Tensor2D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const again = (hh: tf.Tensor, ...w: tf.Tensor[]) => block(withSub(w, firstDropout), i, hh as tf.Tensor2D, { B: s.B, T: s.T, cos, sin, qkvCos, qkvSin, mask }); // [B·T, d]
        return recomputeGrads(again, [sh, ...trained.values()], dy); // d/dh [B·T, d], then one per trained tensor
      },
    };
  });
  return run(h, ...trained.values()) as tf.Tensor2D; // [B·T, d]
}

/**
 * With LoRA dropout, the masks of this forward pass are drawn ahead on a worker thread (internal/mask-worker.ts):
 * one per adapted module, in the order the layers ask for them (per layer q, k, v, o, gate, up, down), of N rows.
 */
function prefetchMasks(model: LlamaModel, opts: ForwardOptions, N: number): void {
  const lora = opts.lora;
  if (opts.dropoutSeed === undefined || !lora || lora.merged || lora.config.dropout <= 0) return;
  const requests = [];
  for (let i = 0; i < model.config.layers; i++) {
    for (const t of LORA_TARGETS) if (lora.modules.has(moduleName(i, t))) requests.push({ seed: opts.dropoutSeed + requests.length, size: N * moduleDims(model.config, t)[0] });
  }
  prefetchDropout(lora.config.dropout, lora.scaling, requests);
}

/** Token ids [B, T] → final hidden states [B, T, d] (after the last RMSNorm). Call inside tf.tidy. */
export function forwardHidden(model: LlamaModel, ids: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor3D {
  const c = model.config;
  const [B, T] = ids.shape;
  const past = opts.cache?.k[0]?.shape[2] ?? 0;
  const positions = opts.positions ?? Array.from({ length: 1 }, () => Array.from({ length: T }, (_, t) => past + t));
  const invFreq = ropeInvFreq(c.headDim, c.ropeTheta, c.ropeScaling);
  const { cos, sin } = ropeTables(positions, c.headDim, invFreq); // [B|1, T, 1, hs]
  const { cos: qkvCos, sin: qkvSin } = headRopeTables(positions, c.headDim, invFreq, c.heads + c.kvHeads, c.kvHeads); // [B|1, T, nh + 2·nkv, hs]
  const mask = groupMask(opts.mask ?? causalMask(T, past + T, c.slidingWindow), c.heads / c.kvHeads, T, past + T); // [B|1, 1, g·T, Tk]
  const shared: Shared = { B, T, cos, sin, qkvCos, qkvSin, mask };
  const ctx: Ctx = { model, opts, dropoutN: 0 };
  prefetchMasks(model, opts, B * T);
  let h = tf.reshape(tf.gather(model.p('model.embed_tokens.weight'), ids), [B * T, c.hidden]) as tf.Tensor2D; // [B·T, d]
  const layer = opts.gradientCheckpointing && !opts.cache ? checkpointedBlock : block;
  for (let i = 0; i < c.layers; i++) h = layer(ctx, i, h, shared);
  const out = rmsNorm(h, model.p('model.norm.weight') as tf.Tensor1D, c.rmsEps, !opts.trainBase); // [B·T, d]
  return tf.reshape(out, [B, T, c.hidden]) as tf.Tensor3D; // [B, T, d]
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
