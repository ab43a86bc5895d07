/**
 * Everything that talks to Temporal or Neo4j from outside a worker, shared by the CLI and the API (which never import
 * each other): connections, starting and following pipelines, typed handles, reviews, tenants and operator keys.
 */
export { ConnectError, connectNeo4j, connectTemporal, neo4jDriver, withTemporal } from './connect.js';
export { PIPELINE_WORKFLOW, startPipeline, type StartFn, type Started } from './start.js';
export { followPipeline, readPipelineProgress, stageTimings, trainingDetail, type PipelineSnapshot, type ReadOptions, type StageView } from './progress.js';
export { queryChildProgress, queryPipelineProgress, queryPromotionState, signalReview, trainingProgressSender } from './handles.js';
export { ReviewError, sendReview, waitForPromotion, withTimeout, type ReviewErrorCode } from './review.js';
export { generateKey, hashKey, verifyKey, parseKey, parseOperatorKey, KdfParams, KEY_PREFIX, OPERATOR_KEY_PREFIX, type NewKey } from './keys.js';
export { addKey, createTenant, ensureApiSchema, findKey, listTenants, revokeKey, tenantQuota, TenantError, TenantName, type CreatedKey, type StoredKey, type TenantListing } from './tenants.js';
export {
  createOperatorKey, ensureOperatorSchema, findOperatorKey, listOperatorKeys, OperatorError, OperatorName, revokeOperatorKey,
  type CreatedOperatorKey, type OperatorKeyListing, type StoredOperatorKey,
} from './operators.js';
export { num, readTx, runSchema, writeTx } from './neo4j.js';
