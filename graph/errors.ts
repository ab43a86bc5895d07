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

/** The schema cannot be created (e.g. duplicates that cannot be merged): the message names the nodes and the fix. */
export class GraphSchemaError extends Error {
  readonly type = 'GraphSchemaError';
}
