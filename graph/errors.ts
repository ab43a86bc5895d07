/** Typed errors of graph/: `type` is what activities turn into non-retryable failures. */
import { KgtuneError, PermanentError } from '../configs/pure/errors.js';
export class GraphValidationError extends PermanentError('GraphValidationError') {}

export class GraphStoreError extends KgtuneError {
  readonly type = 'GraphStoreError';
  get code(): string { return this.type; }
  get retryable(): boolean { return true; }
}

/** The LLM extractor cannot run at all (endpoint refuses the key, model file missing): `permanent` → not retried. */
export class LlmExtractionError extends KgtuneError {
  readonly type = 'LlmExtractionError';
  get code(): string { return this.type; }
  get retryable(): boolean { return !this.permanent; }
  constructor(message: string, readonly permanent = false) {
    super(message);
  }
}

/** The schema cannot be created (e.g. duplicates that cannot be merged): the message names the nodes and the fix. */
export class GraphSchemaError extends KgtuneError {
  readonly type = 'GraphSchemaError';
  get code(): string { return this.type; }
  get retryable(): boolean { return true; }
}

/** A JSON property read back from a node does not parse (graph/properties.ts): the same read fails the same way. */
export class StoredPropertyError extends PermanentError('InvalidStoredProperty') {}
