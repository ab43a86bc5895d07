import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createHealthActivities } from '../activities/health.js';
import { HEALTH } from './options.js';

const { probeNeo4j, temporalVersion } = proxyActivities<ReturnType<typeof createHealthActivities>>(HEALTH);

export interface HealthcheckResult {
  neo4j: { version: string; edition: string; wroteAndRead: boolean };
  temporal: { serverVersion: string };
  workflowId: string;
}

/** A first real workflow through both services: writes and reads a node in Neo4j, reports versions. */
export async function healthcheck(input: { probe?: string } = {}): Promise<HealthcheckResult> {
  const id = workflowInfo().workflowId;
  const [neo4j, temporal] = await Promise.all([probeNeo4j({ probe: input.probe ?? id }), temporalVersion()]);
  return { neo4j, temporal, workflowId: id };
}
