/**
 * Promotion workflow on Temporal's real time-skipping test server (binary provisioned by
 * `kgtune services up`). The registry activities are fakes here (this tests the workflow's logic:
 * gates, approval, rejection, timeout); the real registry is tested against Neo4j elsewhere.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryActivities } from '../../activities/types.js';
import { loadEnv } from '../../configs/env.js';
import { ensureTestServer } from '../../services/index.js';
import { workflowBundle } from '../../cli/worker.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { approveSignal, promotionStateQuery, rejectSignal, type PromoteStatus } from '../../workflows/promote.js';

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
      // Wait until the workflow is waiting for a decision.
      for (let i = 0; i < 100; i++) {
        if ((await handle.query(promotionStateQuery)).state === 'awaiting-approval') break;
        await new Promise((res) => setTimeout(res, 100));
      }
      await handle.signal(approveSignal, { reviewer: 'alice', comment: 'looks good' });
    });
    expect(r.state).toBe('production');
    expect(r.review).toMatchObject({ reviewer: 'alice', decision: 'approve' });
    expect(aliasMoves.map((m) => m.alias)).toEqual(['staging', 'production']);
    expect(aliasMoves[1]?.actor).toBe('alice');
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
