/**
 * The base of kgtune's typed errors. Whoever throws decides, once, whether a retry of the same call can
 * succeed (`retryable`, as neo4j-driver's `retriable`); `code` is stable and machine-readable. Activities map it
 * to a Temporal failure in one place (activities/errors.ts). Pure: workflows may throw it too.
 */
export abstract class KgtuneError extends Error {
  /** Stable, machine-readable: the Temporal failure's type when the error is permanent. */
  abstract get code(): string;
  /** False: the same call fails the same way (bad input, bad config, corrupt file); true: a retry may succeed. */
  abstract get retryable(): boolean;
}
