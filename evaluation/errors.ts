export type EvaluationErrorType = 'GenerationMismatch' | 'InvalidSafetensors' | 'InvalidInput';

/** Evaluation failures; all are permanent (retrying the same input fails the same way). */
export class EvaluationError extends Error {
  readonly permanent = true;
  constructor(
    message: string,
    readonly type: EvaluationErrorType,
  ) {
    super(message);
    this.name = 'EvaluationError';
  }
}
