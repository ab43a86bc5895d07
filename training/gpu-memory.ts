/**
 * Device memory of LoRA training, estimated from the model's shape and the batch (float32 throughout, as tfjs
 * trains). tfjs keeps every intermediate the gradient needs until the step ends, so activations grow with
 * batch × sequence × layers — unless gradientCheckpointing is on: then each layer keeps only its input and one
 * layer's intermediates exist at a time (recomputed in the backward pass). The base weights are placed on the
 * device once and never copied again.
 * The figures are an estimate for planning (README "GPU memory"); the unit test checks the activation part
 * against tfjs' own peak-bytes counter on small models with shapes the fit did not use.
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
  /** training.gradientCheckpointing (training/trainer/config.ts). */
  gradientCheckpointing?: boolean;
}

export interface MemoryEstimate {
  weightsMiB: number;
  /** The frozen q|k|v and gate|up weights concatenated once for the fused projections (training/model/llama.ts): a second copy of those. */
  joinedWeightsMiB: number;
  /**
   * Transposed copies of frozen weights: the projections' made by the backward pass (mmFrozen's gradient), alive
   * until the step ends — with checkpointing, until the layer's recomputation ends (one layer's) — and the LM
   * head's (the tied embedding's cached [d, V] transpose and its transpose back in the backward pass).
   */
  backwardCopiesMiB: number;
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

/** Parameters of the projections of one layer (q, k, v, o, gate, up, down). */
function projectionParameters(s: MemoryShape): number {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  return s.hidden * (q + 2 * kv) + q * s.hidden + 3 * s.hidden * s.intermediate;
}

/** Floats of the joined q|k|v and gate|up weights a frozen base holds besides its own (LlamaModel.concatenated), all layers. */
export function joinedWeightFloats(s: MemoryShape): number {
  const qkv = (s.heads + 2 * s.kvHeads) * s.headDim;
  return s.layers * s.hidden * (qkv + 2 * s.intermediate);
}

/** Parameters of the base (embeddings, attention, SwiGLU MLP, norms, LM head unless tied). */
export function baseParameters(s: MemoryShape): number {
  return s.vocabSize * s.hidden * (s.tieEmbeddings ? 1 : 2) + s.layers * (projectionParameters(s) + 2 * s.hidden) + s.hidden;
}

/**
 * Floats alive per token and layer at the peak of a LoRA gradient step, fitted on tf.profile's peak bytes of
 * kgtune's own forward/backward (test/unit/training/gpu-memory.test.ts re-measures it): tfjs runs op by op and
 * its tape keeps every input the backward pass needs (norms, RoPE, dropout masks of 7 adapted projections,
 * their gradients), about 121 floats per hidden unit, 35 per MLP unit and 9 per head and attended position.
 * TensorFlow on a GPU holds the same tensors (tfjs-node-gpu executes the same ops eagerly).
 */
const PER_HIDDEN = 121;
const PER_INTERMEDIATE = 35;
const PER_HEAD_POSITION = 9;
/** Floats per token and vocabulary entry at the loss: logits, the softmax and one-hot of the fused cross-entropy's gradient. */
const PER_VOCAB = 11;

function floatsPerTokenLayer(s: MemoryShape, r: Pick<MemoryRun, 'seqLen'>): number {
  return PER_HIDDEN * s.hidden + PER_INTERMEDIATE * s.intermediate + PER_HEAD_POSITION * s.heads * r.seqLen;
}

/**
 * Bytes of the step's intermediates: per-layer activations and the loss over the vocabulary. With checkpointing
 * the activations are every layer's input (d floats per token) plus one layer's intermediates while it is
 * recomputed; the loss's own tensors stay until the step ends either way (measured: within 5 % of tf.profile's
 * peak bytes on 2–8-layer micro models, test/unit/training/gpu-memory.test.ts).
 */
export function stepActivationBytes(s: MemoryShape, r: Pick<MemoryRun, 'batchSize' | 'seqLen' | 'gradientCheckpointing'>): { activations: number; logits: number; backwardCopies: number } {
  const tokens = r.batchSize * r.seqLen;
  const liveLayers = r.gradientCheckpointing ? 1 : s.layers;
  const layerInputs = r.gradientCheckpointing ? s.layers * s.hidden : 0;
  return {
    activations: tokens * (layerInputs + liveLayers * floatsPerTokenLayer(s, r)) * F32,
    logits: tokens * s.vocabSize * PER_VOCAB * F32,
    backwardCopies: (liveLayers * projectionParameters(s) + (s.tieEmbeddings ? 2 : 1) * s.vocabSize * s.hidden) * F32,
  };
}

/** Estimated device memory of one LoRA training step of `s` at `r` (MiB, rounded up). */
export function estimateTrainingMemory(s: MemoryShape, r: MemoryRun): MemoryEstimate {
  const step = stepActivationBytes(s, r);
  const loraParams = s.layers * r.loraTargets * r.loraR * 2 * s.hidden; // A [in, r] + B [r, out], in ≈ out ≈ hidden
  const weightsMiB = (baseParameters(s) * F32) / MiB;
  const joinedWeightsMiB = (joinedWeightFloats(s) * F32) / MiB;
  const loraMiB = (loraParams * F32 * 4) / MiB; // weights, gradients, two Adam moments
  const activationsMiB = step.activations / MiB;
  const logitsMiB = step.logits / MiB;
  const backwardCopiesMiB = step.backwardCopies / MiB;
  const variable = weightsMiB + joinedWeightsMiB + backwardCopiesMiB + loraMiB + activationsMiB + logitsMiB;
  const overheadMiB = FIXED_OVERHEAD_MIB + 0.1 * variable;
  const up = (x: number) => Math.ceil(x);
  return { weightsMiB: up(weightsMiB), joinedWeightsMiB: up(joinedWeightsMiB), backwardCopiesMiB: up(backwardCopiesMiB), loraMiB: up(loraMiB), activationsMiB: up(activationsMiB), logitsMiB: up(logitsMiB), overheadMiB: up(overheadMiB), totalMiB: up(variable + overheadMiB) };
}

/** True for TensorFlow's and tfjs' out-of-memory errors (`OOM when allocating tensor …`, ResourceExhausted, CUDA_ERROR_OUT_OF_MEMORY). */
export function isOutOfMemory(err: unknown): boolean {
  const msg = err instanceof Error ? err.message : String(err);
  return /OOM when allocating|ResourceExhausted|RESOURCE_EXHAUSTED|CUDA_ERROR_OUT_OF_MEMORY|out of memory/i.test(msg);
}

/** An out-of-memory error as one line that names the knobs, with the estimate for the current run (and with checkpointing, when it is off). */
export function outOfMemoryError(s: MemoryShape, r: MemoryRun & { gradAccum: number }): TrainingError {
  const e = estimateTrainingMemory(s, r);
  const ck = estimateTrainingMemory(s, { ...r, gradientCheckpointing: true });
  const checkpointing = r.gradientCheckpointing
    ? 'training.gradientCheckpointing is already on'
    : `or turn on training.gradientCheckpointing (estimated ${ck.totalMiB} MiB, one more forward pass per step)`;
  return new TrainingError(
    'OutOfMemory',
    `training ran out of device memory at batchSize ${r.batchSize} × seqLen ${r.seqLen} (estimated ${e.totalMiB} MiB, of which activations ${e.activationsMiB + e.logitsMiB} MiB): ` +
      `lower training.batchSize (raise training.gradAccum, now ${r.gradAccum}, to keep the effective batch) or training.seqLen, ${checkpointing}; see README "GPU memory"`,
  );
}
