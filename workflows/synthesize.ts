import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SynthesisActivities } from '../activities/index.js';
import { SYNTHESIS } from './options.js';

const { synthesizeDataset: synthesizeActivity } = proxyActivities<SynthesisActivities>(SYNTHESIS);

export type SynthesizeInput = Parameters<SynthesisActivities['synthesizeDataset']>[0];
export type SynthesizeResult = Awaited<ReturnType<SynthesisActivities['synthesizeDataset']>>;
export const synthesizeProgressQuery = defineQuery<{ phase: string; percent: number }>('progress');

export async function synthesizeDataset(input: SynthesizeInput): Promise<SynthesizeResult> {
  const p = { phase: 'synthesize', percent: 0 };
  setHandler(synthesizeProgressQuery, () => p);
  const r = await synthesizeActivity(input);
  p.phase = 'done';
  p.percent = 100;
  return r;
}
