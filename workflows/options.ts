import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Every activity option set, named once. Workflows pick one of these; no inline option objects.
 * Retry: infrastructure failures (Neo4j unavailable, worker crash) are retried with backoff;
 * bad input is raised as a non-retryable ApplicationFailure by the activity and is never retried.
 */
export const TASK_QUEUES = { cpu: 'kgtune-cpu', gpu: 'kgtune-gpu' } as const;

/**
 * Failure types that retries cannot fix, for failures not already marked non-retryable: 'BadInput' (a refused
 * corpus source: ingest's SourceRefusedError; the pipeline), 'ValidationError' (a stage schema or the pipeline input refused the input), 'ConfigError'.
 * Everything kgtune throws is classified where it is thrown (configs/pure/errors.ts, activities/errors.ts).
 */
export const NON_RETRYABLE = ['BadInput', 'ConfigError', 'ValidationError'];

const standardRetry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8, nonRetryableErrorTypes: NON_RETRYABLE };

/** Quick checks against the services. */
export const HEALTH: ActivityOptions = { taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '30s', retry: { ...standardRetry, maximumAttempts: 3 } };

/** The training device of a kgtune-gpu worker: one try, and a healthcheck without a GPU worker waits 5 s at most. */
export const HEALTH_GPU: ActivityOptions = { taskQueue: TASK_QUEUES.gpu, scheduleToStartTimeout: '5s', startToCloseTimeout: '10s', retry: { maximumAttempts: 1 } };

/** Extract + normalize + segment + chunk + redact a batch of documents, then store them. Heartbeats per document. */
export const INGEST: ActivityOptions = { taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '30m', heartbeatTimeout: '1m', retry: standardRetry };

/** Listing a corpus folder, term discovery, small reads. */
export const INGEST_PLAN: ActivityOptions = { taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '10m', heartbeatTimeout: '2m', retry: standardRetry };

/** Fact extraction and batched graph writes. Heartbeats per batch. */
export const GRAPH_WRITE: ActivityOptions = { taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '30m', heartbeatTimeout: '2m', retry: standardRetry };

/**
 * Extraction batches in the LLM modes: a local model answers a chunk in seconds, so a batch can take
 * hours; the activity heartbeats per chunk and its replies are cached, so a retry resumes cheaply.
 */
export const GRAPH_LLM: ActivityOptions = { ...GRAPH_WRITE, startToCloseTimeout: '12h', heartbeatTimeout: '5m' };

/** Instruction-pair synthesis from a snapshot. */
export const SYNTHESIS: ActivityOptions = { taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '30m', heartbeatTimeout: '2m', retry: standardRetry };

/**
 * LoRA training on the GPU queue. Heartbeats carry the last checkpoint, so a retry (e.g. the worker was
 * killed) resumes from it; the heartbeat timeout is what detects a dead worker.
 */
export const TRAINING: ActivityOptions = {
  taskQueue: TASK_QUEUES.gpu,
  startToCloseTimeout: '6h',
  // A killed training worker is noticed after this long (measured: resume ~2 min after SIGKILL with 2m).
  heartbeatTimeout: '1m',
  cancellationType: 'WAIT_CANCELLATION_COMPLETED',
  retry: { ...standardRetry, maximumAttempts: 5 },
};

/** Pretraining the tiny base (only when no base is cached). */
export const BASE_MODEL: ActivityOptions = { ...TRAINING, startToCloseTimeout: '3h' };

/** Generation-heavy evaluation runs where the model is (GPU queue). */
export const EVALUATION: ActivityOptions = { taskQueue: TASK_QUEUES.gpu, startToCloseTimeout: '2h', heartbeatTimeout: '2m', retry: standardRetry };

/** Registry writes (Neo4j + artifact store). */
export const REGISTRY: ActivityOptions = { taskQueue: TASK_QUEUES.cpu, startToCloseTimeout: '10m', retry: standardRetry };
