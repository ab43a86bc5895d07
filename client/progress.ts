/**
 * The one reader of a pipeline's progress, for every presenter (the CLI's bars, the API's JSON): the pipeline's
 * `progress` query, refined for the running stage by its child's `progress` query and the running activity's
 * last heartbeat (e.g. training's step / of). It yields snapshots; the caller renders them.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { PipelineProgress, PipelineResult, Stage, StageState } from '../workflows/pipeline.js';
import { STAGES } from '../workflows/pipeline.js';
import type { TrainingProgress } from '../training/contract.js';
import { queryChildProgress, queryPipelineProgress } from './handles.js';

export interface StageView { name: Stage; status: StageState['status']; percent: number; detail: string }
export interface PipelineSnapshot { progress: PipelineProgress; stages: StageView[] }

export interface ReadOptions {
  /** Bound every call to the server (a query to a run no worker serves would otherwise keep retrying). */
  deadlineMs?: number;
}

/** "step 120/800, loss 1.234, ETA 4 min" for the training stage. */
export function trainingDetail(t: TrainingProgress): string {
  const eta = t.etaSeconds === null ? '' : `, ETA ${t.etaSeconds < 90 ? `${Math.round(t.etaSeconds)} s` : `${Math.round(t.etaSeconds / 60)} min`}`;
  return `step ${t.step}/${t.total}${t.loss === null ? '' : `, loss ${t.loss.toFixed(3)}`}${eta}`;
}

function bounded<T>(client: Client, opts: ReadOptions, what: string, call: () => Promise<T>): Promise<T> {
  const ms = opts.deadlineMs;
  if (ms === undefined) return call();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms + 500); });
  return Promise.race([client.connection.withDeadline(Date.now() + ms, call), timeout]).finally(() => clearTimeout(timer));
}

/** The running activity's last heartbeat (e.g. training: step, of, loss, checkpoint), decoded. */
async function heartbeatOf(client: Client, workflowId: string, opts: ReadOptions): Promise<Record<string, unknown> | undefined> {
  const d = await bounded(client, opts, 'describe', () => client.workflow.getHandle(workflowId).describe());
  const payload = d.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
  if (!payload) return undefined;
  const v = defaultPayloadConverter.fromPayload(payload);
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}

const fmtDetail = (o: Record<string, unknown>, skip: string[]): string =>
  Object.entries(o).filter(([k, v]) => !skip.includes(k) && v !== undefined && typeof v !== 'object').map(([k, v]) => `${k} ${String(v)}`).join(', ');

async function childView(client: Client, stage: StageState, opts: ReadOptions): Promise<{ percent: number; detail: string } | undefined> {
  try {
    const p = await bounded(client, opts, 'child progress', () => queryChildProgress(client, stage.name, stage.childId));
    if (!p) return undefined;
    let percent = typeof p.percent === 'number' ? p.percent : 0;
    let detail = fmtDetail(p, ['percent']);
    const hb = await heartbeatOf(client, stage.childId, opts).catch(() => undefined);
    if (hb && typeof hb.step === 'number' && typeof hb.of === 'number' && hb.of > 0) {
      percent = Math.floor((100 * hb.step) / hb.of);
      detail = fmtDetail(hb, ['checkpointDir']);
    } else if (hb) {
      // The workflow's own counts are authoritative; the heartbeat adds only what they do not say (a batch's
      // `done 1, chunks 3` beside the corpus's `done 2, chunks 12` read as contradictions, `phase` twice as noise).
      const extra = fmtDetail(Object.fromEntries(Object.entries(hb).filter(([k]) => !(k in p))), ['checkpointDir']);
      detail = `${detail}${detail && extra ? ', ' : ''}${extra}`;
    }
    return { percent, detail };
  } catch {
    return undefined;
  }
}

/** One snapshot of a pipeline's progress; throws when no worker answers the pipeline's query. */
export async function readPipelineProgress(client: Client, workflowId: string, opts: ReadOptions = {}): Promise<PipelineSnapshot> {
  const progress = await bounded(client, opts, 'the progress query', () => queryPipelineProgress(client, workflowId));
  const stages: StageView[] = [];
  for (const s of progress.stages) {
    let percent = s.status === 'done' || s.status === 'skipped' ? 100 : 0;
    let detail = s.summary ?? '';
    if (s.status === 'running' && s.name === 'train' && progress.training) {
      percent = Math.floor((100 * progress.training.step) / progress.training.total);
      detail = trainingDetail(progress.training);
    } else if (s.status === 'running') {
      const child = await childView(client, s, opts);
      if (child) { percent = child.percent; detail = child.detail || detail; }
    }
    stages.push({ name: s.name, status: s.status, percent, detail });
  }
  return { progress, stages };
}

/**
 * Follows a pipeline until it closes: yields a snapshot about every `intervalMs` (none while no worker answers),
 * returns its result (throws its failure).
 */
export async function* followPipeline(client: Client, workflowId: string, intervalMs = 1000): AsyncGenerator<PipelineSnapshot, PipelineResult> {
  const resultP = client.workflow.getHandle(workflowId).result() as Promise<PipelineResult>;
  let done = false;
  resultP.then(() => { done = true; }, () => { done = true; });
  while (!done) {
    let snapshot: PipelineSnapshot | undefined;
    try {
      snapshot = await readPipelineProgress(client, workflowId);
    } catch {
      // The query can fail while the workflow has no worker yet or just closed; the result decides.
    }
    if (snapshot) yield snapshot;
    await Promise.race([resultP.catch(() => undefined), new Promise((r) => setTimeout(r, intervalMs))]);
  }
  return resultP;
}

/** Wall time of each stage (its child workflow's start → close), from Temporal. */
export async function stageTimings(client: Client, workflowId: string): Promise<{ stage: Stage; seconds: number | null }[]> {
  const out: { stage: Stage; seconds: number | null }[] = [];
  for (const stage of STAGES) {
    try {
      const d = await client.workflow.getHandle(`${workflowId}.${stage}`).describe();
      out.push({ stage, seconds: d.closeTime ? (d.closeTime.getTime() - d.startTime.getTime()) / 1000 : null });
    } catch {
      out.push({ stage, seconds: null });
    }
  }
  return out;
}
