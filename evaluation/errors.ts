import { KgtuneError } from '../configs/pure/errors.js';
export type EvaluationErrorType = 'GenerationMismatch' | 'InvalidSafetensors' | 'InvalidInput';

/** Evaluation failures; all are permanent (retrying the same input fails the same way). */
export class EvaluationError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return false; }
  readonly permanent = true;
  constructor(
    message: string,
    readonly type: EvaluationErrorType,
  ) {
    super(message);
    this.name = 'EvaluationError';
  }
}
