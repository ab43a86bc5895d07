import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { followPipeline, readPipelineProgress, trainingDetail } from '../../../client/index.js';
import type { PipelineProgress, PipelineResult } from '../../../workflows/pipeline.js';

type Answer = unknown | (() => unknown);

/** Just enough of a Temporal client: queries answered by (workflow id, query name), describe with a heartbeat. */
function fakeClient(queries: Record<string, Answer>, heartbeats: Record<string, unknown> = {}, result?: Promise<unknown>): { client: Client; asked: string[] } {
  const asked: string[] = [];
  const client = {
    connection: { withDeadline: <T>(_d: number, fn: () => Promise<T>) => fn() },
    workflow: {
      getHandle: (id: string) => ({
        query: async (def: { name: string }) => {
          asked.push(`${id}:${def.name}`);
          const a = queries[`${id}:${def.name}`];
          if (a === undefined) throw new Error(`no answer for ${id}:${def.name}`);
          return typeof a === 'function' ? (a as () => unknown)() : a;
        },
        describe: async () => ({
          raw: { pendingActivities: heartbeats[id] === undefined ? [] : [{ heartbeatDetails: { payloads: [defaultPayloadConverter.toPayload(heartbeats[id])] } }] },
        }),
        result: () => result ?? new Promise(() => undefined),
      }),
    },
  };
  return { client: client as unknown as Client, asked };
}

const stage = (name: string, status: string, summary?: string) => ({ name, status, childId: `p.${name}`, ...(summary ? { summary } : {}) });

function progress(stages: ReturnType<typeof stage>[], training?: PipelineProgress['training']): PipelineProgress {
  return { stage: 'ingest', percent: 10, counts: {}, stages, ...(training ? { training } : {}) } as PipelineProgress;
}

describe('the one pipeline progress reader (client/progress.ts)', () => {
  it('uses the training signal for a running train stage', async () => {
    const t = { step: 30, total: 120, loss: 1.23456, etaSeconds: 200 };
    const { client } = fakeClient({ 'p:progress': progress([stage('ingest', 'done', '3 docs'), stage('train', 'running')], t) });
    const snap = await readPipelineProgress(client, 'p');
    expect(snap.stages).toEqual([
      { name: 'ingest', status: 'done', percent: 100, detail: '3 docs' },
      { name: 'train', status: 'running', percent: 25, detail: 'step 30/120, loss 1.235, ETA 3 min' },
    ]);
    expect(trainingDetail({ ...t, etaSeconds: 40, loss: null })).toBe('step 30/120, ETA 40 s');
  });

  it('adds only the heartbeat fields the child progress does not state (no repeated or contradicting keys)', async () => {
    const { client } = fakeClient(
      { 'p:progress': progress([stage('ingest', 'running'), stage('graph', 'running')]), 'p.ingest:progress': { percent: 20, done: 2, failed: 0, total: 10, chunks: 12 }, 'p.graph:progress': { percent: 0, phase: 'extract' } },
      { 'p.ingest': { done: 1, chunks: 3, file: 'a.pdf' }, 'p.graph': { phase: 'extract', chunks: 41 } },
    );
    const snap = await readPipelineProgress(client, 'p');
    expect(snap.stages[0]!.detail).toBe('done 2, failed 0, total 10, chunks 12, file a.pdf');
    expect(snap.stages[1]!.detail).toBe('phase extract, chunks 41');
  });

  it('asks a running child its progress (typed query) and prefers its activity heartbeat step/of', async () => {
    const { client, asked } = fakeClient(
      { 'p:progress': progress([stage('ingest', 'running'), stage('graph', 'running'), stage('evaluate', 'running', 'queued')]), 'p.ingest:progress': { percent: 40, done: 4, total: 10, byStatus: { ok: 4 } }, 'p.graph:progress': { percent: 5, phase: 'extract' } },
      { 'p.graph': { step: 3, of: 4, phase: 'write', checkpointDir: '/x' } },
    );
    const snap = await readPipelineProgress(client, 'p');
    expect(snap.stages[0]).toEqual({ name: 'ingest', status: 'running', percent: 40, detail: 'done 4, total 10' });
    expect(snap.stages[1]).toEqual({ name: 'graph', status: 'running', percent: 75, detail: 'step 3, of 4, phase write' });
    // evaluate has no progress query: nothing asked, its own summary kept
    expect(snap.stages[2]).toEqual({ name: 'evaluate', status: 'running', percent: 0, detail: 'queued' });
    expect(asked).not.toContain('p.evaluate:progress');
  });

  it('throws when the pipeline does not answer; following yields snapshots and returns the result', async () => {
    await expect(readPipelineProgress(fakeClient({}).client, 'p')).rejects.toThrow(/no answer/);
    let finish!: (r: PipelineResult) => void;
    const result = new Promise<PipelineResult>((res) => { finish = res; });
    let n = 0;
    const { client } = fakeClient({ 'p:progress': () => { n += 1; if (n === 2) finish({ registry: { version: 1 } } as PipelineResult); return progress([stage('ingest', 'running')]); } }, {}, result);
    const follow = followPipeline(client, 'p', 5);
    const seen: number[] = [];
    let next = await follow.next();
    while (!next.done) { seen.push(next.value.stages.length); next = await follow.next(); }
    expect(seen).toEqual([1, 1]);
    expect(next.value.registry.version).toBe(1);
  });
});
