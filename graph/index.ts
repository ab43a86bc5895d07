/** graph/: fact extraction, entity resolution, the Neo4j schema, store and snapshots. */
export * from './extract/index.js';
export { Resolver } from './resolve/index.js';
export type { MergeRule } from './resolve/index.js';
export { ensureSchema, SCHEMA_FIX_COMMAND } from './schema.js';
export { Evidence, EntityMerge, EntityRecord, FactRecord, SnapshotData } from './model.js';
export { evaluateExtractor, labelledChunks, loadLabelled } from './quality.js';
export type { SchemaReport } from './schema.js';
export {
  countDocumentsByStatus, createSnapshot, deleteTenant, getChunks, getEntities, graphContentHash, Predicate, readSnapshot, upsertChunks,
  upsertCorpus, upsertDataset, upsertDocuments, upsertEntitiesAndFacts, withdrawDocument, FACT_BATCH, factRows, writeFactRows,
} from './store.js';
export type { DatasetInput, GraphBatch, Page, WithdrawalReport } from './store.js';
export { entityId, factId, stableId } from './internal/ids.js';
/** How the graph keys names and literal values (the real-text bench matches entities the same way). */
export { literalKey, nameKey } from './internal/normalize.js';
export { GraphSchemaError, GraphStoreError, GraphValidationError, LlmExtractionError, StoredPropertyError } from './errors.js';
export { LABEL, REL } from './queries/allow-list.js';
export { read as readTx, write as writeTx, plain, stableJson } from './session.js';
// Cypher of the stores that live outside graph/ (tenants and operator keys in client/, the registry, the API's reads)
export * from './queries/api.js';
export * from './queries/operators.js';
export * from './queries/registry.js';
export { corpusChunkTexts, corpusSignatures, countCorpusChunks, findDocuments, getCorpusTerms, linkDuplicateNames, setCorpusTerms, setSignatures } from './ingest-store.js';
export { discoverCorpusTerms, ingestCorpusBatch } from './ingest-corpus.js';
export { jsonProperty } from './properties.js';
export { probeNode } from './health.js';
