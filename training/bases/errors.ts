/** Errors of the base catalogue. Every one is permanent (bad id, bad folder, bad file): a retry cannot fix it. */
import { KgtuneError } from '../../configs/pure/errors.js';

export type BaseErrorType = 'UnknownBase' | 'InvalidBaseFolder' | 'InvalidGguf' | 'PullFailed';

export class BaseError extends KgtuneError {
  readonly permanent: boolean;
  get code(): string { return this.type; }
  get retryable(): boolean { return !this.permanent; }
  constructor(
    readonly type: BaseErrorType,
    message: string,
    permanent = true,
  ) {
    super(message);
    this.name = type;
    this.permanent = permanent;
  }
}
