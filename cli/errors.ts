import { PermanentError } from '../configs/pure/errors.js';

export { oneLine } from '../configs/pure/errors.js';

/** The command line itself is wrong (unknown command, bad option): the same line fails the same way. */
export class UsageError extends PermanentError('UsageError') {}
