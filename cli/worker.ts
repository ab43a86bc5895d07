import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import path from 'node:path';
import type { KgtuneEnv } from '../configs/env.js';
import { envValue, projectRoot } from '../configs/env.js';
import { TASK_QUEUES } from '../workflows/options.js';
import { createCpuActivities, createGpuActivities, type ActivityDeps } from '../activities/index.js';
import { ensureGraphSchema } from '../services/index.js';
import { connectNeo4j, connectTemporal, trainingProgressSender } from '../client/index.js';
import { inChildProcesses } from './activity-process.js';
import { createDeviceActivities } from '../activities/health.js';
import { deviceLine, type TrainingDevice } from '../training/index.js';
import { probeTrainingDevice } from './training-device.js';

export type QueueChoice = 'cpu' | 'gpu' | 'all';

let bundle: WorkflowBundleWithSourceMap | undefined;
/** Bundles workflows/ once per process (webpack; ~10 s). */
export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= await bundleWorkflowCode({ workflowsPath: path.join(projectRoot(), 'workflows', 'index.ts'), logger: quietLogger });
  return bundle;
}
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error(m: string) { console.error(m); }, log() {} } as never;

/**
 * The only place where dependencies are wired: Neo4j driver, Temporal connection, artifact folders.
 * `cpu` runs the workflows and every non-training activity; `gpu` runs training and evaluation,
 * one activity at a time (one device), each in a child process.
 */
let runtimeInstalled = false;
/** Worker logs at WARN unless KGTUNE_LOG_LEVEL says otherwise (INFO shows every state change). */
function installRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = envValue('KGTUNE_LOG_LEVEL');
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // Already installed by someone else (e.g. a test environment): keep theirs.
  }
}

/**
 * The GPU queue's activities, each call in a child process: tfjs would otherwise hold this event loop
 * for minutes and starve the workflow tasks and queries of a `--queue all` worker (cli/activity-process.ts).
 */
export function gpuActivities(deps: ActivityDeps): ReturnType<typeof createGpuActivities> {
  return inChildProcesses(deps.env, createGpuActivities(deps));
}

export async function createWorkers(env: KgtuneEnv, queue: QueueChoice, opts: { allowCpu?: boolean } = {}): Promise<{ workers: Worker[]; device?: TrainingDevice; close: () => Promise<void> }> {
  installRuntime();
  // Before connecting: a worker asked for a GPU it does not have stops here with one line.
  const device = queue === 'cpu' ? undefined : await probeTrainingDevice(env, opts);
  const driver = await connectNeo4j(env);
  // Before any worker polls: every constraint exists, so no activity writes into a database without them.
  await ensureGraphSchema(env, (line) => console.log(`worker: ${line}`));
  const { connection: clientConn } = await connectTemporal(env);
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const workers: Worker[] = [];
  const deps = { driver, temporal: clientConn, env, sendProgress: trainingProgressSender(clientConn, env.TEMPORAL_NAMESPACE) };
  if (queue === 'cpu' || queue === 'all') {
    workers.push(await Worker.create({
      connection, namespace: env.TEMPORAL_NAMESPACE, taskQueue: TASK_QUEUES.cpu,
      workflowBundle: await workflowBundle(), activities: createCpuActivities(deps),
      maxConcurrentActivityTaskExecutions: 4,
    }));
  }
  if (queue === 'gpu' || queue === 'all') {
    workers.push(await Worker.create({
      connection, namespace: env.TEMPORAL_NAMESPACE, taskQueue: TASK_QUEUES.gpu,
      // Workflows too, only so that a pipeline started on this queue by mistake fails at once naming
      // kgtune-cpu (workflows/pipeline.ts) instead of waiting forever for a workflow worker.
      workflowBundle: await workflowBundle(), maxConcurrentWorkflowTaskExecutions: 2, // the SDK's minimum with a workflow cache
      activities: { ...gpuActivities(deps), ...(device ? createDeviceActivities(device) : {}) },
      maxConcurrentActivityTaskExecutions: 1,
    }));
  }
  return {
    workers,
    ...(device ? { device } : {}),
    close: async () => {
      await driver.close();
      await clientConn.close();
      await connection.close();
    },
  };
}

export async function runWorkers(env: KgtuneEnv, queue: QueueChoice, log: (m: string) => void, opts: { allowCpu?: boolean } = {}): Promise<void> {
  const { workers, device, close } = await createWorkers(env, queue, opts);
  const trains = device ? `; training on ${deviceLine(device)} (backend ${device.backend})` : '';
  log(`worker polling ${workers.map((w) => w.options.taskQueue).join(' + ')} on ${env.temporalAddress} (namespace ${env.TEMPORAL_NAMESPACE})${trains}; Ctrl-C to stop`);
  try {
    await Promise.all(workers.map((w) => w.run()));
  } finally {
    await close();
  }
}
