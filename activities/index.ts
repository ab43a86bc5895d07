import type { Driver } from 'neo4j-driver';
import type { Connection } from '@temporalio/client';
import type { KgtuneEnv } from '../configs/env.js';
import { createHealthActivities } from './health.js';
import { createIngestActivities } from './ingest.js';
import { createGraphActivities } from './graph.js';
import { createSynthesisActivities } from './synthesis.js';
import { createRegistryActivities } from './registry.js';
import { createTrainingActivities } from './training.js';
import type { SendProgress } from '../training/index.js';
import { createEvaluationActivities } from './evaluation.js';

/**
 * The activity types the workflows call, derived from the factories (as the Temporal samples do):
 * workflows `import type` them from here. Payloads (zod, types inferred) live in each stage's contract.ts.
 */
export type IngestActivities = ReturnType<typeof createIngestActivities>;
export type GraphActivities = ReturnType<typeof createGraphActivities>;
export type SynthesisActivities = ReturnType<typeof createSynthesisActivities>;
export type TrainingActivities = ReturnType<typeof createTrainingActivities>;
export type EvaluationActivities = ReturnType<typeof createEvaluationActivities>;
export type RegistryActivities = ReturnType<typeof createRegistryActivities>;

/** `sendProgress`: how training reports its progress to workflows (a Temporal signal, wired by the worker). */
export interface ActivityDeps { driver: Driver; temporal: Connection; env: KgtuneEnv; sendProgress?: SendProgress }

/** Everything but training/evaluation: runs on `kgtune-cpu`. */
export function createCpuActivities(deps: ActivityDeps) {
  return {
    ...createHealthActivities(deps),
    ...createIngestActivities(deps),
    ...createGraphActivities(deps),
    ...createSynthesisActivities(deps),
    ...createRegistryActivities(deps),
  };
}

/** Training and generation-heavy evaluation: runs on `kgtune-gpu`, one at a time per device. */
export function createGpuActivities(deps: ActivityDeps) {
  return {
    ...createTrainingActivities(deps),
    ...createEvaluationActivities(deps),
  };
}
