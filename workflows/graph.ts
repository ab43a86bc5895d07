import { defineQuery, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { GraphActivities } from '../activities/index.js';
import type { ExtractionOptionsRaw, LlmStats } from '../graph/contract.js';
import { GRAPH_LLM, GRAPH_WRITE } from './options.js';

const graph = proxyActivities<GraphActivities>(GRAPH_WRITE);
const graphLlm = proxyActivities<GraphActivities>(GRAPH_LLM);

export interface BuildGraphInput { tenant: string; corpus: string; industry: string; batchSize?: number; /** Absent: offline (histories recorded before the option). */ extraction?: ExtractionOptionsRaw }
export interface BuildGraphProgress { chunksDone: number; chunksTotal: number; facts: number; entities: number; percent: number; phase: string; /** LLM modes: calls, cache hits, failed chunks, grounded and dropped triples, summed over batches. */ llm?: LlmStats }
export interface BuildGraphResult { snapshotId: string; facts: number; entities: number; chunks: number; llm?: LlmStats }

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
    const usesLlm = !!input.extraction && input.extraction.mode !== undefined && input.extraction.mode !== 'offline';
    const r = await (usesLlm ? graphLlm : graph).extractBatch({ tenant: input.tenant, corpus: input.corpus, industry: input.industry, skip, limit, ...(input.extraction ? { extraction: input.extraction } : {}) });
    if (r.llm) p.llm = addLlmStats(p.llm, r.llm);
    p.chunksDone = Math.min(chunks, skip + limit);
    p.facts += r.facts;
    p.entities += r.entities;
    p.percent = Math.round((95 * p.chunksDone) / Math.max(1, chunks));
  }
  p.phase = 'snapshot';
  const snap = await graph.createSnapshot({ tenant: input.tenant, corpus: input.corpus });
  p.phase = 'done';
  p.percent = 100;
  return { snapshotId: snap.snapshotId, facts: snap.facts, entities: snap.entities, chunks, ...(p.llm ? { llm: p.llm } : {}) };
}

/** Sums the LLM counters of two batches (pure: plain numbers). */
export function addLlmStats(a: LlmStats | undefined, b: LlmStats): LlmStats {
  if (!a) return b;
  const dropped = { ...a.dropped };
  for (const [k, v] of Object.entries(b.dropped) as Array<[keyof LlmStats['dropped'], number]>) dropped[k] = (dropped[k] ?? 0) + v;
  return {
    chunks: a.chunks + b.chunks, cached: a.cached + b.cached, calls: a.calls + b.calls, retries: a.retries + b.retries,
    failedChunks: a.failedChunks + b.failedChunks, triples: a.triples + b.triples, grounded: a.grounded + b.grounded, dropped,
  };
}
