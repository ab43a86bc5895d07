/** Typed errors of graph/: `type` is what activities turn into non-retryable failures. */
export class GraphValidationError extends Error {
  readonly type = 'GraphValidationError';
}

export class GraphStoreError extends Error {
  readonly type = 'GraphStoreError';
}

export class LlmExtractionError extends Error {
  readonly type = 'LlmExtractionError';
}
