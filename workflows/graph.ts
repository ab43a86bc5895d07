import { defineQuery, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { GraphActivities } from '../activities/types.js';
import { GRAPH_WRITE } from './options.js';

const graph = proxyActivities<GraphActivities>(GRAPH_WRITE);

export interface BuildGraphInput { tenant: string; corpus: string; industry: string; batchSize?: number }
export interface BuildGraphProgress { chunksDone: number; chunksTotal: number; facts: number; entities: number; percent: number; phase: string }
export interface BuildGraphResult { snapshotId: string; facts: number; entities: number; chunks: number }

export const buildGraphProgressQuery = defineQuery<BuildGraphProgress>('progress');

export async function buildGraph(input: BuildGraphInput): Promise<BuildGraphResult> {
  // Entity resolution runs within a batch: 2,000 chunks resolve a typical corpus as a whole.
  const limit = input.batchSize ?? 2000;
  const p: BuildGraphProgress = { chunksDone: 0, chunksTotal: 0, facts: 0, entities: 0, percent: 0, phase: 'count' };
  setHandler(buildGraphProgressQuery, () => p);
  // The schema is created when the stack comes up and checked by every worker before it polls (so no
  // activity writes before the constraints exist); histories recorded before that still call it here.
  if (!patched('schema-before-first-write')) await graph.ensureSchema();
  const { chunks } = await graph.countChunks({ tenant: input.tenant, corpus: input.corpus });
  p.chunksTotal = chunks;
  p.phase = 'extract';
  for (let skip = 0; skip < chunks; skip += limit) {
    const r = await graph.extractBatch({ tenant: input.tenant, corpus: input.corpus, industry: input.industry, skip, limit });
    p.chunksDone = Math.min(chunks, skip + limit);
    p.facts += r.facts;
    p.entities += r.entities;
    p.percent = Math.round((95 * p.chunksDone) / Math.max(1, chunks));
  }
  p.phase = 'snapshot';
  const snap = await graph.createSnapshot({ tenant: input.tenant, corpus: input.corpus });
  p.phase = 'done';
  p.percent = 100;
  return { snapshotId: snap.snapshotId, facts: snap.facts, entities: snap.entities, chunks };
}
