/**
 * Regression test for the fresh-machine race (issue 13): on a brand-new, empty Neo4j, the real ingest workflow with
 * parallel batches, run by a real worker made the way every worker is made (`createWorkers`), must leave exactly one
 * Corpus node and one Document per content hash — because the uniqueness constraints exist before the first
 * write. Repeated 10 times on a database emptied of data and schema each time. Before the fix, the constraints came
 * later (inside the graph stage) and concurrent MERGEs made duplicates that then blocked the schema for good.
 * A database poisoned that way by the old code is repaired by ensureSchema's migration (second part).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv, type KgtuneEnv } from '../../configs/env.js';
import { createWorkers } from '../../cli/worker.js';
import { ensureSchema, GraphSchemaError } from '../../graph/index.js';
import { ensureTemporalBinary, startNeo4j, stopNeo4j } from '../../services/index.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import type { IngestResult } from '../../workflows/ingest.js';

const REPEATS = 10;
const FILES = 24;
const stackEnv = loadEnv();
const home = path.join(stackEnv.home, `race-${process.pid}`);
let raceEnv: KgtuneEnv;
let temporal: TestWorkflowEnvironment;
let driver: Driver;
let corpusDir: string;

/** 24 Markdown files; every file 4k+2 repeats the content of file 4k, so two batches running at once MERGE the same Document. */
function writeCorpus(dir: string): void {
  for (let i = 0; i < FILES; i++) {
    const k = i % 4 === 2 ? i - 2 : i;
    writeFileSync(path.join(dir, `doc-${String(i).padStart(2, '0')}.md`), `# Note ${k}\n\nThe Harbor ${k} plant in Qingyu makes gear units. It was opened in ${2000 + k}.\n`);
  }
}

async function emptyDatabase(): Promise<void> {
  const s = driver.session();
  try {
    for (const r of (await s.run('SHOW CONSTRAINTS YIELD name')).records) await s.run(`DROP CONSTRAINT \`${r.get('name') as string}\``);
    for (const r of (await s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")).records) await s.run(`DROP INDEX \`${r.get('name') as string}\` IF EXISTS`);
    await s.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS');
  } finally {
    await s.close();
  }
}

async function count(cypher: string, params: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  const s = driver.session();
  try {
    return (await s.run(cypher, params)).records.map((r) => r.toObject());
  } finally {
    await s.close();
  }
}

beforeAll(async () => {
  // A Neo4j of its own, never started before (no data, no schema), on other ports; downloads shared with the test stack.
  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  symlinkSync(path.join(stackEnv.home, 'cache'), path.join(home, 'cache'));
  const temporalPort = stackEnv.TEMPORAL_PORT + 10;
  raceEnv = loadEnv({ ...process.env, KGTUNE_HOME: home, NEO4J_BOLT_PORT: String(stackEnv.NEO4J_BOLT_PORT + 10), TEMPORAL_PORT: String(temporalPort), TEMPORAL_UI_PORT: String(stackEnv.TEMPORAL_UI_PORT + 10), NEO4J_HEAP: '512m' });
  await startNeo4j(raceEnv);
  temporal = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: await ensureTemporalBinary(stackEnv) },
      ip: '127.0.0.1', port: temporalPort, namespace: raceEnv.TEMPORAL_NAMESPACE, ui: false,
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
    },
  });
  driver = neo4j.driver(raceEnv.neo4jUri, neo4j.auth.basic(raceEnv.NEO4J_USER, raceEnv.NEO4J_PASSWORD), { disableLosslessIntegers: true });
  corpusDir = mkdtempSync(path.join(tmpdir(), 'kgtune-race-'));
  writeCorpus(corpusDir);
});

afterAll(async () => {
  await driver?.close();
  await temporal?.teardown();
  if (raceEnv) await stopNeo4j(raceEnv);
  rmSync(home, { recursive: true, force: true });
  if (corpusDir) rmSync(corpusDir, { recursive: true, force: true });
});

describe('schema before the first write (fresh Neo4j, parallel ingest batches)', () => {
  it(`leaves one Corpus and one Document per content hash, ${REPEATS} times in a row`, async () => {
    const outcomes: string[] = [];
    for (let rep = 0; rep < REPEATS; rep++) {
      await emptyDatabase();
      const tenant = `race${rep}`;
      const { workers, close } = await createWorkers(raceEnv, 'cpu');
      const [worker] = workers;
      try {
        const r = await worker!.runUntil(temporal.client.workflow.execute('ingestCorpus', {
          taskQueue: TASK_QUEUES.cpu, workflowId: `race-${process.pid}-${rep}`,
          args: [{ tenant, corpus: 'c', source: corpusDir, industry: 'manufacturing', batchSize: 2 }],
        }) as Promise<IngestResult>);
        expect(r.total).toBe(FILES);
      } finally {
        await close();
      }
      const corpora = await count('MATCH (c:Corpus {tenant: $tenant}) RETURN count(c) AS n', { tenant });
      const docs = await count('MATCH (d:Document {tenant: $tenant}) WITH d.sha256 AS sha, count(d) AS n RETURN count(sha) AS hashes, max(n) AS most', { tenant });
      outcomes.push(`rep ${rep}: ${String(corpora[0]?.n)} Corpus, ${String(docs[0]?.hashes)} hashes, at most ${String(docs[0]?.most)} Document per hash`);
    }
    expect(outcomes).toEqual(Array.from({ length: REPEATS }, (_, rep) => `rep ${rep}: 1 Corpus, ${FILES - FILES / 4} hashes, at most 1 Document per hash`));
  });
});

describe('ensureSchema repairs a database written without constraints', () => {
  it('merges duplicates keeping every relationship and property, then creates the constraint; a second run changes nothing', async () => {
    await emptyDatabase();
    const s = driver.session();
    try {
      await s.run(`
        CREATE (a:Corpus {tenant: 'old', id: 'sample', name: 'sample', createdAt: 1})
        CREATE (b:Corpus {tenant: 'old', id: 'sample', name: 'sample', terms: ['x']})
        CREATE (c:Corpus {tenant: 'old', id: 'sample', note: 'third'})
        CREATE (d1:Document {tenant: 'old', sha256: 'h1'}), (d2:Document {tenant: 'old', sha256: 'h2'}), (d3:Document {tenant: 'old', sha256: 'h3'})
        CREATE (d1)-[:IN_CORPUS]->(a), (d1)-[:IN_CORPUS]->(b), (d2)-[:IN_CORPUS]->(b), (d3)-[:IN_CORPUS {at: 3}]->(c)
        CREATE (:Corpus {tenant: 'other', id: 'sample'})`);
    } finally {
      await s.close();
    }
    const lines: string[] = [];
    const first = await ensureSchema(driver, (l) => lines.push(l));
    expect(first.repaired).toEqual([{ label: 'Corpus', tenant: 'old', key: 'sample', merged: 2 }]);
    expect(first.created).toContain('corpus_key');
    expect(lines).toEqual(['graph schema: merged 3 Corpus nodes (tenant "old", id "sample") into one']);
    const [row] = await count(`
      MATCH (c:Corpus {tenant: 'old', id: 'sample'})
      OPTIONAL MATCH (d:Document)-[r:IN_CORPUS]->(c)
      WITH c, d, r ORDER BY d.sha256
      RETURN count(DISTINCT c) AS corpora, collect(d.sha256) AS docs, collect(r.at) AS ats, c.createdAt AS createdAt, c.terms AS terms, c.note AS note`, {});
    expect(row).toEqual({ corpora: 1, docs: ['h1', 'h2', 'h3'], ats: [3], createdAt: 1, terms: ['x'], note: 'third' });
    expect((await count("MATCH (c:Corpus {tenant: 'other'}) RETURN count(c) AS n", {}))[0]?.n).toBe(1);
    const second = await ensureSchema(driver);
    expect(second).toMatchObject({ created: [], repaired: [] });
  });

  it('names the nodes and the fix in one line when the duplicates cannot be merged', async () => {
    await emptyDatabase();
    const s = driver.session();
    try {
      await s.run("CREATE (:Corpus {tenant: 't', id: 'c'}), (b:Corpus {tenant: 't', id: 'c'})-[:SOMETHING_ELSE]->(:Other)");
    } finally {
      await s.close();
    }
    const err = await ensureSchema(driver).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(GraphSchemaError);
    expect((err as Error).message).toBe('graph schema: duplicate Corpus nodes (tenant "t", id "c") cannot be merged: relationship types SOMETHING_ELSE are not kgtune\'s — remove them, then run `./kgtune services migrate`');
    await emptyDatabase();
  });
});
