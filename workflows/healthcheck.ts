import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createDeviceActivities, createHealthActivities } from '../activities/health.js';
import { HEALTH, HEALTH_GPU } from './options.js';

const { probeNeo4j, temporalVersion } = proxyActivities<ReturnType<typeof createHealthActivities>>(HEALTH);
const { trainingDevice } = proxyActivities<ReturnType<typeof createDeviceActivities>>(HEALTH_GPU);

export interface HealthcheckResult {
  neo4j: { version: string; edition: string; wroteAndRead: boolean };
  temporal: { serverVersion: string };
  /** The device a kgtune-gpu worker trains on, or why none answered. */
  training: { device: Awaited<ReturnType<ReturnType<typeof createDeviceActivities>['trainingDevice']>> } | { unavailable: string };
  workflowId: string;
}

async function gpuWorkerDevice(): Promise<HealthcheckResult['training']> {
  try {
    return { device: await trainingDevice() };
  } catch {
    return { unavailable: 'no kgtune-gpu worker answered within 5 s' };
  }
}

/** A first real workflow through both services: writes and reads a node in Neo4j, reports versions and the training device. */
export async function healthcheck(input: { probe?: string } = {}): Promise<HealthcheckResult> {
  const id = workflowInfo().workflowId;
  const [neo4j, temporal, training] = await Promise.all([probeNeo4j({ probe: input.probe ?? id }), temporalVersion(), gpuWorkerDevice()]);
  return { neo4j, temporal, training, workflowId: id };
}
