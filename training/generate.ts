import * as tf from '@tensorflow/tfjs';
import { rng } from './internal/rng.js';
import type { LoraAdapter } from './lora/adapter.js';
import { MASKED } from './model/layers.js';
import { type KVCache, type LlamaModel, forwardHidden, projectLogits } from './model/llama.js';
import { maskedCrossEntropy } from './model/loss.js';
import type { Tokenizer } from './tokenizer/tokenizer.js';

/** A base model, its tokenizer and optionally a LoRA adapter (merged or not). */
export interface GenerationModel {
  model: LlamaModel;
  tokenizer: Tokenizer;
  adapter?: LoraAdapter;
}

export interface GenerateOptions {
  maxNewTokens: number;
  /** Greedy decoding (default when topP is not set). */
  greedy?: boolean;
  /** Nucleus sampling: sample from the smallest set of tokens whose probability reaches topP. */
  topP?: number;
  temperature?: number;
  seed?: number;
  /** Called after every decoding step (a real base's batch can outlast an activity's heartbeat timeout). */
  onStep?: () => void;
}

/** Additive mask [B, 1, 1, Tq, Tk]: causal (within a sliding window, if any), and left-padding keys hidden. */
function paddedMask(padLens: number[], tq: number, tk: number, window?: number): tf.Tensor {
  const B = padLens.length;
  const m = new Float32Array(B * tq * tk);
  const offset = tk - tq;
  for (let b = 0; b < B; b++)
    for (let i = 0; i < tq; i++)
      for (let j = 0; j < tk; j++) if (j > i + offset || j < padLens[b]! || (window !== undefined && i + offset - j >= window)) m[(b * tq + i) * tk + j] = MASKED;
  return tf.tensor(m, [B, 1, 1, tq, tk]);
}

function pick(logits: Float32Array, o: GenerateOptions, rand: () => number): number {
  if (!o.topP || o.greedy) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  const temp = o.temperature ?? 1;
  let max = -Infinity;
  for (const l of logits) max = Math.max(max, l);
  const probs = Array.from(logits, (l, i) => ({ i, p: Math.exp((l - max) / temp) }));
  const z = probs.reduce((s, x) => s + x.p, 0);
  probs.sort((a, b) => b.p - a.p);
  const kept: typeof probs = [];
  let cum = 0;
  for (const x of probs) {
    kept.push(x);
    cum += x.p / z;
    if (cum >= o.topP) break;
  }
  let r = rand() * kept.reduce((s, x) => s + x.p, 0);
  for (const x of kept) if ((r -= x.p) <= 0) return x.i;
  return kept.at(-1)!.i;
}

/** Last-position logits [B, V] for new tokens ids [B, T] given the cache. */
function step(gm: GenerationModel, ids: number[][], positions: number[][], mask: tf.Tensor, cache: KVCache): Float32Array[] {
  const V = gm.model.config.vocabSize;
  const flat = tf.tidy(() => {
    const B = ids.length;
    const T = ids[0]!.length;
    const h = forwardHidden(gm.model, tf.tensor2d(ids.flat(), [B, T], 'int32'), { lora: gm.adapter, positions, mask, cache }); // [B, T, d]
    const last = tf.reshape(tf.slice(h, [0, T - 1, 0], [B, 1, -1]), [B, h.shape[2]]) as tf.Tensor2D; // [B, d]
    return projectLogits(gm.model, last); // [B, V]
  });
  const data = flat.dataSync() as Float32Array;
  flat.dispose();
  return ids.map((_, b) => data.subarray(b * V, (b + 1) * V));
}

/**
 * Token ids that end an answer: the tokenizer's eos_token and every eos_token_id of config.json
 * (Llama 3 instruct ends turns with <|eot_id|> while its tokenizer's eos may be <|end_of_text|>).
 */
export function stopIds(gm: GenerationModel): Set<number> {
  const fromConfig = gm.model.config.hf.eos_token_id;
  return new Set([gm.tokenizer.eosId, ...(fromConfig == null ? [] : Array.isArray(fromConfig) ? fromConfig : [fromConfig])]);
}

/** Batched generation with a KV cache; prompts are left-padded. Returns only the new text. */
export function generate(gm: GenerationModel, prompts: string[], o: GenerateOptions): string[] {
  return generateIds(gm, prompts, o).generated.map((ids) => gm.tokenizer.decode(ids));
}

/** The ids `generate` feeds the model for a prompt: the text's ids, after BOS unless the text already starts with it. */
export function promptIds(tok: Tokenizer, prompt: string): number[] {
  // prompts rendered by a chat template (chatPrompt) already begin with the BOS token when the model has one
  const bos = tok.config.bos_token;
  return bos && prompt.startsWith(bos) ? tok.encode(prompt) : [...tok.prefixIds, ...tok.encode(prompt)];
}

/** `generate` as token ids: each prompt's ids and the new ids (end-of-sequence excluded), for exact comparisons. */
export function generateIds(gm: GenerationModel, prompts: string[], o: GenerateOptions): { prompts: number[][]; generated: number[][] } {
  const tok = gm.tokenizer;
  const enc = prompts.map((p) => promptIds(tok, p));
  const maxCtx = gm.model.config.maxPositions;
  const L = Math.max(...enc.map((e) => e.length));
  if (L + o.maxNewTokens > maxCtx) throw new Error(`prompt (${L}) + maxNewTokens (${o.maxNewTokens}) exceeds max_position_embeddings ${maxCtx}`);
  const padLens = enc.map((e) => L - e.length);
  const ids = enc.map((e, b) => [...Array<number>(padLens[b]!).fill(tok.padId), ...e]);
  const cache: KVCache = { k: [], v: [] };
  const rand = rng(o.seed ?? 0);
  const out: number[][] = prompts.map(() => []);
  const done = prompts.map(() => false);
  const stop = stopIds(gm);
  try {
    let mask = paddedMask(padLens, L, L, gm.model.config.slidingWindow);
    let logits = step(gm, ids, ids.map((row, b) => row.map((_, t) => Math.max(0, t - padLens[b]!))), mask, cache);
    mask.dispose();
    for (let n = 0; n < o.maxNewTokens; n++) {
      const next = logits.map((l, b) => (done[b] ? tok.padId : pick(l, o, rand)));
      next.forEach((t, b) => {
        if (done[b]) return;
        if (stop.has(t)) done[b] = true;
        else out[b]!.push(t);
      });
      o.onStep?.();
      if (done.every(Boolean) || n === o.maxNewTokens - 1) break;
      const tk = L + n + 1;
      mask = paddedMask(padLens, 1, tk, gm.model.config.slidingWindow);
      logits = step(gm, next.map((t) => [t]), padLens.map((p) => [tk - 1 - p]), mask, cache);
      mask.dispose();
    }
  } finally {
    for (const t of [...cache.k, ...cache.v]) t?.dispose();
  }
  return { prompts: enc, generated: out };
}

/** Longest text window scored: a real base's context (8,192 for SmolLM2) would need GBs of attention and logits. */
export const PERPLEXITY_MAX_TOKENS = 1024;

/** exp(mean next-token NLL) over the texts (each as <s> text </s>, truncated to the context and PERPLEXITY_MAX_TOKENS). */
export function perplexity(gm: GenerationModel, texts: string[], onText?: () => void): number {
  const tok = gm.tokenizer;
  let nllSum = 0;
  let count = 0;
  for (const text of texts) {
    const ids = [...tok.prefixIds, ...tok.encode(text), tok.eosId].slice(0, Math.min(gm.model.config.maxPositions, PERPLEXITY_MAX_TOKENS) + 1);
    if (ids.length < 2) continue;
    const n = ids.length - 1;
    const loss = tf.tidy(() => {
      const h = forwardHidden(gm.model, tf.tensor2d([ids.slice(0, n)], [1, n], 'int32'), { lora: gm.adapter }); // [1, n, d]
      const logits = projectLogits(gm.model, tf.reshape(h, [n, h.shape[2]]) as tf.Tensor2D); // [n, V]
      return maskedCrossEntropy(logits, tf.tensor1d(ids.slice(1), 'int32'), tf.ones([n]) as tf.Tensor1D);
    });
    nllSum += loss.dataSync()[0]! * n;
    count += n;
    loss.dispose();
    onText?.();
  }
  return Math.exp(nllSum / Math.max(1, count));
}
