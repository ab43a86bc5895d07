/**
 * Snapshots and withdrawal.
 *
 * A GraphSnapshot pins the live facts of a corpus: CONTAINS carries the confidence and the
 * evidence references (chunk, span, page, confidence) as they were; PINS carries each entity's
 * name, type and aliases. The id is a hash of that content, so rebuilding identical content is a
 * no-op, and an existing snapshot is never modified (MERGE … ON CREATE only).
 *
 * Withdrawal deletes the document's chunks (its text). A fact that loses its last evidence leaves
 * the live graph: deleted if nothing pinned it; otherwise kept as a tombstone
 * (`withdrawn: true`, `withdrawnBy: <sha256>`, SUBJECT/OBJECT links removed) so pinned snapshots
 * and datasets still resolve. readSnapshot reports such facts with `withdrawn: true`, and the
 * evidence sentence of any withdrawn chunk reads as '' — the snapshot record is unchanged, the
 * withdrawn text is gone.
 */
import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import { SnapshotData } from './model.js';
import { EntityMerge, Evidence, type FactRecord } from './model.js';
import { jsonProperty } from './properties.js';
import { GraphStoreError } from './errors.js';
import { sha256Hex, stableId } from './internal/ids.js';
import { batches, num, plain, read, stableJson, write } from './session.js';
import {
  CHUNK_TEXTS, COMPLETE_SNAPSHOT, MERGE_SNAPSHOT, PIN_ENTITIES, PIN_FACTS, READ_SNAPSHOT, READ_SNAPSHOT_ENTITIES,
  READ_SNAPSHOT_FACTS, SNAPSHOT_CONTENT_ENTITIES, SNAPSHOT_CONTENT_FACTS,
} from './queries/snapshots.js';
import {
  ADAPTERS_OF_DATASETS, AFFECTED_BY_DOCUMENT, DATASETS_OF_SNAPSHOTS, DELETE_CHUNKS, DELETE_ORPHAN_ENTITIES, DOCUMENT_EXISTS,
  MARK_WITHDRAWN, ORPHANED_FACTS, RECOMPUTE_CONFIDENCE, RETIRE_FACTS,
} from './queries/withdraw.js';

const EvidenceRef = Evidence.omit({ sentence: true });
type EvidenceRef = z.infer<typeof EvidenceRef>;

/** Pins the corpus's current facts; returns the (content-derived) snapshot id. */
export async function createSnapshot(driver: Driver, tenant: string, corpus: string): Promise<string> {
  const { facts, entities } = await read(driver, async (tx) => {
    const f = (await tx.run(SNAPSHOT_CONTENT_FACTS, { tenant, corpus })).records.map((r) => ({
      id: r.get('id') as string, confidence: num(r.get('confidence')), evidence: plain(r.get('evidence')) as EvidenceRef[],
    }));
    const e = (await tx.run(SNAPSHOT_CONTENT_ENTITIES, { tenant, factIds: f.map((x) => x.id) })).records.map((r) => ({
      id: r.get('id') as string, name: r.get('name') as string, type: r.get('type') as string,
      aliases: (r.get('aliases') as string[] | null) ?? [], merges: (r.get('merges') as string | null) ?? '[]',
    }));
    return { facts: f, entities: e };
  });
  const contentHash = sha256Hex(stableJson({ tenant, corpus, facts, entities }));
  const id = `gs_${stableId('snapshot', tenant, corpus, contentHash)}`;
  const complete = await write(driver, async (tx) => (await tx.run(MERGE_SNAPSHOT, {
    tenant, id, corpus, contentHash, factCount: facts.length, entityCount: entities.length,
  })).records[0]?.get('complete') as boolean);
  if (complete) return id;
  for (const b of batches(facts.map((f) => ({ id: f.id, confidence: f.confidence, evidence: stableJson(f.evidence) })))) {
    await write(driver, (tx) => tx.run(PIN_FACTS, { tenant, id, rows: b }));
  }
  for (const b of batches(entities)) await write(driver, (tx) => tx.run(PIN_ENTITIES, { tenant, id, rows: b }));
  await write(driver, (tx) => tx.run(COMPLETE_SNAPSHOT, { tenant, id }));
  return id;
}

/** The pinned content of a snapshot, as synthesis consumes it. */
export async function readSnapshot(driver: Driver, tenant: string, snapshotId: string): Promise<SnapshotData> {
  return read(driver, async (tx) => {
    const head = (await tx.run(READ_SNAPSHOT, { tenant, id: snapshotId })).records[0];
    if (!head) throw new GraphStoreError(`snapshot ${snapshotId} not found for tenant ${tenant}`);
    if (head.get('complete') !== true) throw new GraphStoreError(`snapshot ${snapshotId} is incomplete (its build was interrupted; rebuild it)`);
    const rows = (await tx.run(READ_SNAPSHOT_FACTS, { tenant, id: snapshotId })).records.map((r) => {
      const fact = plain(r.get('fact')) as Record<string, unknown>;
      return { fact, confidence: num(r.get('confidence')), evidence: jsonProperty(z.array(EvidenceRef), r.get('evidence'), `snapshot ${snapshotId} fact ${String(fact.id)}`, 'evidence') };
    });
    const chunkIds = [...new Set(rows.flatMap((r) => r.evidence.map((e) => e.chunkId)))];
    const texts = new Map<string, string>();
    for (const b of batches(chunkIds)) {
      for (const r of (await tx.run(CHUNK_TEXTS, { tenant, ids: b })).records) texts.set(r.get('id') as string, r.get('text') as string);
    }
    const facts: FactRecord[] = rows.map(({ fact: f, confidence, evidence }) => ({
      id: f.id as string, subjectId: f.subjectId as string, subject: f.subject as string, subjectType: f.subjectType as string,
      predicate: f.predicate as string, ...(f.objectId ? { objectId: f.objectId as string } : {}), object: f.object as string,
      objectType: f.objectType as string, confidence, lang: f.lang as FactRecord['lang'],
      evidence: evidence.map((e) => ({ ...e, sentence: texts.get(e.chunkId)?.slice(e.sentenceStart, e.sentenceEnd) ?? '' })),
      ...(f.withdrawn === true ? { withdrawn: true } : {}),
    }));
    const entities = (await tx.run(READ_SNAPSHOT_ENTITIES, { tenant, id: snapshotId })).records.map((r) => ({
      id: r.get('id') as string, name: r.get('name') as string, type: r.get('type') as string,
      aliases: (r.get('aliases') as string[] | null) ?? [], merges: jsonProperty(z.array(EntityMerge), r.get('merges'), `Entity ${String(r.get('id'))}`, 'merges', []),
    }));
    return SnapshotData.parse({ snapshotId, tenant, corpus: head.get('corpus') as string, entities, facts });
  });
}

export interface WithdrawalReport {
  chunksRemoved: number;
  factsRemoved: number;
  /** Snapshots, datasets and adapters that contained a removed fact. */
  snapshots: string[];
  datasets: string[];
  adapters: string[];
}

/** Removes a document's chunks and every fact that loses its last evidence; reports the lineage it touched. */
export async function withdrawDocument(driver: Driver, tenant: string, sha256: string): Promise<WithdrawalReport> {
  return write(driver, async (tx) => {
    const empty: WithdrawalReport = { chunksRemoved: 0, factsRemoved: 0, snapshots: [], datasets: [], adapters: [] };
    if ((await tx.run(DOCUMENT_EXISTS, { tenant, sha256 })).records.length === 0) return empty;
    const affected = (await tx.run(AFFECTED_BY_DOCUMENT, { tenant, sha256 })).records[0];
    const factIds = (affected?.get('factIds') as string[] | undefined) ?? [];
    const entityIds = new Set((affected?.get('entityIds') as string[] | undefined) ?? []);
    const chunksRemoved = num((await tx.run(DELETE_CHUNKS, { tenant, sha256 })).records[0]?.get('n') ?? 0);
    const orphans = (await tx.run(ORPHANED_FACTS, { tenant, ids: factIds })).records.map((r) => ({
      id: r.get('id') as string, snapshots: r.get('snapshots') as string[], datasets: r.get('datasets') as string[], entities: r.get('entities') as string[],
    }));
    const snapshots = [...new Set(orphans.flatMap((o) => o.snapshots))].sort();
    const direct = orphans.flatMap((o) => o.datasets);
    const viaSnapshot = (await tx.run(DATASETS_OF_SNAPSHOTS, { tenant, snapshots })).records[0]?.get('datasets') as string[] ?? [];
    const datasets = [...new Set([...direct, ...viaSnapshot])].sort();
    const adapters = [...((await tx.run(ADAPTERS_OF_DATASETS, { tenant, datasets })).records[0]?.get('adapters') as string[] ?? [])].sort();
    const orphanIds = orphans.map((o) => o.id);
    orphans.forEach((o) => o.entities.forEach((e) => entityIds.add(e)));
    await tx.run(RETIRE_FACTS, { tenant, sha256, ids: orphanIds });
    await tx.run(RECOMPUTE_CONFIDENCE, { tenant, ids: factIds.filter((id) => !orphanIds.includes(id)) });
    await tx.run(DELETE_ORPHAN_ENTITIES, { tenant, ids: [...entityIds] });
    await tx.run(MARK_WITHDRAWN, { tenant, sha256 });
    return { chunksRemoved, factsRemoved: orphanIds.length, snapshots, datasets, adapters };
  });
}
