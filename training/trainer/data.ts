import { rng, shuffle } from '../internal/rng.js';
import type { EncodedExample } from '../tokenizer/chat.js';

/** One micro-batch, already shifted: the model reads `inputs`, predicts `targets` where `mask` is 1. */
export interface Batch {
  inputs: number[][]; // [B][T]
  targets: number[][]; // [B][T]
  mask: number[][]; // [B][T]
  /** Non-padding input tokens (for tokens/s). */
  tokens: number;
  /** General text replayed during fine-tuning (its loss is charted apart from the task's). */
  replay?: boolean;
  /** Self-distillation pairs (general prompts answered by the base): not the task's either. */
  distill?: boolean;
}

/** A deterministic stream of micro-batches: batch k is a pure function of (seed, k). */
export interface BatchSource {
  batch(k: number): Batch;
  /** Micro-batches per pass over the data. */
  batchesPerEpoch: number;
}

function toBatch(rows: EncodedExample[], padId: number): Batch {
  const T = Math.max(...rows.map((r) => r.ids.length - 1));
  const inputs: number[][] = [];
  const targets: number[][] = [];
  const mask: number[][] = [];
  let tokens = 0;
  for (const r of rows) {
    const n = r.ids.length - 1;
    tokens += n;
    const pad = (xs: number[], v: number) => [...xs, ...Array<number>(T - xs.length).fill(v)];
    inputs.push(pad(r.ids.slice(0, n), padId));
    targets.push(pad(r.ids.slice(1), padId));
    mask.push(pad(r.lossMask.slice(1), 0));
  }
  return { inputs, targets, mask, tokens };
}

/**
 * Length bucketing for instruction pairs: each epoch shuffles by seed, sorts windows of 8 batches by
 * length (so a batch pads little), then shuffles the batch order.
 */
export function bucketedSource(examples: EncodedExample[], batchSize: number, padId: number, seed: number): BatchSource {
  const usable = examples.filter((e) => e.ids.length >= 2);
  if (usable.length === 0) throw new Error('no training examples with at least 2 tokens');
  const perEpoch = Math.ceil(usable.length / batchSize);
  const plans = new Map<number, number[][]>();
  const plan = (epoch: number): number[][] => {
    let p = plans.get(epoch);
    if (p) return p;
    const rand = rng(seed * 1_000_003 + epoch);
    const order = shuffle([...usable.keys()], rand);
    const batches: number[][] = [];
    const window = batchSize * 8;
    for (let w = 0; w < order.length; w += window) {
      const chunk = order.slice(w, w + window).sort((a, b) => usable[a]!.ids.length - usable[b]!.ids.length || a - b);
      for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
    }
    p = shuffle(batches, rand);
    plans.clear();
    plans.set(epoch, p);
    return p;
  };
  return {
    batchesPerEpoch: perEpoch,
    batch(k) {
      const idx = plan(Math.floor(k / perEpoch))[k % perEpoch]!;
      return toBatch(idx.map((i) => usable[i]!), padId);
    },
  };
}

/** Packing for pretraining: documents joined by </s>, cut into windows of seqLen+1 tokens, shuffled per epoch. */
export function packedSource(docs: number[][], seqLen: number, batchSize: number, eosId: number, seed: number): BatchSource {
  const stream: number[] = [];
  for (const d of docs) stream.push(...d, eosId);
  const windows: number[][] = [];
  for (let i = 0; i + seqLen + 1 <= stream.length; i += seqLen) windows.push(stream.slice(i, i + seqLen + 1));
  if (windows.length < batchSize) throw new Error(`only ${windows.length} windows of ${seqLen + 1} tokens: need at least batchSize=${batchSize}; give more text or a shorter seqLen`);
  const perEpoch = Math.floor(windows.length / batchSize);
  let cached: { epoch: number; order: number[] } | undefined;
  return {
    batchesPerEpoch: perEpoch,
    batch(k) {
      const epoch = Math.floor(k / perEpoch);
      if (cached?.epoch !== epoch) cached = { epoch, order: shuffle([...windows.keys()], rng(seed * 1_000_003 + epoch)) };
      const j = (k % perEpoch) * batchSize;
      const rows = cached.order.slice(j, j + batchSize).map((w) => ({ ids: windows[w]!, lossMask: windows[w]!.map(() => 1) }));
      return toBatch(rows, eosId);
    },
  };
}

/**
 * Every `every`-th micro-batch from `replay`, the rest from `primary`: general text replayed during
 * fine-tuning keeps the base's language modelling from being forgotten; self-distillation pairs
 * (`tag: 'distill'`) keep its answers to general questions. Deterministic in k, like its sources, so a
 * resumed run sees the same batches. Nested, the inner source's share is of the outer's primary batches.
 */
export function interleavedSource(primary: BatchSource, replay: BatchSource, every: number, tag: 'replay' | 'distill' = 'replay'): BatchSource {
  if (!Number.isInteger(every) || every < 2) throw new Error(`${tag} interval must be an integer ≥ 2, got ${every}`);
  return {
    // A pass over the primary data, plus the replay batches interleaved with it.
    batchesPerEpoch: primary.batchesPerEpoch + Math.floor(primary.batchesPerEpoch / (every - 1)),
    batch(k) {
      const slot = Math.floor(k / every);
      return k % every === every - 1 ? { ...replay.batch(slot), [tag]: true } : primary.batch(k - slot);
    },
  };
}
