/** Errors of the base catalogue. Every one is permanent (bad id, bad folder, bad file): a retry cannot fix it. */
export type BaseErrorType = 'UnknownBase' | 'InvalidBaseFolder' | 'InvalidGguf' | 'PullFailed';

export class BaseError extends Error {
  /** Read by activities/errors.ts `classify`: permanent errors become non-retryable failures. */
  readonly permanent: boolean;
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
