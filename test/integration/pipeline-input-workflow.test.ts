/**
 * Wrong JSON from the Temporal Web UI: the pipeline workflow must fail at once, naming each bad
 * field, without running any activity (a private dev server with kgtune's search attributes — the failed
 * input is recorded in Outcome/FailedStage — and the real workflow bundle).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../configs/env.js';
import { ensureTemporalBinary } from '../../services/index.js';
import { workflowBundle } from '../../cli/worker.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = await ensureTemporalBinary(loadEnv());
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, searchAttributes: Object.values(SEARCH_ATTRIBUTES) } });
});
afterAll(async () => { await env?.teardown(); });

describe('domainAdapterPipeline input validation', () => {
  it('fails at once with a message naming each bad field, and runs no activity', async () => {
    let activityCalls = 0;
    const activities = new Proxy({}, { get: () => async () => { activityCalls++; return {}; } });
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.cpu, workflowBundle: await workflowBundle(), activities });
    const err = await worker.runUntil(env.client.workflow.execute('domainAdapterPipeline', {
      taskQueue: TASK_QUEUES.cpu, workflowId: `bad-input-${Date.now()}`,
      args: [{ tenant: 'Acme Corp', domain: 'manufacturing', industry: 'pharma', source: '', training: { rank: 0 } }],
    }).then(() => undefined, (e: unknown) => e));
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as { message: string; type?: string; nonRetryable?: boolean };
    expect(cause.type).toBe('ValidationError');
    expect(cause.nonRetryable).toBe(true);
    for (const field of ['tenant', 'corpus', 'source', 'training.rank']) expect(cause.message).toContain(`${field}:`);
    // an unknown industry pack is caught here, before ingest (it used to surface after the whole corpus, retried 8 times)
    expect(cause.message).toContain('industry: unknown industry pack "pharma" — known packs: generic, manufacturing');
    expect(activityCalls).toBe(0);
  });
});
