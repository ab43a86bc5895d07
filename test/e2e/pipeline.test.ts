/**
 * End to end: the whole pipeline on the tiny corpus through the real Temporal dev server, real
 * workers (both queues, in this process) and the real Neo4j. Set KGTUNE_RECORD_HISTORY=1 to
 * refresh the replay fixtures in test/fixtures/replay/.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { Driver } from 'neo4j-driver';
import { loadEnv, projectRoot } from '../../configs/env.js';
import { parsePipelineInput } from '../../configs/pipeline-input.js';
import { connectNeo4j, connectTemporal } from '../../client/index.js';
import { createWorkers } from '../../cli/worker.js';
import { startPipeline } from '../../client/index.js';
import { countDocumentsByStatus, deleteTenant } from '../../graph/index.js';
import { adaptersForDocument, listAdapters } from '../../registry/index.js';
import type { PipelineResult } from '../../workflows/pipeline.js';

const env = loadEnv();
const tenant = `e2e-${Date.now().toString(36)}`;
let client: Client;
let connection: Connection;
let driver: Driver;

beforeAll(async () => {
  ({ client, connection } = await connectTemporal(env));
  driver = await connectNeo4j(env);
});
afterAll(async () => {
  await deleteTenant(driver, tenant).catch(() => undefined);
  await driver?.close();
  await connection?.close();
});

describe('domainAdapterPipeline end to end (tiny corpus)', () => {
  it('goes from a folder of documents to a registered adapter, reporting the bad document', async () => {
    const input = parsePipelineInput({
      tenant, domain: 'manufacturing', industry: 'manufacturing', corpus: 'tiny', source: path.join(projectRoot(), 'examples', 'tiny-corpus'),
      training: { steps: 12, checkpointEvery: 5, batchSize: 8 }, synthesis: { targetSize: 80 }, promote: 'staging',
    });
    const { workers, close } = await createWorkers(env, 'all');
    const running = workers.map((w) => w.run());
    let result: PipelineResult;
    let workflowId: string;
    try {
      ({ workflowId } = await startPipeline(client, input));
      result = await client.workflow.getHandle(workflowId).result() as PipelineResult;
      // Starting the same job again is rejected as a duplicate (attached, not re-run).
      expect((await startPipeline(client, input)).attached).toBe(true);
    } finally {
      for (const w of workers) w.shutdown();
      await Promise.allSettled(running);
      await close();
    }

    // Ingest: two good documents, the damaged PDF reported with a reason.
    expect(result.ingest.total).toBe(3);
    expect(result.ingest.byStatus.ingested).toBe(2);
    expect(result.ingest.byStatus.failed).toBe(1);
    expect(result.ingest.failures[0]).toMatchObject({ file: 'damaged-upload.pdf', status: 'failed' });
    expect(result.ingest.failures[0]?.reason.length).toBeGreaterThan(5);
    expect(await countDocumentsByStatus(driver, tenant, 'tiny')).toMatchObject({ ingested: 2, failed: 1 });

    // Graph → dataset → training → evaluation → registry, all linked.
    expect(result.graph.facts).toBeGreaterThan(5);
    expect(result.dataset.bySplit.train).toBeGreaterThan(10);
    expect(result.training.steps).toBe(12);
    expect(Number.isFinite(result.training.finalTrainLoss)).toBe(true);
    expect(result.evaluation.gates.length).toBeGreaterThan(3);
    expect(result.registry.version).toBe(1);
    const adapters = await listAdapters(driver, { tenant });
    expect(adapters).toHaveLength(1);
    expect(adapters[0]?.aliases).toContain('candidate');
    // Lineage: the adapter learned from the ingested Chinese profile.
    const docs = await driver.executeQuery(
      'MATCH (d:Document {tenant: $tenant, status: "ingested"}) WHERE d.name ENDS WITH ".pdf" RETURN d.sha256 AS sha', { tenant });
    const sha = docs.records[0]?.get('sha') as string;
    expect((await adaptersForDocument(driver, tenant, sha)).map((a) => a.version)).toEqual([1]);

    if (process.env.KGTUNE_RECORD_HISTORY === '1') {
      // One file per workflow, named by its workflow id (replay needs the id the history ran under).
      for (const id of [workflowId, ...['ingest', 'graph', 'synthesize', 'train', 'promote'].map((s) => `${workflowId}.${s}`)]) {
        const history = historyToJSON(await client.workflow.getHandle(id).fetchHistory());
        await writeFile(path.join(projectRoot(), 'test', 'fixtures', 'replay', `${id}.json`), history);
      }
    }
  });
});
