/**
 * The Neo4j store for the whole data model. Every function takes a Driver, opens a session,
 * runs executeWrite/executeRead and closes the session in finally. Writes are UNWIND batches
 * (≤ 1000 rows; entities and facts FACT_BATCH) that MERGE on stable ids; every node carries
 * `tenant` and every query filters on it.
 */
import neo4j from 'neo4j-driver';
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { z } from 'zod';
import { ChunkRecord, DocumentRecord } from '../ingest/index.js';
import { EntityMerge, EntityRecord, FactRecord } from './model.js';
import { jsonProperty } from './properties.js';
import { GraphStoreError, GraphValidationError } from './errors.js';
import { sha256Hex } from './internal/ids.js';
import { batches, num, plain, read, stableJson, write } from './session.js';
import { LABEL } from './queries/allow-list.js';
import type { Label } from './queries/allow-list.js';
import { DELETE_TENANT_OF, NODES_OF, RELS_OF } from './queries/content.js';
import { DATASET_USES_FACTS, UPSERT_DATASET } from './queries/datasets.js';
import { COUNT_DOCUMENTS_BY_STATUS, GET_CHUNKS, MISSING_DOCUMENTS, UPSERT_CHUNKS, UPSERT_CORPUS, UPSERT_DOCUMENTS } from './queries/documents.js';
import { FACT_CONFIDENCE, GET_ENTITIES, UPSERT_ENTITIES, UPSERT_FACTS, UPSERT_MENTIONS } from './queries/facts.js';

export { createSnapshot, readSnapshot, withdrawDocument } from './snapshots.js';
export type { WithdrawalReport } from './snapshots.js';

const Tenant = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'tenant: letters, digits, _ . -');
/**
 * Relation names are UPPER_SNAKE (the pack's allow-list) or ATTR:<key>; anything else is refused. A predicate is
 * stored as a Fact's property, never as a relationship type, so an attribute key may be the document's own words
 * in any script (ATTR:2025年3月31日商誉, ATTR:每股收益(元/股), ATTR:Total assets): 1–128 characters, no control
 * characters, no leading or trailing space.
 */
export const Predicate = z.string().regex(/^(?:[A-Z][A-Z0-9_]{0,63}|ATTR:[^\p{Cc}\s](?:[^\p{Cc}]{0,126}[^\p{Cc}\s])?)$/u, 'predicate must be UPPER_SNAKE or ATTR:<key>');

function checkTenant(tenant: string): string {
  const r = Tenant.safeParse(tenant);
  if (!r.success) throw new GraphValidationError(`invalid tenant ${JSON.stringify(tenant)}`);
  return r.data;
}

function parseAll<T>(schema: z.ZodType<T>, rows: unknown[], what: string): T[] {
  return rows.map((r, i) => {
    const p = schema.safeParse(r);
    if (!p.success) throw new GraphValidationError(`${what}[${i}]: ${p.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return p.data;
  });
}

export async function upsertCorpus(driver: Driver, tenant: string, corpus: string, name?: string): Promise<void> {
  checkTenant(tenant);
  await write(driver, (tx) => tx.run(UPSERT_CORPUS, { tenant, corpus, name: name ?? null }));
}

export async function upsertDocuments(driver: Driver, tenant: string, corpus: string, docs: DocumentRecord[]): Promise<number> {
  checkTenant(tenant);
  const rows = parseAll(DocumentRecord, docs, 'documents').map((d) => ({
    sha256: d.sha256, name: d.name, mime: d.mime, pages: d.pages, status: d.status, reason: d.reason ?? null,
    duplicateOf: d.duplicateOf ?? null, piiCounts: stableJson(d.piiCounts), chars: d.chars,
  }));
  for (const b of batches(rows)) await write(driver, (tx) => tx.run(UPSERT_DOCUMENTS, { tenant, corpus, rows: b }));
  return rows.length;
}

export async function upsertChunks(driver: Driver, tenant: string, chunks: ChunkRecord[]): Promise<number> {
  checkTenant(tenant);
  const parsed = parseAll(ChunkRecord, chunks, 'chunks');
  const shas = [...new Set(parsed.map((c) => c.docSha256))];
  const missing = await read(driver, async (tx) => (await tx.run(MISSING_DOCUMENTS, { tenant, shas })).records[0]?.get('missing') as string[]);
  if (missing.length) throw new GraphStoreError(`chunks refer to ${missing.length} unknown document(s): ${missing.slice(0, 3).join(', ')} — upsert documents first`);
  const rows = parsed.map((c) => ({
    id: c.id, docSha256: c.docSha256, page: c.page, start: c.start, end: c.end, text: c.text, lang: c.lang,
    sentenceStarts: c.sentences.map((s) => s[0]), sentenceEnds: c.sentences.map((s) => s[1]), duplicateOf: c.duplicateOf ?? null,
  }));
  for (const b of batches(rows)) await write(driver, (tx) => tx.run(UPSERT_CHUNKS, { tenant, rows: b }));
  return rows.length;
}

export interface Page { skip: number; limit: number }

export async function getChunks(driver: Driver, tenant: string, corpus: string, page: Page): Promise<ChunkRecord[]> {
  checkTenant(tenant);
  const res = await read(driver, (tx) => tx.run(GET_CHUNKS, { tenant, corpus, skip: neo4j.int(page.skip), limit: neo4j.int(page.limit) }));
  return res.records.map((r) => {
    const c = plain(r.get('chunk')) as Record<string, unknown> & { sentenceStarts?: number[]; sentenceEnds?: number[] };
    const starts = c.sentenceStarts ?? [];
    const ends = c.sentenceEnds ?? [];
    return ChunkRecord.parse({
      id: c.id, docSha256: c.docSha256, page: c.page, start: c.start, end: c.end, text: c.text, lang: c.lang,
      sentences: starts.map((s, i) => [s, ends[i] ?? s]), ...(c.duplicateOf ? { duplicateOf: c.duplicateOf } : {}),
    });
  });
}

export async function countDocumentsByStatus(driver: Driver, tenant: string, corpus: string): Promise<Record<string, number>> {
  checkTenant(tenant);
  const res = await read(driver, (tx) => tx.run(COUNT_DOCUMENTS_BY_STATUS, { tenant, corpus }));
  return Object.fromEntries(res.records.map((r) => [r.get('status') as string, num(r.get('n'))]));
}

export function entityRow(e: EntityRecord) {
  return { id: e.id, name: e.name, type: e.type, aliases: e.aliases, aliasText: e.aliases.join(' | '), merges: stableJson(e.merges ?? []) };
}

/** One row per fact for UPSERT_FACTS: the node's properties, its subject and object ids, and its evidence (see there for the key names). */
export function factRow(f: FactRecord) {
  return {
    id: f.id, sid: f.subjectId, oid: f.objectId ?? null, subject: f.subject, subjectType: f.subjectType, predicate: f.predicate,
    object: f.object, objectType: f.objectType, lang: f.lang,
    ev: f.evidence.map((e) => ({ cid: e.chunkId, ss: e.sentenceStart, se: e.sentenceEnd, conf: e.confidence })),
  };
}

export type FactRow = ReturnType<typeof factRow>;

export function factRows(facts: FactRecord[]): FactRow[] {
  return facts.map(factRow);
}

/**
 * Writes one batch of facts inside `tx`: fact nodes with SUBJECT, OBJECT and EVIDENCE in one
 * statement, then the noisy-or confidence. The two statements are sent together (the driver
 * pipelines them in the transaction; the server runs them in order). Returns how many facts were
 * written (subject and at least one evidence chunk found); if that is not all of them, throws, so
 * the batch rolls back. The batched writer and the one-fact-per-transaction bench baseline both
 * call this.
 */
export async function writeFactRows(tx: ManagedTransaction, tenant: string, rows: FactRow[]): Promise<number> {
  const [, confidence] = await Promise.all([
    tx.run(UPSERT_FACTS, { tenant, rows }),
    tx.run(FACT_CONFIDENCE, { tenant, ids: rows.map((f) => f.id) }),
  ]);
  const written = num(confidence.records[0]?.get('n') ?? 0);
  if (written !== rows.length) throw new GraphStoreError(`${rows.length - written} fact(s) not written: subject entity or evidence chunk missing for tenant ${tenant}`);
  return written;
}

/** Rows per fact-write transaction, chosen by measurement (npm run bench:graph, BENCH_BATCH). */
export const FACT_BATCH = 5000;

export interface GraphBatch { entities: EntityRecord[]; facts: FactRecord[] }

/**
 * Entities (MENTIONS from chunks), then facts with SUBJECT/OBJECT and EVIDENCE (sentence span) to
 * chunks, `batchSize` facts per transaction. A batch whose facts miss their subject or every
 * evidence chunk is rolled back and reported.
 */
export async function upsertEntitiesAndFacts(driver: Driver, tenant: string, _corpus: string, batch: GraphBatch, opts: { batchSize?: number } = {}): Promise<{ entities: number; facts: number }> {
  checkTenant(tenant);
  const entities = parseAll(EntityRecord, batch.entities, 'entities');
  const facts = parseAll(FactRecord, batch.facts, 'facts');
  for (const f of facts) if (!Predicate.safeParse(f.predicate).success) throw new GraphValidationError(`fact ${f.id}: predicate ${JSON.stringify(f.predicate)} is not UPPER_SNAKE or ATTR:<key>`);
  const size = opts.batchSize ?? FACT_BATCH;
  for (const b of batches(entities, size)) {
    const mentions = b.flatMap((e) => (e.mentions ?? []).map((chunkId) => ({ chunkId, entityId: e.id })));
    await write(driver, async (tx) => {
      await tx.run(UPSERT_ENTITIES, { tenant, rows: b.map(entityRow) });
      if (mentions.length) await tx.run(UPSERT_MENTIONS, { tenant, rows: mentions });
    });
  }
  let written = 0;
  for (const b of batches(facts, size)) {
    const rows = factRows(b);
    written += await write(driver, (tx) => writeFactRows(tx, tenant, rows));
  }
  return { entities: entities.length, facts: written };
}

/** Every stored entity of a tenant (without mentions): earlier batches' names, for entity resolution. */
export async function getEntities(driver: Driver, tenant: string): Promise<EntityRecord[]> {
  checkTenant(tenant);
  const res = await read(driver, (tx) => tx.run(GET_ENTITIES, { tenant }));
  return res.records.map((r) => EntityRecord.parse({
    id: r.get('id'), name: r.get('name'), type: r.get('type'), aliases: r.get('aliases') ?? [],
    merges: jsonProperty(z.array(EntityMerge), r.get('merges'), `Entity ${String(r.get('id'))}`, 'merges', []),
  }));
}

export interface DatasetInput { id: string; digest: string; splits: Record<string, number>; snapshotId: string; factIds: string[] }

/** A dataset FROM_SNAPSHOT its snapshot, with USES_FACT to every fact its examples came from. */
export async function upsertDataset(driver: Driver, tenant: string, ds: DatasetInput): Promise<void> {
  checkTenant(tenant);
  const res = await write(driver, (tx) => tx.run(UPSERT_DATASET, { tenant, id: ds.id, digest: ds.digest, splits: stableJson(ds.splits), snapshotId: ds.snapshotId }));
  if (res.records.length === 0) throw new GraphStoreError(`dataset ${ds.id}: snapshot ${ds.snapshotId} not found for tenant ${tenant}`);
  for (const b of batches([...new Set(ds.factIds)].sort())) await write(driver, (tx) => tx.run(DATASET_USES_FACTS, { tenant, id: ds.id, factIds: b }));
}

/** Timestamps (`createdAt`, `updatedAt`, …) differ between identical builds: not content. */
const isVolatile = (k: string): boolean => k.endsWith('At');

/** sha256 over every node and relationship of a tenant (volatile timestamps excluded). */
export async function graphContentHash(driver: Driver, tenant: string): Promise<string> {
  checkTenant(tenant);
  const lines: string[] = [];
  await read(driver, async (tx) => {
    for (const l of Object.keys(LABEL) as Label[]) {
      for (const r of (await tx.run(NODES_OF[l], { tenant })).records) {
        const props = Object.fromEntries(Object.entries(r.get('props') as object).filter(([k]) => !isVolatile(k)));
        lines.push(`N|${l}|${r.get('key')}|${stableJson(props)}`);
      }
      for (const r of (await tx.run(RELS_OF[l], { tenant })).records) {
        lines.push(`R|${l}|${r.get('from')}|${r.get('type')}|${stableJson(r.get('props'))}|${(r.get('toLabels') as string[]).join(':')}|${r.get('to')}`);
      }
    }
  });
  return sha256Hex(lines.sort().join('\n'));
}

/** Deletes every node of a tenant (tests, demos, tenant off-boarding). */
export async function deleteTenant(driver: Driver, tenant: string): Promise<number> {
  checkTenant(tenant);
  let total = 0;
  for (const l of Object.keys(LABEL) as Label[]) {
    for (;;) {
      const res = await write(driver, (tx) => tx.run(DELETE_TENANT_OF[l], { tenant }));
      const n = num(res.records[0]?.get('n') ?? 0);
      total += n;
      if (n === 0) break;
    }
  }
  return total;
}
