import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from 'neo4j-driver';
import { loadIndustryPack } from '../../configs/industry-pack.js';
import { extractOffline } from '../../graph/extract/offline.js';
import { ensureSchema } from '../../graph/schema.js';
import {
  countDocumentsByStatus, createSnapshot, deleteTenant, getChunks, getEntities, graphContentHash, readSnapshot, upsertChunks, upsertCorpus,
  upsertDataset, upsertDocuments, upsertEntitiesAndFacts, withdrawDocument,
} from '../../graph/store.js';
import { entityId, factId } from '../../graph/internal/ids.js';
import * as factQueries from '../../graph/queries/facts.js';
import type { EntityRecord, FactRecord } from '../../graph/model.js';
import { connect, doc, uniqueTenant } from './graph-helpers.js';

const pack = loadIndustryPack('manufacturing');
const A = doc('星辰精密制造有限公司（以下简称星辰精密）总部位于苏州。星辰精密于2021年发布了XR-200。\n\nXR-200的售价为12,800元。星辰精密已通过ISO 9001认证。', 'a.txt');
const B = doc('Orion Robotics Inc. is headquartered in Austin. Orion Robotics Inc. released the XR-200.\n\n星辰精密总部位于苏州。', 'b.txt');

let driver: Driver;
const tenants: string[] = [];
const tenant = (what: string) => { const t = uniqueTenant(what); tenants.push(t); return t; };

async function load(t: string, docs = [A, B]) {
  await upsertCorpus(driver, t, 'main');
  await upsertDocuments(driver, t, 'main', docs.map((d) => d.doc));
  const chunks = docs.flatMap((d) => d.chunks);
  await upsertChunks(driver, t, chunks);
  const g = extractOffline({ tenant: t, chunks, pack });
  await upsertEntitiesAndFacts(driver, t, 'main', g);
  return g;
}

beforeAll(async () => {
  driver = connect();
  await ensureSchema(driver);
  await ensureSchema(driver); // idempotent
});

afterAll(async () => {
  for (const t of tenants) await deleteTenant(driver, t);
  await driver.close();
});

describe('graph store (real Neo4j)', () => {
  it('writes documents, chunks, entities and facts; re-running any batch leaves the graph identical', async () => {
    const t = tenant('idem');
    const g = await load(t);
    expect(g.facts.some((f) => f.predicate === 'LOCATED_IN' && f.object === '苏州')).toBe(true);
    const h1 = await graphContentHash(driver, t);
    await load(t);
    await upsertChunks(driver, t, A.chunks);
    await upsertEntitiesAndFacts(driver, t, 'main', { entities: g.entities, facts: g.facts.slice(0, 2) });
    expect(await graphContentHash(driver, t)).toBe(h1);
    expect(await countDocumentsByStatus(driver, t, 'main')).toEqual({ ingested: 2 });
    const chunks = await getChunks(driver, t, 'main', { skip: 0, limit: 100 });
    expect(chunks.map((c) => c.id).sort()).toEqual([...A.chunks, ...B.chunks].map((c) => c.id).sort());
    expect(chunks.find((c) => c.id === A.chunks[0]!.id)).toEqual(A.chunks[0]);
  });

  it('plans every entity and fact write statement without an Eager operator', async () => {
    const ops = (p: { operatorType: string; children: unknown[] }): string[] => [p.operatorType.split('@')[0]!, ...(p.children as typeof p[]).flatMap(ops)];
    const session = driver.session();
    try {
      for (const [name, q] of Object.entries(factQueries)) {
        if (name === 'MISSING_CHUNKS') continue;
        const plan = (await session.run(`EXPLAIN ${q}`, { tenant: 't', rows: [], ids: [] })).summary.plan as unknown as { operatorType: string; children: unknown[] };
        expect(ops(plan), name).not.toContain('Eager');
      }
    } finally {
      await session.close();
    }
  });

  it('rolls back a fact batch whose subject or evidence chunk is missing', async () => {
    const t = tenant('miss');
    const g = await load(t, [A]);
    const h = await graphContentHash(driver, t);
    const f = g.facts[0]!;
    const noChunk = { ...f, id: `${f.id}-x`, evidence: [{ ...f.evidence[0]!, chunkId: 'no-such-chunk' }] };
    await expect(upsertEntitiesAndFacts(driver, t, 'main', { entities: [], facts: [g.facts[1]!, noChunk] })).rejects.toThrow(/1 fact\(s\) not written/);
    const noSubject = { ...f, id: `${f.id}-y`, subjectId: 'no-such-entity' };
    await expect(upsertEntitiesAndFacts(driver, t, 'main', { entities: [], facts: [noSubject] })).rejects.toThrow(/not written/);
    expect(await graphContentHash(driver, t)).toBe(h);
  });

  it('stores Cypher-injection strings as plain values and refuses injected predicates', async () => {
    const t = tenant('inj');
    await upsertCorpus(driver, t, 'main');
    await upsertDocuments(driver, t, 'main', [A.doc]);
    await upsertChunks(driver, t, A.chunks);
    const evil = ["x'}) DETACH DELETE n //", '"}) MATCH (n) DETACH DELETE n RETURN 1 //', '`Entity` {tenant: "other"}) //', '\\u0027; DROP CONSTRAINT entity_key'];
    const entities: EntityRecord[] = evil.map((name) => ({ id: entityId(t, name), name, type: 'Organization`) DELETE n //', aliases: [name + ' alias'] }));
    const facts: FactRecord[] = evil.slice(1).map((name, i) => ({
      id: factId(t, entities[0]!.id, 'RELATED_TO', entities[i + 1]!.id), subjectId: entities[0]!.id, subject: evil[0]!, subjectType: 'Organization',
      predicate: 'RELATED_TO', objectId: entities[i + 1]!.id, object: name, objectType: "Person'}) //", confidence: 0.5, lang: 'en',
      evidence: [{ chunkId: A.chunks[0]!.id, docSha256: A.doc.sha256, page: 1, sentenceStart: 0, sentenceEnd: 5, sentence: 'x', confidence: 0.5 }],
    }));
    await upsertEntitiesAndFacts(driver, t, 'main', { entities, facts });
    const snap = await readSnapshot(driver, t, await createSnapshot(driver, t, 'main'));
    expect(snap.entities.map((e) => e.name).sort()).toEqual([...evil].sort());
    expect(snap.facts.map((f) => f.object).sort()).toEqual(evil.slice(1).sort());
    const bad = { ...facts[0]!, predicate: 'RELATED_TO]->() DETACH DELETE n //' };
    await expect(upsertEntitiesAndFacts(driver, t, 'main', { entities: [], facts: [bad] })).rejects.toThrow(/predicate/);
    expect(await countDocumentsByStatus(driver, t, 'main')).toEqual({ ingested: 1 });
  });

  it('keeps tenants apart: tenant B sees nothing of tenant A', async () => {
    const a = tenant('ta');
    const b = tenant('tb');
    await load(a);
    const emptyHash = await graphContentHash(driver, b);
    await upsertCorpus(driver, b, 'main');
    expect(await getChunks(driver, b, 'main', { skip: 0, limit: 10 })).toEqual([]);
    expect(await countDocumentsByStatus(driver, b, 'main')).toEqual({});
    const snap = await readSnapshot(driver, b, await createSnapshot(driver, b, 'main'));
    expect(snap.facts).toEqual([]);
    expect(await withdrawDocument(driver, b, A.doc.sha256)).toEqual({ chunksRemoved: 0, factsRemoved: 0, snapshots: [], datasets: [], adapters: [] });
    expect(await graphContentHash(driver, a)).not.toBe(emptyHash);
    expect((await getChunks(driver, a, 'main', { skip: 0, limit: 10 })).length).toBe(4);
  });

  it('pins facts in content-addressed snapshots that later builds never alter', async () => {
    const t = tenant('snap');
    await load(t, [A]);
    const s1 = await createSnapshot(driver, t, 'main');
    expect(await createSnapshot(driver, t, 'main')).toBe(s1);
    const before = await readSnapshot(driver, t, s1);
    expect(before.facts.length).toBeGreaterThan(2);
    const ev = before.facts.find((f) => f.predicate === 'PRICED_AT')!.evidence[0]!;
    expect(ev.sentence).toContain('12,800元');
    await load(t, [A, B]);
    const s2 = await createSnapshot(driver, t, 'main');
    expect(s2).not.toBe(s1);
    expect(await readSnapshot(driver, t, s1)).toEqual(before);
    const after = await readSnapshot(driver, t, s2);
    expect(after.facts.length).toBeGreaterThan(before.facts.length);
  });

  it('withdraws a document: chunks and orphaned facts leave the live graph; lineage is reported', async () => {
    const t = tenant('wd');
    await load(t);
    const snap = await createSnapshot(driver, t, 'main');
    const pinned = await readSnapshot(driver, t, snap);
    const onlyA = pinned.facts.filter((f) => f.evidence.every((e) => e.docSha256 === A.doc.sha256));
    const shared = pinned.facts.filter((f) => f.evidence.some((e) => e.docSha256 === A.doc.sha256) && f.evidence.some((e) => e.docSha256 === B.doc.sha256));
    expect(onlyA.length).toBeGreaterThan(0);
    expect(shared.length).toBeGreaterThan(0); // 星辰精密 LOCATED_IN 苏州 is stated by both
    await upsertDataset(driver, t, { id: 'ds1', digest: 'd1', splits: { train: 3 }, snapshotId: snap, factIds: [onlyA[0]!.id] });
    const report = await withdrawDocument(driver, t, A.doc.sha256);
    expect(report).toEqual({ chunksRemoved: 2, factsRemoved: onlyA.length, snapshots: [snap], datasets: ['ds1'], adapters: [] });
    expect(await countDocumentsByStatus(driver, t, 'main')).toEqual({ ingested: 1, withdrawn: 1 });
    const live = await readSnapshot(driver, t, await createSnapshot(driver, t, 'main'));
    expect(live.facts.some((f) => onlyA.some((o) => o.id === f.id))).toBe(false);
    expect(live.facts.some((f) => f.id === shared[0]!.id)).toBe(true);
    const old = await readSnapshot(driver, t, snap);
    expect(old.facts.map((f) => f.id)).toEqual(pinned.facts.map((f) => f.id));
    expect(old.facts.filter((f) => f.withdrawn).map((f) => f.id).sort()).toEqual(onlyA.map((f) => f.id).sort());
    expect(old.facts.flatMap((f) => f.evidence).filter((e) => e.docSha256 === A.doc.sha256).every((e) => e.sentence === '')).toBe(true);
    const h = await graphContentHash(driver, t);
    expect(await withdrawDocument(driver, t, A.doc.sha256)).toMatchObject({ chunksRemoved: 0, factsRemoved: 0 });
    expect(await graphContentHash(driver, t)).toBe(h);
  });
  it('resolves an alias across batches: a short name defined in batch 1 is the same entity in batch 2; re-running either batch changes nothing', async () => {
    const t = tenant('xbatch');
    const d1 = doc('华岳机电股份有限公司（以下简称华岳机电）总部位于杭州。', 'p1.txt');
    const d2 = doc('华岳机电于2019年发布了HY-9。\n\nHY-9的售价为8,800元。', 'p2.txt');
    await upsertCorpus(driver, t, 'main');
    await upsertDocuments(driver, t, 'main', [d1.doc, d2.doc]);
    await upsertChunks(driver, t, [...d1.chunks, ...d2.chunks]);
    const batch = async (chunks: typeof d1.chunks) => {
      const g = extractOffline({ tenant: t, chunks, pack, known: await getEntities(driver, t) });
      await upsertEntitiesAndFacts(driver, t, 'main', g);
      return g;
    };
    const g1 = await batch(d1.chunks);
    const g2 = await batch(d2.chunks);
    const company = g1.entities.find((e) => e.name === '华岳机电股份有限公司')!;
    expect(g2.facts.find((f) => f.predicate === 'RELEASED')).toMatchObject({ subjectId: company.id, subject: '华岳机电股份有限公司', object: 'HY-9' });
    const stored = (await getEntities(driver, t)).filter((e) => e.type === 'Organization');
    expect(stored.map((e) => e.name)).toEqual(['华岳机电股份有限公司']);
    expect(stored[0]!.aliases).toContain('华岳机电');
    const h = await graphContentHash(driver, t);
    await batch(d2.chunks);
    await batch(d1.chunks);
    expect(await graphContentHash(driver, t)).toBe(h);
  });
});
