import { KgtuneError } from '../configs/pure/errors.js';

export { oneLine } from '../configs/pure/errors.js';

/** The command line itself is wrong (unknown command, bad option): the same line fails the same way. */
export class UsageError extends KgtuneError {
  readonly type = 'UsageError';
  get code(): string { return this.type; }
  get retryable(): boolean { return false; }
}
