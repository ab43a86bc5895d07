/**
 * Promotion workflow on Temporal's real time-skipping test server (binary provisioned by
 * `kgtune services up`). The registry activities are fakes here (this tests the workflow's logic:
 * gates, approval, rejection, timeout); the real registry is tested against Neo4j elsewhere.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryActivities } from '../../activities/index.js';
import { loadEnv } from '../../configs/env.js';
import { ensureTestServer } from '../../services/index.js';
import { workflowBundle } from '../../cli/worker.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { approveSignal, promotionStateQuery, rejectSignal, type PromoteStatus } from '../../workflows/promote.js';
import { sendReview } from '../../client/index.js';
import { startPromotion } from '../../cli/commands/adapters.js';

let env: TestWorkflowEnvironment;
const aliasMoves: { alias: string; version: number; actor: string }[] = [];
let gatesPassed = true;

const fakeRegistry: Pick<RegistryActivities, 'setAlias' | 'adapterGatesPassed'> = {
  async setAlias(i) { aliasMoves.push({ alias: i.alias, version: i.version, actor: i.actor }); return { previous: null }; },
  async adapterGatesPassed() { return gatesPassed ? { passed: true, reasons: [] } : { passed: false, reasons: ['emGainParaphrase 0.05 < 0.3'] }; },
};

beforeAll(async () => {
  const path = await ensureTestServer(loadEnv());
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
});
afterAll(async () => { await env?.teardown(); });

async function runPromote(target: 'staging' | 'production', during?: (handle: WorkflowHandle) => Promise<void>): Promise<PromoteStatus> {
  // Activity options route registry activities to kgtune-cpu: this (private) test server has only this worker.
  const taskQueue = TASK_QUEUES.cpu;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fakeRegistry });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start('promoteAdapter', {
      taskQueue, workflowId: `promote-${Math.random().toString(36).slice(2)}`, args: [{ tenant: 't', domain: 'd', version: 3, target, approvalTimeout: '2h' }],
    });
    if (during) await during(handle);
    return handle.result() as Promise<PromoteStatus>;
  });
}

async function waitFor(handle: WorkflowHandle, state: PromoteStatus['state']): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await handle.query(promotionStateQuery)).state === state) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`promotion never reached ${state}`);
}

describe('promoteAdapter workflow', () => {
  it('a failed gate blocks promotion: no alias moves', async () => {
    gatesPassed = false;
    aliasMoves.length = 0;
    const r = await runPromote('production');
    expect(r.state).toBe('blocked-by-gates');
    expect(r.reasons[0]).toMatch(/emGain/);
    expect(aliasMoves).toEqual([]);
    gatesPassed = true;
  });

  it('staging needs no approval', async () => {
    aliasMoves.length = 0;
    const r = await runPromote('staging');
    expect(r.state).toBe('staging');
    expect(aliasMoves).toEqual([{ alias: 'staging', version: 3, actor: 'pipeline' }]);
  });

  it('production waits for approval and records the reviewer', async () => {
    aliasMoves.length = 0;
    const r = await runPromote('production', async (handle) => {
      await waitFor(handle, 'awaiting-approval');
      await handle.signal(approveSignal, { reviewer: 'alice', comment: 'looks good' });
    });
    expect(r.state).toBe('production');
    expect(r.review).toMatchObject({ reviewer: 'alice', decision: 'approve' });
    expect(aliasMoves.map((m) => m.alias)).toEqual(['staging', 'production']);
    expect(aliasMoves[1]?.actor).toBe('alice');
  });

  it('an empty or reviewer-less approve is refused on arrival; the promotion stays pending until a valid one', async () => {
    aliasMoves.length = 0;
    const r = await runPromote('production', async (handle) => {
      await waitFor(handle, 'awaiting-approval');
      await handle.signal('approve', {}); // what the Temporal UI's empty signal form sends
      await handle.signal('approve', { reviewer: '   ', comment: 'blank reviewer' });
      const pending = await handle.query(promotionStateQuery);
      expect(pending.state).toBe('awaiting-approval');
      expect(pending.review).toBeUndefined();
      expect(pending.refused).toEqual([expect.stringMatching(/approve refused: reviewer/), expect.stringMatching(/approve refused: reviewer: reviewer is required/)]);
      expect(aliasMoves.map((m) => m.alias)).toEqual(['staging']);
      await handle.signal(approveSignal, { reviewer: 'carol' });
    });
    expect(r.state).toBe('production');
    expect(r.review).toMatchObject({ reviewer: 'carol', decision: 'approve' });
    expect(aliasMoves.map((m) => m.actor)).toEqual(['pipeline', 'carol']);
  });

  it('a rejection leaves production untouched', async () => {
    aliasMoves.length = 0;
    const r = await runPromote('production', async (handle) => {
      await handle.signal(rejectSignal, { reviewer: 'bob', comment: 'refusals too weak' });
    });
    expect(r.state).toBe('rejected');
    expect(aliasMoves.map((m) => m.alias)).toEqual(['staging']);
  });

  it('times out without a decision (time skipped, not waited)', async () => {
    aliasMoves.length = 0;
    const t0 = Date.now();
    const r = await runPromote('production');
    expect(r.state).toBe('timed-out');
    expect(aliasMoves.map((m) => m.alias)).toEqual(['staging']);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });
});

describe('kgtune adapters promote/approve report what they checked', () => {
  async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: TASK_QUEUES.cpu, workflowBundle: await workflowBundle(), activities: fakeRegistry });
    return worker.runUntil(fn);
  }
  const req = (version: number, to: 'staging' | 'production') => ({ tenant: `t${Math.random().toString(36).slice(2, 8)}`, domain: 'd', version, to, timeout: '2h' });

  it('promote reports blocked-by-gates (not "started")', async () => {
    gatesPassed = false;
    try {
      const r = await withWorker(() => startPromotion(env.client, req(3, 'production')));
      expect(r.status?.state).toBe('blocked-by-gates');
      expect(r.status?.reasons[0]).toMatch(/emGain/);
    } finally {
      gatesPassed = true;
    }
  });

  it('a second promote of the same version attaches to the waiting one instead of starting a duplicate', async () => {
    const q = req(4, 'production');
    await withWorker(async () => {
      const first = await startPromotion(env.client, q);
      expect(first).toMatchObject({ attached: false, status: { state: 'awaiting-approval' } });
      const second = await startPromotion(env.client, q);
      expect(second).toMatchObject({ workflowId: first.workflowId, attached: true, status: { state: 'awaiting-approval' } });
      await sendReview(env.client, first.workflowId, 'reject', { reviewer: 'dave' });
    });
  });

  it('approve of a pipeline id (not its .promote), of an unknown id, or without a reviewer is an error; a valid one reports the state', async () => {
    const q = req(5, 'production');
    await withWorker(async () => {
      const { workflowId } = await startPromotion(env.client, q);
      await expect(sendReview(env.client, `${workflowId}-nope`, 'approve', { reviewer: 'erin' })).rejects.toThrow(/no workflow/);
      await expect(sendReview(env.client, workflowId, 'approve', { reviewer: ' ' })).rejects.toThrow(/reviewer/);
      // A pipeline (here one whose input fails validation at once): its id is not the promotion's.
      const pipeline = await env.client.workflow.start('domainAdapterPipeline', { taskQueue: TASK_QUEUES.cpu, workflowId: `pipeline-${q.tenant}`, args: [{}] });
      await expect(sendReview(env.client, pipeline.workflowId, 'approve', { reviewer: 'erin' })).rejects.toThrow(`its promotion is 'pipeline-${q.tenant}.promote'`);
      const s = await sendReview(env.client, workflowId, 'approve', { reviewer: 'erin', comment: 'ok' });
      expect(s.review).toMatchObject({ reviewer: 'erin', decision: 'approve' });
      expect(['approved', 'production']).toContain(s.state);
    });
  });
});
