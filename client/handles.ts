/**
 * Typed queries and signals, from the definitions exported next to their workflows (no bare names): what a
 * process outside a worker asks a running workflow or tells it.
 */
import type { Client, Connection } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { Client as TemporalClient } from '@temporalio/client';
import type { SendProgress } from '../training/index.js';
import { ingestProgressQuery } from '../workflows/ingest.js';
import { buildGraphProgressQuery } from '../workflows/graph.js';
import { synthesizeProgressQuery } from '../workflows/synthesize.js';
import { fineTuneProgressQuery } from '../workflows/fine-tune.js';
import { progressQuery, type PipelineProgress, type Stage } from '../workflows/pipeline.js';
import { approveSignal, promotionStateQuery, rejectSignal, type PromoteStatus, type Review } from '../workflows/promote.js';
import { trainingProgressSignal } from '../workflows/signals.js';

export function queryPipelineProgress(client: Client, workflowId: string): Promise<PipelineProgress> {
  return client.workflow.getHandle(workflowId).query(progressQuery);
}

/** The stages whose child workflow answers a `progress` query, with that query's definition. */
const CHILD_PROGRESS: Partial<Record<Stage, QueryDefinition<object>>> = {
  ingest: ingestProgressQuery, graph: buildGraphProgressQuery, synthesize: synthesizeProgressQuery, train: fineTuneProgressQuery,
};

/** A stage child's `progress` (its fields vary by stage); undefined for a stage that has none. */
export async function queryChildProgress(client: Client, stage: Stage, childId: string): Promise<Record<string, unknown> | undefined> {
  const query = CHILD_PROGRESS[stage];
  if (!query) return undefined;
  return (await client.workflow.getHandle(childId).query(query)) as Record<string, unknown>;
}

export function queryPromotionState(client: Client, workflowId: string): Promise<PromoteStatus> {
  return client.workflow.getHandle(workflowId).query(promotionStateQuery);
}

export async function signalReview(client: Client, workflowId: string, decision: 'approve' | 'reject', review: Review): Promise<void> {
  await client.workflow.getHandle(workflowId).signal(decision === 'approve' ? approveSignal : rejectSignal, review);
}

/** What the training activity calls to report step / loss / ETA to its workflows (wired by the worker). */
export function trainingProgressSender(connection: Connection, namespace: string): SendProgress {
  const client = new TemporalClient({ connection, namespace });
  return async (workflowId, p) => { await client.workflow.getHandle(workflowId).signal(trainingProgressSignal, p); };
}
