/**
 * Issue 13: a CPU-heavy activity must never starve workflow tasks. A `--queue all` worker (a cpu and
 * a gpu Worker in one process, as cli/worker.ts builds them) runs the real trainAdapter activity; a
 * workflow started meanwhile on the same process gets its first workflow task within 10 s and
 * answers its progress query. With training in the worker's own thread (before), tfjs held the event
 * loop for the whole run and the probe got no workflow task until training ended.
 * Then the training is cancelled: it saves a checkpoint and its child process is gone.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveActivityProcesses } from '../../cli/activity-process.js';
import { connectTemporal, neo4jDriver } from '../../client/index.js';
import { gpuActivities } from '../../cli/worker.js';
import { latestCheckpoint } from '../../training/run-folder.js';
import { loadEnv, projectRoot, type KgtuneEnv } from '../../configs/env.js';
import { TrainingOptions } from '../../configs/pipeline-input.js';
import { CHECKPOINT_STATE_FILE, pretrainBase } from '../../training/index.js';
import { selectBackend } from '../../training/backend.js';

const rand = Math.random().toString(36).slice(2, 8);
const cpuQueue = `offloop-cpu-${rand}`;
const gpuQueue = `offloop-gpu-${rand}`;

let home = '';
let env: KgtuneEnv;
let client: Client;
let clientConn: Connection;
let native: NativeConnection;
let workers: Worker[] = [];
let running: Promise<void>[] = [];
const driver = () => neo4jDriver(env);

// whole Example records (synthesis/contract.ts): the training stage reads examples.jsonl through that schema
const PAIRS = Array.from({ length: 24 }, (_, i) => ({
  id: `e${i}`, type: 'fact_qa', lang: 'zh', split: 'train', instruction: `第${i}号产品的型号是什么？`, input: '', output: `型号是KX-${100 + i}。`, factIds: [], chunkIds: [], templateId: 't',
}));

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'kgtune-offloop-'));
  env = loadEnv({ ...process.env, KGTUNE_HOME: home, KGTUNE_TRAIN_BACKEND: 'wasm' }, projectRoot());
  await selectBackend('wasm');
  await pretrainBase({ outDir: path.join(home, 'base'), texts: PAIRS.map((p) => `${p.instruction}${p.output}`), steps: 4, seed: 2, trainer: { batchSize: 4, seqLen: 32 }, tokenizer: { merges: 50 } });
  await mkdir(path.join(home, 'dataset'));
  await writeFile(path.join(home, 'dataset', 'examples.jsonl'), PAIRS.map((p) => JSON.stringify(p)).join('\n'));
  ({ client, connection: clientConn } = await connectTemporal(env));
  native = await NativeConnection.connect({ address: env.temporalAddress });
  workers = [
    await Worker.create({ connection: native, namespace: env.TEMPORAL_NAMESPACE, taskQueue: cpuQueue, workflowsPath: path.join(projectRoot(), 'test', 'fixtures', 'workflows', 'off-loop.ts') }),
    await Worker.create({ connection: native, namespace: env.TEMPORAL_NAMESPACE, taskQueue: gpuQueue, activities: gpuActivities({ driver: driver(), temporal: clientConn, env }), maxConcurrentActivityTaskExecutions: 1 }),
  ];
  running = workers.map((w) => w.run());
});

afterAll(async () => {
  for (const w of workers) w.shutdown();
  await Promise.allSettled(running);
  await clientConn?.close();
  await native?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number => Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);

async function lastHeartbeat(handle: WorkflowHandle): Promise<Record<string, unknown> | undefined> {
  const d = await handle.describe();
  const payload = d.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
  return payload ? (defaultPayloadConverter.fromPayload(payload) as Record<string, unknown>) : undefined;
}

/** Started → first workflow task completed, from the server's history (ms), or undefined within `waitMs`. */
async function firstTaskLatency(handle: WorkflowHandle, waitMs: number): Promise<number | undefined> {
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    const events = (await handle.fetchHistory()).events ?? [];
    const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
    const done = events.find((e) => e.workflowTaskCompletedEventAttributes);
    if (started && done) return ms(done.eventTime) - ms(started.eventTime);
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

describe('CPU-heavy activities run off the worker event loop', () => {
  it('while training runs, a workflow on the same worker gets its first task within 10 s and answers queries; cancelling saves a checkpoint and ends the child', async () => {
    const training = TrainingOptions.parse({ steps: 100_000, rank: 4, alpha: 8, batchSize: 4, replayEvery: 0, checkpointEvery: 10_000 });
    const trainer = await client.workflow.start('trainUntilStopped', {
      taskQueue: cpuQueue, workflowId: `offloop-train-${rand}`,
      args: [{ gpuQueue, train: { tenant: 't', domain: 'd', runId: `run-${rand}`, baseDir: path.join(home, 'base'), datasetDir: path.join(home, 'dataset'), training } }],
    });
    // training is under way in its child process
    let hb: Record<string, unknown> | undefined;
    for (let i = 0; i < 480 && !(typeof hb?.step === 'number' && hb.step >= 1); i++) {
      await new Promise((r) => setTimeout(r, 500));
      hb = await lastHeartbeat(trainer);
    }
    expect(hb?.step, 'training heartbeats a step').toBeGreaterThanOrEqual(1);
    expect(liveActivityProcesses()).toBe(1);

    const probe = await client.workflow.start('probe', { taskQueue: cpuQueue, workflowId: `offloop-probe-${rand}` });
    const latency = await firstTaskLatency(probe, 60_000);
    const t0 = Date.now();
    const progress = await probe.query<{ phase: string }>('progress');
    const queryMs = Date.now() - t0;
    console.log(`[off-loop] first workflow task of a workflow started during training: ${latency ?? '> 60000'} ms; progress query answered in ${queryMs} ms (training at step ${String(hb?.step)})`);
    expect(latency, 'first workflow task (ms)').toBeLessThan(10_000);
    expect(progress).toEqual({ phase: 'probing' });
    expect(queryMs).toBeLessThan(10_000);
    expect(await trainer.query<{ phase: string }>('progress')).toEqual({ phase: 'train' });

    await trainer.signal('stop');
    const r = await trainer.result() as { cancelled: string };
    expect(r.cancelled).not.toMatch(/not cancelled/);
    // the cancelled run saved a checkpoint before stopping (checkpointEvery is far away: only the cancellation writes one)
    const checkpoint = await latestCheckpoint(path.join(env.artifactsDir, 't', 'runs', `run-${rand}`));
    expect(checkpoint, 'checkpoint saved on cancel').toMatch(/checkpoint-\d+$/);
    expect(existsSync(path.join(checkpoint!, CHECKPOINT_STATE_FILE))).toBe(true);
    expect(liveActivityProcesses()).toBe(0);
    await probe.terminate('test done');
  }, 600_000);
});
