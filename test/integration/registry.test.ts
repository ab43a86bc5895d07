/**
 * The adapter registry against the real Neo4j (bolt, credentials from configs/env.ts). Each test
 * uses its own tenant and deletes it afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../configs/env.js';
import type { GateResult } from '../../evaluation/index.js';
import { REGISTRY_LABELS } from '../../graph/queries/registry.js';
import {
  LocalArtifactStore,
  adapterGatesPassed,
  adaptersForDocument,
  aliasHistory,
  listAdapters,
  registerAdapter,
  resolveDocuments,
  rollback,
  setAlias,
  showAdapter,
  sourcesForExample,
} from '../../registry/index.js';
import type { RegisterAdapterInput } from '../../registry/index.js';
import { writeAdapter } from '../unit/evaluation/fixtures.js';

const env = loadEnv();
let driver: Driver;
let store: LocalArtifactStore;
let work: string;
const tenants: string[] = [];

function tenant(): string {
  const t = `t-registry-${randomBytes(5).toString('hex')}`;
  tenants.push(t);
  return t;
}

/** Polls until Neo4j answers (it may still be starting); never starts it. */
async function waitForNeo4j(d: Driver, timeoutMs = 240_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await d.verifyConnectivity();
      return;
    } catch (e) {
      if (Date.now() > until) throw new Error(`Neo4j at ${env.neo4jUri} not available after ${timeoutMs / 1000}s: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

beforeAll(async () => {
  // Same integer setting as the workers (cli/connect.ts).
  driver = neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD), { disableLosslessIntegers: true });
  await waitForNeo4j(driver);
  work = await mkdtemp(path.join(tmpdir(), 'kgtune-registry-it-'));
  store = new LocalArtifactStore(path.join(work, 'artifacts'));
});

const CLEANUP_LABELS = [...REGISTRY_LABELS, 'Fact', 'Chunk', 'Document'];
afterAll(async () => {
  if (driver !== undefined) {
    const session = driver.session();
    try {
      for (const label of CLEANUP_LABELS) {
        // Labels come from the allow-list above; values are parameters.
        await session.executeWrite((tx) => tx.run(`MATCH (n:${label}) WHERE n.tenant IN $tenants DETACH DELETE n`, { tenants }));
      }
    } finally {
      await session.close();
    }
    await driver.close();
  }
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

const passingGates: GateResult[] = [{ name: 'em_gain_paraphrase', value: 0.5, threshold: 0.3, comparator: '>=', verdict: 'pass' }];
const failingGates: GateResult[] = [{ name: 'em_gain_paraphrase', value: 0.05, threshold: 0.3, comparator: '>=', verdict: 'fail' }];

let adapterSeq = 0;
/** A fresh adapter folder whose weights differ from every other one (layer count varies the bytes). */
async function newAdapterDir(): Promise<string> {
  adapterSeq += 1;
  return writeAdapter(path.join(work, `adapter-${adapterSeq}`), { layers: adapterSeq + 1 });
}

function input(t: string, adapterDir: string, over: Partial<RegisterAdapterInput> = {}): RegisterAdapterInput {
  return {
    tenant: t,
    domain: 'manufacturing',
    adapterDir,
    baseModelId: 'kgtune-tiny-v1',
    baseModelSha256: 'b'.repeat(64),
    datasetId: `ds-${t}`,
    datasetDigest: 'sha256:dataset-1',
    snapshotId: `snap-${t}`,
    trainingRun: { id: `run-${t}-${adapterDir.split('-').at(-1)}`, config: { lr: 0.002, lora: { r: 2 } }, backend: 'wasm', losses: [{ step: 0, train: 3 }, { step: 10, train: 1.2, val: 1.5 }] },
    evaluation: { metrics: { summary: { emParaphrase: 0.6 }, examples: ['dropped'] }, gates: passingGates, passed: true },
    ...over,
  };
}

describe('registerAdapter', () => {
  it('versions count up per tenant+domain; registering the same weights twice is idempotent', async () => {
    const t = tenant();
    const dirA = await newAdapterDir();
    const reportDir = path.join(work, `report-${t}`);
    await mkdir(reportDir, { recursive: true });
    await writeFile(path.join(reportDir, 'loss.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(path.join(reportDir, 'report.md'), '# report');
    const withReport = (over: Partial<RegisterAdapterInput> = {}) => input(t, dirA, { industry: 'manufacturing', evaluation: { metrics: { summary: { emParaphrase: 0.6 }, examples: ['dropped'] }, gates: passingGates, passed: true, reportDir }, ...over });
    const first = await registerAdapter(driver, store, withReport());
    expect(first).toMatchObject({ version: 1, created: true });
    const again = await registerAdapter(driver, store, withReport());
    expect(again).toMatchObject({ adapterId: first.adapterId, version: 1, created: false, sha256: first.sha256 });
    const second = await registerAdapter(driver, store, input(t, await newAdapterDir()));
    expect(second.version).toBe(2);
    const other = await registerAdapter(driver, store, input(t, await newAdapterDir(), { domain: 'finance' }));
    expect(other.version).toBe(1);

    const list = await listAdapters(driver, { tenant: t, domain: 'manufacturing' });
    expect(list.map((a) => a.version)).toEqual([2, 1]);
    expect(list[1]).toMatchObject({ sha256: first.sha256, baseModelId: 'kgtune-tiny-v1', passed: true, aliases: [] });
    expect(await listAdapters(driver, { tenant: t })).toHaveLength(3);

    const d = await showAdapter(driver, { tenant: t, domain: 'manufacturing', version: 1 });
    expect(d.adapter).toMatchObject({ id: first.adapterId, sha256: first.sha256, datasetDigest: 'sha256:dataset-1', snapshotId: `snap-${t}`, industry: 'manufacturing' });
    expect(d.trainingRun).toMatchObject({ backend: 'wasm', baseModel: 'kgtune-tiny-v1', config: { lr: 0.002, lora: { r: 2 } }, steps: 10, finalTrainLoss: 1.2, finalValLoss: 1.5 });
    expect(d.dataset).toMatchObject({ id: `ds-${t}`, digest: 'sha256:dataset-1' });
    expect(d.evaluation).toEqual({ metrics: { summary: { emParaphrase: 0.6 } }, gates: passingGates, passed: true });
    // weights and model card are in the artifact store
    expect(await store.has(first.sha256)).toBe(true);
    const card = await readFile(fileURLToPath(first.modelCardUri!), 'utf8');
    expect(card).toContain('# Adapter manufacturing v1');
    expect(card).toContain('Industry pack: `manufacturing`');
    expect(Object.keys(d.adapter.reports)).toEqual(['loss.svg', 'report.md']);
    expect(card).toContain(`![loss](${d.adapter.reports['loss.svg']})`);
    expect(card).toContain("0 facts → 0 chunks → 0 documents");
  });

  it('concurrent registrations in one domain get distinct versions', async () => {
    const t = tenant();
    await registerAdapter(driver, store, input(t, await newAdapterDir()));
    const dirs = await Promise.all([newAdapterDir(), newAdapterDir(), newAdapterDir()]);
    const results = await Promise.all(dirs.map((dir) => registerAdapter(driver, store, input(t, dir))));
    expect(results.map((r) => r.version).sort()).toEqual([2, 3, 4]);
  });

  it('refuses a dataset id whose stored digest differs', async () => {
    const t = tenant();
    await registerAdapter(driver, store, input(t, await newAdapterDir()));
    await expect(registerAdapter(driver, store, input(t, await newAdapterDir(), { datasetDigest: 'sha256:other' }))).rejects.toMatchObject({ type: 'DatasetDigestMismatch' });
  });
});

describe('aliases', () => {
  it('one version per alias per domain; every move recorded with who, when, why, from, to', async () => {
    const t = tenant();
    await registerAdapter(driver, store, input(t, await newAdapterDir()));
    await registerAdapter(driver, store, input(t, await newAdapterDir()));
    const ref = { tenant: t, domain: 'manufacturing' };

    expect(await setAlias(driver, { ...ref, alias: 'staging', version: 1, actor: 'alice', reason: 'first candidate' })).toEqual({ alias: 'staging', previous: null, version: 1, changed: true });
    expect(await setAlias(driver, { ...ref, alias: 'staging', version: 2, actor: 'bob', reason: 'better EM' })).toMatchObject({ previous: 1, version: 2 });
    await setAlias(driver, { ...ref, alias: 'production', version: 1, actor: 'carol', reason: 'approved' });
    // same version again: nothing changes, nothing recorded
    expect(await setAlias(driver, { ...ref, alias: 'production', version: 1, actor: 'carol', reason: 'retry' })).toMatchObject({ changed: false, previous: 1 });

    const list = await listAdapters(driver, ref);
    expect(Object.fromEntries(list.map((a) => [a.version, [...a.aliases].sort()]))).toEqual({ 1: ['production'], 2: ['staging'] });

    const history = await aliasHistory(driver, ref);
    expect(history.map((e) => [e.seq, e.alias, e.fromVersion, e.toVersion, e.actor, e.reason, e.kind])).toEqual([
      [1, 'staging', null, 1, 'alice', 'first candidate', 'set'],
      [2, 'staging', 1, 2, 'bob', 'better EM', 'set'],
      [3, 'production', null, 1, 'carol', 'approved', 'set'],
    ]);
    expect(Date.parse(history[0]!.at)).toBeGreaterThan(Date.now() - 600_000);
    expect((await aliasHistory(driver, { ...ref, alias: 'production' })).length).toBe(1);

    const d = await showAdapter(driver, { ...ref, version: 1 });
    expect(d.adapter.aliases).toEqual(['production']);
    expect(d.aliasHistory.map((e) => e.seq)).toEqual([1, 2, 3]);

    await expect(setAlias(driver, { ...ref, alias: 'staging', version: 9, actor: 'x' })).rejects.toMatchObject({ type: 'AdapterNotFound' });
    await expect(setAlias(driver, { ...ref, domain: 'nope', alias: 'staging', version: 1, actor: 'x' })).rejects.toMatchObject({ type: 'DomainNotFound' });
  });

  it('a version whose gates failed cannot take a gated alias', async () => {
    const t = tenant();
    await registerAdapter(driver, store, input(t, await newAdapterDir(), { evaluation: { metrics: {}, gates: failingGates, passed: false } }));
    const ref = { tenant: t, domain: 'manufacturing', version: 1 };
    expect(await adapterGatesPassed(driver, ref)).toEqual({ passed: false, reasons: ['em_gain_paraphrase 0.05 < 0.3'] });
    await expect(setAlias(driver, { ...ref, alias: 'staging', actor: 'pipeline', requireGatesPassed: true })).rejects.toMatchObject({ type: 'GatesNotPassed' });
    expect(await aliasHistory(driver, { tenant: t, domain: 'manufacturing' })).toEqual([]);
  });

  it('rollback walks the alias back version by version, and is recorded', async () => {
    const t = tenant();
    const ref = { tenant: t, domain: 'manufacturing' };
    for (let i = 0; i < 3; i++) await registerAdapter(driver, store, input(t, await newAdapterDir()));
    await expect(rollback(driver, { ...ref, alias: 'production', actor: 'ops' })).rejects.toMatchObject({ type: 'AliasNotSet' });
    for (const v of [1, 2, 3]) await setAlias(driver, { ...ref, alias: 'production', version: v, actor: 'ci' });

    expect(await rollback(driver, { ...ref, alias: 'production', actor: 'ops', reason: 'v3 regressed' })).toMatchObject({ previous: 3, version: 2 });
    expect(await rollback(driver, { ...ref, alias: 'production', actor: 'ops', reason: 'v2 too' })).toMatchObject({ previous: 2, version: 1 });
    await expect(rollback(driver, { ...ref, alias: 'production', actor: 'ops' })).rejects.toMatchObject({ type: 'NoPreviousVersion' });

    const holders = (await listAdapters(driver, ref)).filter((a) => a.aliases.includes('production'));
    expect(holders.map((a) => a.version)).toEqual([1]);
    const last = (await aliasHistory(driver, { ...ref, alias: 'production' })).at(-1)!;
    expect(last).toMatchObject({ kind: 'rollback', fromVersion: 2, toVersion: 1, actor: 'ops', reason: 'v2 too' });
  });
});

describe('tenancy', () => {
  it('tenants never see or move each other’s adapters', async () => {
    const a = tenant();
    const b = tenant();
    const dir = await newAdapterDir();
    const ra = await registerAdapter(driver, store, input(a, dir));
    const rb = await registerAdapter(driver, store, input(b, dir));
    expect(rb.version).toBe(1);
    expect(rb.created).toBe(true);
    expect(rb.adapterId).not.toBe(ra.adapterId);
    await registerAdapter(driver, store, input(a, await newAdapterDir()));

    expect((await listAdapters(driver, { tenant: a })).map((x) => x.version)).toEqual([2, 1]);
    expect((await listAdapters(driver, { tenant: b })).map((x) => x.version)).toEqual([1]);
    await setAlias(driver, { tenant: b, domain: 'manufacturing', alias: 'production', version: 1, actor: 'b-admin' });
    expect((await listAdapters(driver, { tenant: a })).every((x) => x.aliases.length === 0)).toBe(true);
    expect(await aliasHistory(driver, { tenant: a, domain: 'manufacturing' })).toEqual([]);
    await expect(showAdapter(driver, { tenant: b, domain: 'manufacturing', version: 2 })).rejects.toMatchObject({ type: 'AdapterNotFound' });
  });
});

describe('lineage', () => {
  /** Two documents; doc1 backs facts f1 (p1) and f2 (p2); doc2 backs f3, which is in no snapshot. */
  async function buildGraph(t: string): Promise<{ doc1: string; doc2: string }> {
    const doc1 = `${'1'.repeat(60)}${t.slice(-4)}`;
    const doc2 = `${'2'.repeat(60)}${t.slice(-4)}`;
    const session = driver.session();
    try {
      await session.executeWrite(async (tx) => {
        await tx.run(
          `UNWIND $docs AS d
           MERGE (doc:Document {tenant: $tenant, sha256: d.sha256}) SET doc.name = d.name, doc.pages = d.pages
           WITH doc, d UNWIND d.chunks AS c
           MERGE (ch:Chunk {tenant: $tenant, id: c.id}) SET ch.page = c.page, ch.text = c.text, ch.lang = 'zh'
           MERGE (doc)-[:HAS_CHUNK]->(ch)`,
          {
            tenant: t,
            docs: [
              { sha256: doc1, name: 'specs/spec.pdf', pages: 2, chunks: [{ id: `${t}-c1`, page: 1, text: '华为总部位于深圳。' }, { id: `${t}-c2`, page: 2, text: '公司简介如下。华为成立于1987年。员工众多。' }] },
              { sha256: doc2, name: 'other.pdf', pages: 1, chunks: [{ id: `${t}-c3`, page: 1, text: '中兴总部位于深圳。' }] },
            ],
          },
        );
        await tx.run(
          `UNWIND $facts AS f
           MERGE (fa:Fact {tenant: $tenant, id: f.id}) SET fa.subject = f.subject, fa.predicate = f.predicate, fa.object = f.object, fa.confidence = 0.9
           WITH fa, f MATCH (c:Chunk {tenant: $tenant, id: f.chunk})
           MERGE (fa)-[e:EVIDENCE {sentenceStart: f.ss, sentenceEnd: f.se}]->(c) SET e.confidence = 0.9`,
          {
            // As graph/ writes evidence: sentence offsets into the chunk text, no sentence copy.
            tenant: t,
            facts: [
              { id: `${t}-f1`, subject: '华为', predicate: 'LOCATED_IN', object: '深圳', chunk: `${t}-c1`, ss: 0, se: 9 },
              { id: `${t}-f2`, subject: '华为', predicate: 'ATTR:founded', object: '1987', chunk: `${t}-c2`, ss: 7, se: 18 },
              { id: `${t}-f3`, subject: '中兴', predicate: 'LOCATED_IN', object: '深圳', chunk: `${t}-c3`, ss: 0, se: 9 },
            ],
          },
        );
        await tx.run(
          `MERGE (s:GraphSnapshot {tenant: $tenant, id: $snapshotId})
           WITH s UNWIND $factIds AS fid MATCH (f:Fact {tenant: $tenant, id: fid}) MERGE (s)-[:CONTAINS]->(f)`,
          { tenant: t, snapshotId: `snap-${t}`, factIds: [`${t}-f1`, `${t}-f2`] },
        );
      });
    } finally {
      await session.close();
    }
    return { doc1, doc2 };
  }

  it('which adapters learned from document D, and which documents and pages back an example', async () => {
    const t = tenant();
    const { doc1, doc2 } = await buildGraph(t);
    const r = await registerAdapter(driver, store, input(t, await newAdapterDir()));
    await setAlias(driver, { tenant: t, domain: 'manufacturing', alias: 'production', version: 1, actor: 'ci' });

    const fromDoc1 = await adaptersForDocument(driver, t, doc1);
    expect(fromDoc1).toEqual([
      { adapterId: r.adapterId, domain: 'manufacturing', version: 1, aliases: ['production'], runId: expect.any(String), datasetId: `ds-${t}`, snapshotId: `snap-${t}`, facts: 2, pages: [1, 2] },
    ]);
    // doc2's fact is not in the snapshot: no adapter learned from it
    expect(await adaptersForDocument(driver, t, doc2)).toEqual([]);
    // another tenant asking about the same document hash sees nothing
    expect(await adaptersForDocument(driver, tenant(), doc1)).toEqual([]);

    const sources = await sourcesForExample(driver, t, { factIds: [`${t}-f2`], chunkIds: [`${t}-c3`] });
    expect(sources).toEqual([
      { docSha256: doc1, name: 'specs/spec.pdf', pages: [2], chunkIds: [`${t}-c2`], factIds: [`${t}-f2`], sentences: ['华为成立于1987年。'] },
      { docSha256: doc2, name: 'other.pdf', pages: [1], chunkIds: [`${t}-c3`], factIds: [], sentences: [] },
    ]);

    const d = await showAdapter(driver, { tenant: t, domain: 'manufacturing', version: 1 });
    expect(d.lineage).toEqual({ facts: 2, chunks: 2, documents: 1 });
  });

  it('a later snapshot with the same facts (same dataset digest) does not re-link the adapter: one row, its own snapshot', async () => {
    const t = tenant();
    const { doc1 } = await buildGraph(t);
    const r = await registerAdapter(driver, store, input(t, await newAdapterDir()));
    // A later run: a new snapshot of the same facts, its dataset (id = digest) is the same Dataset node.
    const session = driver.session();
    try {
      await session.executeWrite((tx) => tx.run(
        `MERGE (s:GraphSnapshot {tenant: $tenant, id: $later}) SET s.createdAt = datetime()
         WITH s MATCH (f:Fact {tenant: $tenant}) WHERE f.id IN $factIds MERGE (s)-[:CONTAINS]->(f)
         WITH DISTINCT s MATCH (ds:Dataset {tenant: $tenant, id: $ds}) MERGE (ds)-[:FROM_SNAPSHOT]->(s)`,
        { tenant: t, later: `snap-later-${t}`, factIds: [`${t}-f1`, `${t}-f2`, `${t}-f3`], ds: `ds-${t}` },
      ));
    } finally {
      await session.close();
    }
    expect(await adaptersForDocument(driver, t, doc1)).toEqual([expect.objectContaining({ adapterId: r.adapterId, snapshotId: `snap-${t}`, facts: 2 })]);
    const d = await showAdapter(driver, { tenant: t, domain: 'manufacturing', version: 1 });
    expect(d.snapshotId).toBe(`snap-${t}`);
    expect(d.lineage).toEqual({ facts: 2, chunks: 2, documents: 1 });
  });

  it('a document is found by sha256, by its name, by the tail of its name, or by a path to the file', async () => {
    const t = tenant();
    const { doc1 } = await buildGraph(t);
    const want = [{ sha256: doc1, name: 'specs/spec.pdf' }];
    expect(await resolveDocuments(driver, t, doc1)).toEqual(want);
    expect(await resolveDocuments(driver, t, doc1.toUpperCase())).toEqual(want);
    expect(await resolveDocuments(driver, t, 'specs/spec.pdf')).toEqual(want);
    expect(await resolveDocuments(driver, t, 'spec.pdf')).toEqual(want);
    expect(await resolveDocuments(driver, t, path.join(work, 'elsewhere', 'specs', 'spec.pdf'))).toEqual(want);
    expect(await resolveDocuments(driver, t, 'nope.pdf')).toEqual([]);
    expect(await resolveDocuments(driver, tenant(), 'spec.pdf')).toEqual([]);
    // A file on disk whose bytes are a stored document is found by its content, whatever its name.
    const bytes = Buffer.from('the bytes of a stored document');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const s2 = driver.session();
    try {
      await s2.executeWrite((tx) => tx.run('CREATE (:Document {tenant: $tenant, sha256: $sha, name: $name})', { tenant: t, sha, name: 'report.docx' }));
    } finally {
      await s2.close();
    }
    const file = path.join(work, `renamed-${t}.bin`);
    await writeFile(file, bytes);
    expect(await resolveDocuments(driver, t, file)).toEqual([{ sha256: sha, name: 'report.docx' }]);
  });
});
