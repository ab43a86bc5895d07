/** Everything that talks to Temporal (and the graph's driver) from outside a worker: the CLI and the API use this. */
export { ConnectError, connectNeo4j, connectTemporal, neo4jDriver } from './connect.js';
export { PIPELINE_WORKFLOW, startPipeline, type StartFn, type Started } from './start.js';
export { followPipeline, readPipelineProgress, stageTimings, trainingDetail, type PipelineSnapshot, type ReadOptions, type StageView } from './progress.js';
export { queryChildProgress, queryPipelineProgress, queryPromotionState, signalReview, trainingProgressSender } from './handles.js';
export { ReviewError, sendReview, waitForPromotion, withTimeout, type ReviewErrorCode } from './review.js';
