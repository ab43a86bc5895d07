/** Typed errors of the training layer. `type` is stable: the activity maps it to non-retryable failures. */
export type TrainingErrorType =
  | 'BackendUnavailable'
  | 'InvalidModelConfig'
  | 'InvalidCheckpoint'
  | 'NonFiniteLoss'
  | 'NonFiniteWeights'
  | 'TrainingCancelled'
  | 'TokenizerError'
  /** Device memory exhausted (training/gpu-memory.ts names the knob); the same batch fails again on retry. */
  | 'OutOfMemory';

export class TrainingError extends Error {
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
