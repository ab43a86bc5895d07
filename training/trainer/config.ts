import { z } from 'zod';
import { derivedTrainerKnobs, TrainingOptions } from '../contract.js';
import { parseTrainingConfig } from '../errors.js';

/**
 * The trainer's knobs. Those a pipeline input names (steps, batchSize, learningRate, keepBestValidation,
 * checkpointEvery, seed) are its fields with its defaults (training/contract.ts); the rest are the
 * trainer's own. `evalEvery` and `warmupSteps`, when left out, are derived from the steps in one place
 * (`derivedTrainerKnobs`).
 */
const PipelineTrainer = TrainingOptions.pick({ steps: true, batchSize: true, learningRate: true, keepBestValidation: true, gradientCheckpointing: true, checkpointEvery: true, seed: true });

/** Strict: an old or unknown name (`lr`, `loadBestAtEnd`, a typo) fails in one line instead of being dropped for the default. */
const TrainerKnobs = PipelineTrainer.extend({
  /** Micro-batches summed per step: a larger effective batch without the memory. */
  gradAccum: z.number().int().positive().default(1),
  /** Longest sequence in tokens; longer examples are truncated, packed windows have this length. */
  seqLen: z.number().int().positive().default(128),
  /** Linear warmup avoids early Adam steps blowing up freshly initialised parameters. Left out: derivedTrainerKnobs. */
  warmupSteps: z.number().int().nonnegative().optional(),
  /** Cosine decays to learningRate·minLrRatio at the last step (nanoGPT uses 0.1). */
  minLrRatio: z.number().min(0).max(1).default(0.1),
  /** Decoupled weight decay on matrices only (not norms/biases); LoRA usually uses none. */
  weightDecay: z.number().min(0).default(0),
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  eps: z.number().positive().default(1e-8),
  /** Global-norm clipping at 1.0 (common default) keeps rare spikes from derailing small runs. */
  clipNorm: z.number().positive().default(1.0),
  /** Evaluate on the validation set every N steps (0: never). Left out: derivedTrainerKnobs. */
  evalEvery: z.number().int().nonnegative().optional(),
  /** Stop after this many evaluations without a better validation loss (0: never stop early). */
  patience: z.number().int().nonnegative().default(0),
  /**
   * Save a checkpoint every N steps; the pipeline's default and range (training/contract.ts) with 0
   * allowed here: only on cancellation and at the end (pretraining the tiny base).
   */
  checkpointEvery: z.number().int().nonnegative().default(TrainingOptions.shape.checkpointEvery.parse(undefined)),
}).strict();

export const TrainerConfigSchema = TrainerKnobs.transform((c) => {
  const derived = derivedTrainerKnobs(c);
  return { ...c, warmupSteps: c.warmupSteps ?? derived.warmupSteps, evalEvery: c.evalEvery ?? derived.evalEvery };
});
export type TrainerConfig = z.infer<typeof TrainerConfigSchema>;
export type TrainerConfigInput = z.input<typeof TrainerConfigSchema>;
/** The trainer fields of a pipeline's training options (not LoRA's, not replay); `parseTrainerConfig`: one TrainingError line. */
export const trainerOptions = (t: TrainingOptions): TrainerConfigInput => PipelineTrainer.parse(t);
export const parseTrainerConfig = (raw: unknown): TrainerConfig => parseTrainingConfig(TrainerConfigSchema, raw, 'trainer config');
