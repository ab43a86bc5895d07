/**
 * What the Temporal UI, the API and the CLI see of a pipeline: the Outcome / FailedStage /
 * FailureReason search attributes, the failure and training progress in the `progress` query, and
 * a start on the wrong task queue. A private dev server (TestWorkflowEnvironment.createLocal with
 * the provisioned `temporal` CLI, search attributes registered as `kgtune services up` does);
 * activities are fakes (this tests the workflows' reporting, not the stages).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../configs/env.js';
import { ensureTemporalBinary } from '../../services/index.js';
import { workflowBundle } from '../../cli/worker.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import type { PipelineProgress } from '../../workflows/pipeline.js';
import type { FineTuneProgress } from '../../workflows/fine-tune.js';

let env: TestWorkflowEnvironment;
/** A latch: opening it before anyone waits still lets the later waiter through (under load the activity may start
 * only after the test has released it — a plain callback set by the activity was then a no-op and the test hung). */
function latch(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const wait = new Promise<void>((res) => { open = res; });
  return { wait, open };
}
const listing = latch();
const training = latch();
const progressTo: string[][] = [];

const input = { tenant: 'acme', domain: 'mfg', corpus: 'docs', source: '/nonexistent/docs' };

const fakes = {
  async listCorpusPage(): Promise<never> {
    await listing.wait;
    throw ApplicationFailure.nonRetryable("source folder '/nonexistent/docs' does not exist", 'BadInput');
  },
  async listCorpus(): Promise<never> {
    throw ApplicationFailure.nonRetryable('unexpected', 'BadInput');
  },
  async ensureBaseModel() { return { baseDir: '/base', baseModelId: 'base@1', sha256: 'b'.repeat(64) }; },
  async trainAdapter(i: { progressTo?: string[] }) {
    progressTo.push(i.progressTo ?? []);
    for (const id of i.progressTo ?? []) await env.client.workflow.getHandle(id).signal('trainingProgress', { step: 40, total: 100, loss: 1.2345, etaSeconds: 30 });
    await training.wait;
    return { adapterDir: '/a', runId: 'r', backend: 'fake', steps: 100, finalTrainLoss: 1, trainable: 1, total: 2, lossesFile: '/l' };
  },
};

beforeAll(async () => {
  const path = await ensureTemporalBinary(loadEnv());
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, searchAttributes: Object.values(SEARCH_ATTRIBUTES) } });
});
afterAll(async () => { await env?.teardown(); });

async function withWorkers<T>(fn: () => Promise<T>): Promise<T> {
  const bundle = await workflowBundle();
  const cpu = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.cpu, workflowBundle: bundle, activities: fakes });
  const gpu = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.gpu, workflowBundle: bundle, activities: fakes });
  return gpu.runUntil(cpu.runUntil(fn));
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const v = await read().catch(() => undefined);
    if (v !== undefined && ok(v)) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('pipeline reporting', () => {
  it('started on kgtune-gpu, it fails at once naming kgtune-cpu', async () => {
    await withWorkers(async () => {
      const h = await env.client.workflow.start('domainAdapterPipeline', { taskQueue: TASK_QUEUES.gpu, workflowId: 'pipeline-wrong-queue', args: [input] });
      await expect(h.result()).rejects.toMatchObject({ cause: { message: expect.stringMatching(/runs on task queue 'kgtune-cpu', not 'kgtune-gpu'/) } });
      const d = await h.describe();
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.outcome)).toBe('failed');
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.failedStage)).toBe('input');
    });
  });

  it('a failed stage: Outcome failed, FailedStage and a one-line reason as search attributes and in the progress query; training progress (validated) in the query', async () => {
    await withWorkers(async () => {
      const h = await env.client.workflow.start('domainAdapterPipeline', { taskQueue: TASK_QUEUES.cpu, workflowId: 'pipeline-fails-in-ingest', args: [input] });
      await until(() => h.query<PipelineProgress>('progress'), (p) => p.stages[0]?.status === 'running', 'ingest running');
      await h.signal('trainingProgress', { step: 'many' }); // malformed: ignored
      await h.signal('trainingProgress', { step: 12, total: 800, loss: 2.5, etaSeconds: 300 });
      const p = await until(() => h.query<PipelineProgress>('progress'), (x) => x.training !== undefined, 'training progress');
      expect(p.training).toEqual({ step: 12, total: 800, loss: 2.5, etaSeconds: 300 });
      listing.open();
      await expect(h.result()).rejects.toThrow();
      const d = await h.describe();
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.outcome)).toBe('failed');
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.failedStage)).toBe('ingest');
      expect(d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.failureReason)).toBe("source folder '/nonexistent/docs' does not exist");
      const q = await h.query<PipelineProgress>('progress');
      expect(q.outcome).toBe('failed');
      expect(q.failure).toEqual({ stage: 'ingest', reason: "source folder '/nonexistent/docs' does not exist" });
      expect(q.stages[0]).toMatchObject({ name: 'ingest', status: 'failed', summary: "source folder '/nonexistent/docs' does not exist" });
    });
  });

  it('fineTune shows step / total, loss and ETA from the training activity, and asks it to report to the parent too', async () => {
    await withWorkers(async () => {
      const h = await env.client.workflow.start('fineTune', {
        taskQueue: TASK_QUEUES.cpu, workflowId: 'fine-tune-progress',
        args: [{ tenant: 'acme', runId: 'r', datasetDir: '/d', training: {} as never, seed: 1 }],
      });
      const p = await until(() => h.query<FineTuneProgress>('progress'), (x) => x.step === 40, 'step 40');
      expect(p).toEqual({ phase: 'train', percent: 46, step: 40, total: 100, loss: 1.2345, etaSeconds: 30 });
      expect(progressTo.at(-1)).toEqual(['fine-tune-progress']);
      training.open();
      await h.result();
      expect((await h.query<FineTuneProgress>('progress')).phase).toBe('done');
    });
  });
});
