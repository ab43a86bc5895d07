import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { TrainingActivities } from '../activities/types.js';
import type { TrainingOptions } from '../configs/pipeline-input.js';
import { BASE_MODEL, TRAINING } from './options.js';

const { ensureBaseModel } = proxyActivities<TrainingActivities>(BASE_MODEL);
const { trainAdapter } = proxyActivities<TrainingActivities>(TRAINING);

export interface FineTuneInput { tenant: string; domain: string; runId: string; datasetDir: string; training: TrainingOptions; seed: number; base?: string }
export type FineTuneResult = Awaited<ReturnType<TrainingActivities['trainAdapter']>> & { baseDir: string; baseModelId: string; baseSha256: string };
export const fineTuneProgressQuery = defineQuery<{ phase: string; percent: number }>('progress');

/** Training progress (step, loss, checkpoint) is in the activity's heartbeat details, visible in the Web UI. */
export async function fineTune(input: FineTuneInput): Promise<FineTuneResult> {
  const p = { phase: 'base', percent: 0 };
  setHandler(fineTuneProgressQuery, () => p);
  const base = await ensureBaseModel({ seed: input.seed, base: input.base ?? 'tiny' });
  p.phase = 'train';
  p.percent = 10;
  const r = await trainAdapter({ tenant: input.tenant, domain: input.domain, runId: input.runId, baseDir: base.baseDir, baseModelId: base.baseModelId, datasetDir: input.datasetDir, training: input.training });
  p.phase = 'done';
  p.percent = 100;
  return { ...r, baseDir: base.baseDir, baseModelId: base.baseModelId, baseSha256: base.sha256 };
}
