/** Typed errors of the training layer. `type` is stable: the activity maps it to non-retryable failures. */
import type { z } from 'zod';
import { issuesLine, KgtuneError } from '../configs/pure/errors.js';
export type TrainingErrorType =
  | 'BackendUnavailable'
  | 'InvalidModelConfig'
  | 'InvalidCheckpoint'
  | 'NonFiniteLoss'
  | 'NonFiniteWeights'
  | 'TrainingCancelled'
  | 'TokenizerError'
  /** A LoRA or trainer config with a bad or unknown field (training/lora/config.ts, training/trainer/config.ts). */
  | 'InvalidTrainingConfig'
  /** Device memory exhausted (training/gpu-memory.ts names the knob); the same batch fails again on retry. */
  | 'OutOfMemory'
  /** The self-distillation prompt file (examples/general-prompts.json) is missing or malformed. */
  | 'InvalidDistillPrompts';

/** Training failures a retry cannot fix (the same data and config diverge again; the backend or model is unusable). */
const PERMANENT: ReadonlySet<TrainingErrorType> = new Set(['NonFiniteLoss', 'NonFiniteWeights', 'InvalidModelConfig', 'BackendUnavailable', 'TokenizerError', 'InvalidTrainingConfig', 'OutOfMemory', 'InvalidDistillPrompts']);

export class TrainingError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return !PERMANENT.has(this.type); }
  constructor(
    readonly type: TrainingErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Thrown when an AbortSignal stops training; `checkpointDir` holds the state to resume from. */
export class TrainingCancelled extends TrainingError {
  constructor(
    readonly checkpointDir: string,
    readonly step: number,
  ) {
    super('TrainingCancelled', `training cancelled at step ${step}; checkpoint saved in ${checkpointDir}`);
  }
}

/** `schema.parse(raw)`, failing with one permanent TrainingError line naming every bad or unknown field. */
export function parseTrainingConfig<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new TrainingError('InvalidTrainingConfig', `invalid ${what} — ${issuesLine(r.error.issues, '(config)')} (names as in training/contract.ts: rank, learningRate, keepBestValidation …)`);
  return r.data;
}
