import { proxyActivities } from '@temporalio/workflow';
import type { EvaluationActivities } from '../activities/index.js';
import { EVALUATION } from './options.js';

const { evaluate } = proxyActivities<EvaluationActivities>(EVALUATION);

export type EvaluateInput = Parameters<EvaluationActivities['evaluate']>[0];
export type EvaluateResult = Awaited<ReturnType<EvaluationActivities['evaluate']>>;

export async function evaluateAdapter(input: EvaluateInput): Promise<EvaluateResult> {
  return evaluate(input);
}
