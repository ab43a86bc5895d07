import type { Driver } from 'neo4j-driver';
import type { Connection } from '@temporalio/client';
import { probeNode } from '../graph/index.js';
import type { TrainingDevice } from '../training/index.js';

/** Activities for the healthcheck workflow. Dependencies are injected by the worker. */
export function createHealthActivities(deps: { driver: Driver; temporal: Connection }) {
  return {
    async probeNeo4j(input: { probe: string }): Promise<{ version: string; edition: string; wroteAndRead: boolean }> {
      return probeNode(deps.driver, input.probe);
    },
    async temporalVersion(): Promise<{ serverVersion: string }> {
      const info = await deps.temporal.workflowService.getSystemInfo({});
      return { serverVersion: info.serverVersion ?? 'unknown' };
    },
  };
}

/** Registered on kgtune-gpu workers only: the device the worker probed at start (cli/training-device.ts). */
export function createDeviceActivities(device: TrainingDevice) {
  return {
    async trainingDevice(): Promise<TrainingDevice> {
      return device;
    },
  };
}
