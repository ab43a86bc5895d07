/** Workflow helpers shared by scenarios: run a pipeline, ingest + graph a corpus, read attempts from history. */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { projectRoot } from '../../configs/env.js';
import { parsePipelineInput, pipelineWorkflowId, type PipelineInputRaw } from '../../configs/pipeline-input.js';
import { startPipeline } from '../../client/index.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import type { PipelineResult } from '../../workflows/pipeline.js';
import type { IngestResult } from '../../workflows/ingest.js';
import type { BuildGraphResult } from '../../workflows/graph.js';
import type { Ctx } from './harness.js';
import { resultOf } from './harness.js';

export const TINY = (): string => path.join(projectRoot(), 'examples', 'tiny-corpus');
export const SAMPLE = (): string => path.join(projectRoot(), 'examples', 'sample-corpus');

export function pipelineInput(tenant: string, corpus: string, source: string, over: Partial<PipelineInputRaw> = {}) {
  return parsePipelineInput({
    tenant, domain: 'manufacturing', industry: 'manufacturing', corpus, source,
    training: { steps: 12, checkpointEvery: 5, batchSize: 8 }, synthesis: { targetSize: 80 }, promote: 'none',
    ...over,
  });
}

export async function startPipe(ctx: Ctx, tenant: string, corpus: string, source: string, over: Partial<PipelineInputRaw> = {}): Promise<string> {
  const input = pipelineInput(tenant, corpus, source, over);
  const { workflowId, attached } = await startPipeline(ctx.client, input);
  if (attached) throw new Error(`pipeline ${workflowId} already existed (tenant reused?)`);
  ctx.log(`started ${workflowId}`);
  return workflowId;
}

export function pipelineId(tenant: string, corpus: string, source: string, over: Partial<PipelineInputRaw> = {}): string {
  return pipelineWorkflowId(pipelineInput(tenant, corpus, source, over));
}

export async function runPipe(ctx: Ctx, tenant: string, corpus: string, source: string, over: Partial<PipelineInputRaw> = {}, timeoutMs = 900_000): Promise<{ workflowId: string; result: PipelineResult }> {
  const workflowId = await startPipe(ctx, tenant, corpus, source, over);
  return { workflowId, result: await resultOf<PipelineResult>(ctx.client, workflowId, timeoutMs) };
}

export async function startIngest(ctx: Ctx, tenant: string, corpus: string, source: string, suffix: string): Promise<string> {
  const workflowId = `faults-${tenant}-${corpus}-ingest-${suffix}`;
  await ctx.client.workflow.start('ingestCorpus', { taskQueue: TASK_QUEUES.cpu, workflowId, args: [{ tenant, corpus, source, industry: 'manufacturing' }] });
  return workflowId;
}

export async function startGraph(ctx: Ctx, tenant: string, corpus: string, suffix: string): Promise<string> {
  const workflowId = `faults-${tenant}-${corpus}-graph-${suffix}`;
  await ctx.client.workflow.start('buildGraph', { taskQueue: TASK_QUEUES.cpu, workflowId, args: [{ tenant, corpus, industry: 'manufacturing' }] });
  return workflowId;
}

export async function ingestAndGraph(ctx: Ctx, tenant: string, corpus: string, source: string, suffix: string): Promise<{ ingest: IngestResult; graph: BuildGraphResult }> {
  const ingest = await resultOf<IngestResult>(ctx.client, await startIngest(ctx, tenant, corpus, source, suffix), 600_000);
  const graph = await resultOf<BuildGraphResult>(ctx.client, await startGraph(ctx, tenant, corpus, suffix), 600_000);
  return { ingest, graph };
}

/** Highest attempt of each activity type that started in the workflow's history (retries show as attempt > 1). */
export async function activityAttempts(ctx: Ctx, workflowId: string): Promise<Record<string, number>> {
  const h = await ctx.client.workflow.getHandle(workflowId).fetchHistory();
  const typeOf = new Map<string, string>();
  const out: Record<string, number> = {};
  for (const e of h.events ?? []) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) typeOf.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '?');
    const st = e.activityTaskStartedEventAttributes;
    if (st) {
      const t = typeOf.get(String(st.scheduledEventId)) ?? '?';
      out[t] = Math.max(out[t] ?? 0, st.attempt ?? 1);
    }
  }
  return out;
}

export async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Every node reachable from the tenant's Corpus nodes (any direction) whose tenant differs: must be none. */
export async function foreignReachable(ctx: Ctx, tenant: string): Promise<{ reached: number; foreign: string[] }> {
  const start = await ctx.driver.executeQuery('MATCH (c:Corpus {tenant: $tenant}) RETURN collect(elementId(c)) AS ids', { tenant });
  let frontier = (start.records[0]?.get('ids') as string[]) ?? [];
  const seen = new Set(frontier);
  const foreign: string[] = [];
  while (frontier.length) {
    const r = await ctx.driver.executeQuery(
      'MATCH (a)--(b) WHERE elementId(a) IN $ids RETURN DISTINCT elementId(b) AS id, b.tenant AS tenant, labels(b) AS labels',
      { ids: frontier },
    );
    const next: string[] = [];
    for (const rec of r.records) {
      const id = rec.get('id') as string;
      if (seen.has(id)) continue;
      seen.add(id);
      if (rec.get('tenant') !== tenant) foreign.push(`${(rec.get('labels') as string[]).join(':')}@${String(rec.get('tenant'))}`);
      else next.push(id);
    }
    frontier = next;
  }
  return { reached: seen.size, foreign };
}
