/** Typed errors of graph/: `type` is what activities turn into non-retryable failures. */
export class GraphValidationError extends Error {
  readonly type = 'GraphValidationError';
}

export class GraphStoreError extends Error {
  readonly type = 'GraphStoreError';
}

/** The LLM extractor cannot run at all (endpoint refuses the key, model file missing): `permanent` → not retried. */
export class LlmExtractionError extends Error {
  readonly type = 'LlmExtractionError';
  constructor(message: string, readonly permanent = false) {
    super(message);
  }
}

/** The schema cannot be created (e.g. duplicates that cannot be merged): the message names the nodes and the fix. */
export class GraphSchemaError extends Error {
  readonly type = 'GraphSchemaError';
}
