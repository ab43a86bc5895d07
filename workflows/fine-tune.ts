import { defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { TrainingActivities } from '../activities/index.js';
import type { TrainingOptions } from '../training/contract.js';
import { BASE_MODEL, TRAINING } from './options.js';
import { TrainingProgressSchema, trainingProgressSignal, type TrainingProgress } from './signals.js';

const { ensureBaseModel } = proxyActivities<TrainingActivities>(BASE_MODEL);
const { trainAdapter } = proxyActivities<TrainingActivities>(TRAINING);

export interface FineTuneInput { tenant: string; runId: string; datasetDir: string; training: TrainingOptions; seed: number; base?: string }
export type FineTuneResult = Awaited<ReturnType<TrainingActivities['trainAdapter']>> & { baseDir: string; baseModelId: string; baseSha256: string };
export interface FineTuneProgress { phase: string; percent: number; step?: number; total?: number; loss?: number | null; etaSeconds?: number | null }
export const fineTuneProgressQuery = defineQuery<FineTuneProgress>('progress');

/** Base 0–10 %, training 10–100 % by step. */
export function trainPercent(t: TrainingProgress): number {
  return Math.min(99, 10 + Math.floor((90 * Math.min(t.step, t.total)) / t.total));
}

/**
 * Training progress (step / total, loss, ETA) arrives as `trainingProgress` signals from the
 * training activity (also in its heartbeat details, visible in the Web UI).
 */
export async function fineTune(input: FineTuneInput): Promise<FineTuneResult> {
  const p: FineTuneProgress = { phase: 'base', percent: 0 };
  setHandler(fineTuneProgressQuery, () => p);
  setHandler(trainingProgressSignal, (raw) => {
    const t = TrainingProgressSchema.safeParse(raw);
    if (!t.success || p.phase !== 'train') return;
    Object.assign(p, { percent: trainPercent(t.data), step: t.data.step, total: t.data.total, loss: t.data.loss, etaSeconds: t.data.etaSeconds });
  });
  const base = await ensureBaseModel({ seed: input.seed, base: input.base ?? 'tiny' });
  p.phase = 'train';
  p.percent = 10;
  const info = workflowInfo();
  const progressTo = [info.workflowId, ...(info.parent ? [info.parent.workflowId] : [])];
  const r = await trainAdapter({ tenant: input.tenant, runId: input.runId, baseDir: base.baseDir, baseModelId: base.baseModelId, datasetDir: input.datasetDir, training: input.training, progressTo });
  p.phase = 'done';
  p.percent = 100;
  return { ...r, baseDir: base.baseDir, baseModelId: base.baseModelId, baseSha256: base.sha256 };
}
