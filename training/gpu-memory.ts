/**
 * Device memory of LoRA training, estimated from the model's shape and the batch (float32 throughout, as tfjs
 * trains). tfjs keeps every intermediate the gradient needs until the step ends, so activations grow with
 * batch × sequence × layers; the base weights are placed on the device once and never copied again.
 * The figures are an estimate for planning (README "GPU memory"); the unit test checks the activation part
 * against tfjs' own peak-bytes counter on a small model.
 */
import type { ModelConfig } from './model/config.js';
import { TrainingError } from './errors.js';

export type MemoryShape = Pick<ModelConfig, 'vocabSize' | 'hidden' | 'intermediate' | 'layers' | 'heads' | 'kvHeads' | 'headDim' | 'tieEmbeddings'>;

export interface MemoryRun {
  batchSize: number;
  seqLen: number;
  /** LoRA rank and the number of adapted projections per layer (q, k, v, o, gate, up, down: 7). */
  loraR: number;
  loraTargets: number;
}

export interface MemoryEstimate {
  weightsMiB: number;
  loraMiB: number;
  activationsMiB: number;
  logitsMiB: number;
  /** CUDA context, cuBLAS/cuDNN workspaces and allocator slack: a fixed 600 MiB plus 10 %. */
  overheadMiB: number;
  totalMiB: number;
}

const F32 = 4;
const MiB = 2 ** 20;
/** CUDA context + library workspaces measured on common cards are 300–600 MiB; take the upper end. */
const FIXED_OVERHEAD_MIB = 600;

/** Parameters of the base (embeddings, attention, SwiGLU MLP, norms, LM head unless tied). */
export function baseParameters(s: MemoryShape): number {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const perLayer = s.hidden * (q + 2 * kv) + q * s.hidden + 3 * s.hidden * s.intermediate + 2 * s.hidden;
  return s.vocabSize * s.hidden * (s.tieEmbeddings ? 1 : 2) + s.layers * perLayer + s.hidden;
}

/** Floats kept per token and layer for the backward pass (inputs of every matMul, norm, RoPE, softmax, SwiGLU). */
function floatsPerTokenLayer(s: MemoryShape, r: MemoryRun): number {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const norms = 4 * s.hidden; // two RMSNorms: input and output
  const attention = 3 * (q + 2 * kv) + 2 * s.heads * r.seqLen + 2 * q + 2 * s.hidden; // projections, RoPE, scores + softmax, context, o_proj + residual
  const mlp = 4 * s.intermediate + 2 * s.hidden; // gate, up, silu(gate), product; down + residual
  const lora = r.loraTargets * (s.hidden + r.loraR); // dropout-masked input and the rank-r middle of each adapted projection
  return norms + attention + mlp + lora;
}

/** Estimated device memory of one LoRA training step of `s` at `r` (MiB, rounded up). */
export function estimateTrainingMemory(s: MemoryShape, r: MemoryRun): MemoryEstimate {
  const tokens = r.batchSize * r.seqLen;
  const loraParams = s.layers * r.loraTargets * r.loraR * 2 * s.hidden; // A [r, in] + B [out, r], in ≈ out ≈ hidden
  const weightsMiB = (baseParameters(s) * F32) / MiB;
  const loraMiB = (loraParams * F32 * 4) / MiB; // weights, gradients, two Adam moments
  const activationsMiB = (tokens * s.layers * floatsPerTokenLayer(s, r) * F32) / MiB;
  const logitsMiB = (tokens * s.vocabSize * 3 * F32) / MiB; // logits, log-softmax, their gradient
  const variable = weightsMiB + loraMiB + activationsMiB + logitsMiB;
  const overheadMiB = FIXED_OVERHEAD_MIB + 0.1 * variable;
  const up = (x: number) => Math.ceil(x);
  return { weightsMiB: up(weightsMiB), loraMiB: up(loraMiB), activationsMiB: up(activationsMiB), logitsMiB: up(logitsMiB), overheadMiB: up(overheadMiB), totalMiB: up(variable + overheadMiB) };
}

/** True for TensorFlow's and tfjs' out-of-memory errors (`OOM when allocating tensor …`, ResourceExhausted, CUDA_ERROR_OUT_OF_MEMORY). */
export function isOutOfMemory(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /OOM when allocating|ResourceExhausted|RESOURCE_EXHAUSTED|CUDA_ERROR_OUT_OF_MEMORY|out of memory/i.test(msg);
}

/** An out-of-memory error as one line that names the knobs, with the estimate for the current run. */
export function outOfMemoryError(s: MemoryShape, r: MemoryRun & { gradAccum: number }): TrainingError {
  const e = estimateTrainingMemory(s, r);
  return new TrainingError(
    'OutOfMemory',
    `training ran out of device memory at batchSize ${r.batchSize} × seqLen ${r.seqLen} (estimated ${e.totalMiB} MiB, of which activations ${e.activationsMiB + e.logitsMiB} MiB): ` +
      `lower training.batchSize (raise training.gradAccum, now ${r.gradAccum}, to keep the effective batch) or training.seqLen; activation checkpointing is not in kgtune yet; see README "GPU memory"`,
  );
}
