/** The first real workflow through both real services: the dev server started by `kgtune services up`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../../configs/env.js';
import { connectTemporal } from '../../cli/connect.js';
import { createWorkers } from '../../cli/worker.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import type { HealthcheckResult } from '../../workflows/healthcheck.js';

const env = loadEnv();
let client: Client;
let connection: Connection;

beforeAll(async () => {
  ({ client, connection } = await connectTemporal(env));
});
afterAll(async () => { await connection?.close(); });

describe('healthcheck workflow (real Temporal dev server + real Neo4j)', () => {
  it('writes and reads a node in Neo4j and reports both versions', async () => {
    const { workers, close } = await createWorkers(env, 'cpu');
    const worker = workers[0]!;
    try {
      const r = await worker.runUntil(client.workflow.execute('healthcheck', {
        taskQueue: TASK_QUEUES.cpu, workflowId: `test-healthcheck-${Date.now()}`, args: [{ probe: 'vitest' }],
      }) as Promise<HealthcheckResult>);
      expect(r.neo4j.wroteAndRead).toBe(true);
      expect(r.neo4j.version).toMatch(/^5\.26\./);
      expect(r.neo4j.edition).toBe('community');
      expect(r.temporal.serverVersion).toMatch(/^\d+\.\d+/);
      // No worker polls kgtune-gpu: the healthcheck says so instead of waiting.
      expect(r.training).toEqual({ unavailable: 'no kgtune-gpu worker answered within 5 s' });
    } finally {
      await close();
    }
  });

  it('reports the training device of the kgtune-gpu worker', async () => {
    const { workers, device, close } = await createWorkers(env, 'all');
    const running = workers.map((w) => w.run());
    try {
      const r = (await client.workflow.execute('healthcheck', {
        taskQueue: TASK_QUEUES.cpu, workflowId: `test-healthcheck-device-${Date.now()}`, args: [{ probe: 'vitest-device' }],
      })) as HealthcheckResult;
      // The test stack trains on a CPU backend (wasm unless the native build exists): reported as such.
      expect(r.training).toEqual({ device });
      expect(device).toMatchObject({ kind: 'cpu', name: 'CPU' });
    } finally {
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      await close();
    }
  });
});
