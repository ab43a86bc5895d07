import type { Driver } from 'neo4j-driver';
import type { Connection } from '@temporalio/client';
import { probeNode } from '../graph/health.js';

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
