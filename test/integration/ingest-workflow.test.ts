/**
 * ingestCorpus on Temporal's time-skipping test server with fake activities: the listing comes in
 * pages (never in one payload), every file is ingested exactly once, and each non-ingested file is
 * listed once with its reason.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestActivities } from '../../activities/index.js';
import { loadEnv } from '../../configs/env.js';
import { ensureTestServer } from '../../services/index.js';
import { workflowBundle } from '../../cli/worker.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import type { IngestResult } from '../../workflows/ingest.js';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = await ensureTestServer(loadEnv());
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
});
afterAll(async () => { await env?.teardown(); });

describe('ingestCorpus workflow', () => {
  it('pages through the listing; each file ingested once; failures listed once each', async () => {
    const files = Array.from({ length: 23 }, (_, i) => `doc-${String(i).padStart(2, '0')}.${i % 5 === 0 ? 'pdf' : 'md'}`);
    const pageCalls: Array<string | undefined> = [];
    const ingested: string[] = [];
    const fake: IngestActivities = {
      async listCorpus() { throw new Error('the whole listing must not be requested'); },
      async listCorpusPage({ after }) {
        pageCalls.push(after);
        const start = after === undefined ? 0 : files.indexOf(after) + 1;
        const page = files.slice(start, start + 3);
        return { files: page, total: files.length, ...(start + 3 < files.length ? { next: page[page.length - 1] } : {}) };
      },
      async ingestBatch({ files: batch }) {
        ingested.push(...batch);
        const bad = batch.filter((f) => f.endsWith('.pdf'));
        return {
          counts: { ingested: batch.length - bad.length, ...(bad.length ? { needs_ocr: bad.length } : {}) },
          chunks: batch.length - bad.length,
          failures: bad.map((f) => ({ file: f, status: 'needs_ocr', reason: 'no text layer' })),
        };
      },
      async discoverCorpusTerms() { return { terms: 1, top: ['x'] }; },
    };
    const taskQueue = TASK_QUEUES.cpu;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake });
    const r = await worker.runUntil(env.client.workflow.execute('ingestCorpus', {
      taskQueue, workflowId: `ingest-${Math.random().toString(36).slice(2)}`,
      args: [{ tenant: 't', corpus: 'c', source: '/nowhere', industry: 'manufacturing', batchSize: 2 }],
    }) as Promise<IngestResult>);
    expect(pageCalls).toHaveLength(8);
    expect(pageCalls[0]).toBeUndefined();
    expect([...ingested].sort()).toEqual(files);
    expect(r.total).toBe(23);
    expect(r.byStatus).toEqual({ ingested: 18, needs_ocr: 5 });
    expect(r.failures.map((f) => f.file).sort()).toEqual(files.filter((f) => f.endsWith('.pdf')));
    expect(r.terms).toBe(1);
  });

  it('passes the tenant PII policy of its input to every ingest batch', async () => {
    const seen: unknown[] = [];
    const fake: IngestActivities = {
      async listCorpus() { throw new Error('the whole listing must not be requested'); },
      async listCorpusPage() { return { files: ['a.md', 'b.md', 'c.md'], total: 3 }; },
      async ingestBatch({ files: batch, pii }) {
        seen.push(pii);
        return { counts: { ingested: batch.length }, chunks: batch.length, failures: [] };
      },
      async discoverCorpusTerms() { return { terms: 0, top: [] }; },
    };
    const pii = { kinds: ['mobile' as const], action: 'hash' as const, allow: ['4008208820'] };
    const taskQueue = TASK_QUEUES.cpu;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: fake });
    await worker.runUntil(env.client.workflow.execute('ingestCorpus', {
      taskQueue, workflowId: `ingest-pii-${Math.random().toString(36).slice(2)}`,
      args: [{ tenant: 't', corpus: 'c', source: '/nowhere', industry: 'manufacturing', batchSize: 1, pii }],
    }) as Promise<IngestResult>);
    expect(seen).toEqual([pii, pii, pii]);
  });
});
