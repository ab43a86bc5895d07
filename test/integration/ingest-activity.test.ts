/**
 * The ingest activity against the real Neo4j (MockActivityEnvironment supplies only the activity
 * context): re-ingesting is idempotent, the same bytes under another name are linked as a duplicate,
 * a bad document is reported with a reason and the rest goes on.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, projectRoot } from '../../configs/env.js';
import { connectNeo4j } from '../../client/index.js';
import { createIngestActivities } from '../../activities/ingest.js';
import type { PiiOptions } from '../../ingest/contract.js';
import { countDocumentsByStatus, deleteTenant, graphContentHash } from '../../graph/index.js';

const tenant = `ingest-act-${Date.now().toString(36)}`;
let driver: Driver;
let dir: string;

beforeAll(async () => {
  driver = await connectNeo4j(loadEnv());
  dir = mkdtempSync(path.join(tmpdir(), 'kgtune-ingest-'));
  const tiny = path.join(projectRoot(), 'examples', 'tiny-corpus');
  for (const f of ['lanling-profile-zh.pdf', 'lanling-notes-en.md', 'damaged-upload.pdf']) copyFileSync(path.join(tiny, f), path.join(dir, f));
  writeFileSync(path.join(dir, 'empty.txt'), '');
});
afterAll(async () => {
  await deleteTenant(driver, tenant);
  await driver.close();
});

describe('ingest activity (real Neo4j)', () => {
  it('is idempotent, links duplicates and reports bad documents', async () => {
    const acts = createIngestActivities({ driver });
    const mock = new MockActivityEnvironment();
    const env = { run: <A, R>(fn: (a: A) => Promise<R>, a: A) => mock.run(fn, a) as Promise<R> };
    const { files } = await env.run(acts.listCorpus, { source: dir });
    expect(files).toEqual(['damaged-upload.pdf', 'empty.txt', 'lanling-notes-en.md', 'lanling-profile-zh.pdf']);
    const input = { tenant, corpus: 'c1', source: dir, files, industry: 'manufacturing' };

    const first = await env.run(acts.ingestBatch, input);
    expect(first.counts).toEqual({ failed: 1, empty: 1, ingested: 2 });
    expect(first.failures.map((f) => [f.file, f.status])).toEqual([['damaged-upload.pdf', 'failed'], ['empty.txt', 'empty']]);
    expect(first.chunks).toBeGreaterThan(0);
    const hash = await graphContentHash(driver, tenant);

    const again = await env.run(acts.ingestBatch, input);
    expect(again.counts).toEqual(first.counts);
    expect(again.chunks).toBe(first.chunks);
    expect(await graphContentHash(driver, tenant)).toBe(hash);

    copyFileSync(path.join(dir, 'lanling-notes-en.md'), path.join(dir, 'copy-of-notes.md'));
    const dup = await env.run(acts.ingestBatch, { ...input, files: ['copy-of-notes.md'] });
    expect(dup.counts).toEqual({ duplicate: 1 });
    expect(dup.failures[0]?.reason).toMatch(/same content as 'lanling-notes-en.md'/);
    expect(await countDocumentsByStatus(driver, tenant, 'c1')).toEqual({ empty: 1, failed: 1, ingested: 2 });
  });

  it('stores text redacted by the tenant PII policy from the pipeline input', async () => {
    const acts = createIngestActivities({ driver });
    const src = mkdtempSync(path.join(tmpdir(), 'kgtune-pii-'));
    writeFileSync(path.join(src, 'contacts.txt'), '联系人：王经理，手机 138 1234 5678，邮箱 wang@xinghe.cn，总机 021 6123 4567。\nContact: +44 20 7946 0958.');
    const stored = async (t: string): Promise<string> => (await driver.executeQuery(
      'MATCH (d:Document {tenant: $t})-[:HAS_CHUNK]->(c:Chunk) RETURN c.text AS text ORDER BY c.start', { t },
    )).records.map((r) => r.get('text') as string).join('\n');
    const tenants = { dflt: `${tenant}-pii-d`, narrow: `${tenant}-pii-n` };
    try {
      const run = (t: string, pii?: PiiOptions) =>
        new MockActivityEnvironment().run(acts.ingestBatch, { tenant: t, corpus: 'c1', source: src, files: ['contacts.txt'], industry: 'manufacturing', ...(pii ? { pii } : {}) }) as ReturnType<typeof acts.ingestBatch>;
      expect((await run(tenants.dflt)).counts).toEqual({ ingested: 1 });
      expect((await run(tenants.narrow, { kinds: ['mobile', 'landline'], action: 'hash', allow: [] })).counts).toEqual({ ingested: 1 });
      const dflt = await stored(tenants.dflt);
      const narrow = await stored(tenants.narrow);
      expect(dflt).toContain('手机 [PHONE],邮箱 [EMAIL],总机 [PHONE]'); // NFKC: full-width commas are half-width once stored
      expect(dflt).toContain('Contact: [PHONE].');
      expect(narrow).toMatch(/手机 \[PHONE:[0-9a-f]{8}\],邮箱 wang@xinghe\.cn,总机 \[PHONE:[0-9a-f]{8}\]/);
      expect(narrow).toContain('Contact: +44 20 7946 0958.'); // enPhone not in the tenant's kinds
      expect(narrow).not.toContain('138 1234 5678');
    } finally {
      for (const t of Object.values(tenants)) await deleteTenant(driver, t);
    }
  });

  it('redoes a document a crash left half-written (stored, chunks missing)', async () => {
    const acts = createIngestActivities({ driver });
    const mock = new MockActivityEnvironment();
    const run = <A, R>(fn: (a: A) => Promise<R>, a: A) => mock.run(fn, a) as Promise<R>;
    const input = { tenant, corpus: 'c1', source: dir, files: ['lanling-notes-en.md'], industry: 'manufacturing' };
    const before = await graphContentHash(driver, tenant);
    // What a worker killed between the document write and the chunk writes leaves behind.
    await driver.executeQuery(
      `MATCH (d:Document {tenant: $tenant})-[:HAS_CHUNK]->(c:Chunk) WHERE 'lanling-notes-en.md' IN [d.name] + coalesce(d.otherNames, []) DETACH DELETE c
       WITH DISTINCT d SET d.status = 'ingesting'`, { tenant });
    const r = await run(acts.ingestBatch, input);
    expect(r.counts).toEqual({ ingested: 1 });
    expect(r.chunks).toBeGreaterThan(0);
    expect(await graphContentHash(driver, tenant)).toBe(before);
  });

  it('term discovery is repeatable: same graph content hash after a second run', async () => {
    const acts = createIngestActivities({ driver });
    const mock = new MockActivityEnvironment();
    const run = <A, R>(fn: (a: A) => Promise<R>, a: A) => mock.run(fn, a) as Promise<R>;
    await run(acts.discoverCorpusTerms, { tenant, corpus: 'c1', industry: 'manufacturing' });
    const h = await graphContentHash(driver, tenant);
    await run(acts.discoverCorpusTerms, { tenant, corpus: 'c1', industry: 'manufacturing' });
    expect(await graphContentHash(driver, tenant)).toBe(h);
  });

  it('stores the same bytes under two names identically whichever copy gets there first (the workflow runs batches in parallel)', async () => {
    // Fault suite scenario 5 compared a clean build with a faulted one and saw different hashes: the sample corpus
    // has one file twice, in two concurrent ingest batches, and the Document's name was whichever copy won the race.
    const t = `ingest-dup-${Date.now().toString(36)}`;
    const acts = createIngestActivities({ driver });
    const run = (files: string[]) => new MockActivityEnvironment().run(acts.ingestBatch, { tenant: t, corpus: 'c1', source: dir, files, industry: 'manufacturing' });
    for (const f of ['a-copy.md', 'z-copy.md']) copyFileSync(path.join(dir, 'lanling-notes-en.md'), path.join(dir, f));
    const names = async () => (await driver.executeQuery(
      "MATCH (d:Document {tenant: $t}) WHERE 'a-copy.md' IN [d.name] + coalesce(d.otherNames, []) RETURN d.name AS name, d.otherNames AS other", { t },
    )).records.map((r) => [r.get('name') as string, r.get('other') as string[] | null]);
    const interleavings: Record<string, () => Promise<unknown>> = {
      'a first': async () => { await run(['a-copy.md']); await run(['z-copy.md']); },
      'z first': async () => { await run(['z-copy.md']); await run(['a-copy.md']); },
      // a's batch looks while z's chunks are still being written (status `ingesting`), so it stores the bytes as well.
      'z mid-write': async () => {
        await run(['z-copy.md']);
        await driver.executeQuery("MATCH (d:Document {tenant: $t, name: 'z-copy.md'}) SET d.status = 'ingesting'", { t });
        await run(['a-copy.md']);
      },
      'both at once': () => Promise.all([run(['a-copy.md']), run(['z-copy.md'])]),
    };
    const seen: Record<string, unknown> = {};
    try {
      for (const [what, ingest] of Object.entries(interleavings)) {
        await ingest();
        seen[what] = { hash: await graphContentHash(driver, t), names: await names() };
        await deleteTenant(driver, t);
      }
    } finally {
      await deleteTenant(driver, t);
    }
    const first = seen['a first'] as { names: unknown };
    expect(first.names).toEqual([['a-copy.md', ['z-copy.md']]]);
    for (const what of Object.keys(interleavings)) expect.soft(seen[what], what).toEqual(seen['a first']);
  });
});
