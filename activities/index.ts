import type { Driver } from 'neo4j-driver';
import type { Connection } from '@temporalio/client';
import type { KgtuneEnv } from '../configs/env.js';
import { createHealthActivities } from './health.js';

export interface ActivityDeps { driver: Driver; temporal: Connection; env: KgtuneEnv }

/** Everything but training/evaluation: runs on `kgtune-cpu`. */
export function createCpuActivities(deps: ActivityDeps) {
  return {
    ...createHealthActivities(deps),
  };
}

/** Training and generation-heavy evaluation: runs on `kgtune-gpu`, one at a time. */
export function createGpuActivities(_deps: ActivityDeps) {
  return {};
}
