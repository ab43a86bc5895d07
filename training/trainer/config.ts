import { z } from 'zod';

export const TrainerConfigSchema = z.object({
  /** Optimizer steps (each = gradAccum micro-batches). */
  steps: z.number().int().positive().default(200),
  batchSize: z.number().int().positive().default(8),
  /** Micro-batches summed per step: a larger effective batch without the memory. */
  gradAccum: z.number().int().positive().default(1),
  /** Longest sequence in tokens; longer examples are truncated, packed windows have this length. */
  seqLen: z.number().int().positive().default(128),
  /** 2e-4: the usual LoRA learning rate; full-parameter pretraining of the tiny base uses ~1e-3. */
  lr: z.number().positive().default(2e-4),
  /** Linear warmup avoids early Adam steps blowing up freshly initialised parameters. */
  warmupSteps: z.number().int().nonnegative().default(10),
  /** Cosine decays to lr·minLrRatio at the last step (nanoGPT uses 0.1). */
  minLrRatio: z.number().min(0).max(1).default(0.1),
  /** Decoupled weight decay on matrices only (not norms/biases); LoRA usually uses none. */
  weightDecay: z.number().min(0).default(0),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  eps: z.number().positive().default(1e-8),
  /** Global-norm clipping at 1.0 (common default) keeps rare spikes from derailing small runs. */
  clipNorm: z.number().positive().default(1.0),
  /** Evaluate on the validation set every N steps (0: never). */
  evalEvery: z.number().int().nonnegative().default(0),
  /** Stop after this many evaluations without a better validation loss (0: never stop early). */
  patience: z.number().int().nonnegative().default(0),
  /**
   * End with the weights of the best validation loss (HF load_best_model_at_end) instead of the
   * last step's. Only meaningful with evalEvery > 0.
   */
  loadBestAtEnd: z.boolean().default(true),
  /** Save a checkpoint every N steps (0: only on cancellation and at the end). */
  checkpointEvery: z.number().int().nonnegative().default(0),
  /**
   * Gradient (activation) checkpointing, HF TrainingArguments' name: each decoder layer keeps only its input and
   * is recomputed in the backward pass. Same losses and gradients (same dropout masks); activation memory falls
   * from all layers' intermediates to one layer's plus the layer inputs, for one more forward pass per step (LoRA:
   * ~1.5× the step's compute, as its backward pass computes no weight gradients of the base). Off by default: the tiny base's activations are small; trainLora turns it on for real bases
   * unless set (checkpointingByDefault in training/index.ts). README "GPU memory" has the figures.
   */
  gradientCheckpointing: z.boolean().default(false),
  /** Seeds data order, dropout and initialisation: same seed, same losses. */
  seed: z.number().int().nonnegative().default(0),
});
export type TrainerConfig = z.infer<typeof TrainerConfigSchema>;
export type TrainerConfigInput = z.input<typeof TrainerConfigSchema>;
