/** graph/: fact extraction, entity resolution, the Neo4j schema, store and snapshots. */
export * from './extract/index.js';
export { Resolver } from './resolve/index.js';
export type { MergeRule } from './resolve/index.js';
export { ensureSchema, SCHEMA_FIX_COMMAND } from './schema.js';
export type { SchemaReport } from './schema.js';
export {
  countDocumentsByStatus, createSnapshot, deleteTenant, getChunks, getEntities, graphContentHash, Predicate, readSnapshot, upsertChunks,
  upsertCorpus, upsertDataset, upsertDocuments, upsertEntitiesAndFacts, withdrawDocument,
} from './store.js';
export type { DatasetInput, GraphBatch, Page, WithdrawalReport } from './store.js';
export { entityId, factId } from './internal/ids.js';
export { GraphSchemaError, GraphStoreError, GraphValidationError, LlmExtractionError } from './errors.js';
export { LABEL, REL } from './queries/allow-list.js';
