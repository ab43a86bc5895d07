import { Context } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import { evaluateAdapter } from '../evaluation/index.js';
import type { EvaluateAdapterInput, EvaluateAdapterResult } from '../evaluation/contract.js';
import type { KgtuneEnv } from '../configs/env.js';
import { classified } from './errors.js';

export function createEvaluationActivities(deps: { driver: Driver; env: KgtuneEnv }) {
  const { driver, env } = deps;
  return {
    /**
     * Base, lookup, base with retrieval and base+adapter on the test splits and the independent question
     * set; forgetting; gates; the report and its summary (evaluation/evaluate-adapter.ts). Heartbeats its
     * progress, between decoding steps too.
     */
    async evaluate(input: EvaluateAdapterInput): Promise<EvaluateAdapterResult> {
      const ctx = Context.current();
      return classified(() => evaluateAdapter({ ...input, driver, env, heartbeat: (p) => ctx.heartbeat(p) }));
    },
  };
}
