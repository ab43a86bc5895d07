export { oneLine } from '../configs/pure/errors.js';

export class UsageError extends Error {
  readonly type = 'UsageError';
}
