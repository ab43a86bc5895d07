import { LABEL as L, REL as R } from './allow-list.js';

/*
 * Entity and fact writes are split into one UNWIND statement per concern, run in order inside one
 * transaction per batch: nodes first, then each relationship type on its own. Every MATCH/MERGE
 * is a seek on a (tenant, key) uniqueness constraint, rows are flat (the client expands nested
 * lists), and properties are SET by name (never `+= map`, whose unknown keys would make the
 * planner assume a conflict with the key lookups): no statement plans an Eager operator
 * (test/unit/graph/queries.test.ts keeps the shapes; `EXPLAIN` them to check a change).
 */

/** Entity nodes. Rows: {id, name, type, aliases, aliasText, merges}. */
export const UPSERT_ENTITIES = `
UNWIND $rows AS row
MERGE (e:${L.Entity} {tenant: $tenant, id: row.id})
SET e.name = row.name, e.type = row.type, e.aliases = row.aliases, e.aliasText = row.aliasText, e.merges = row.merges`;

/** A tenant's stored entities (names, aliases, type, merges), for resolving names across batches. */
export const GET_ENTITIES = `
MATCH (e:${L.Entity} {tenant: $tenant})
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.merges AS merges
ORDER BY e.id`;

/** Chunk MENTIONS entity. Rows (one per mention): {chunkId, entityId}. */
export const UPSERT_MENTIONS = `
UNWIND $rows AS row
MATCH (c:${L.Chunk} {tenant: $tenant, id: row.chunkId})
MATCH (e:${L.Entity} {tenant: $tenant, id: row.entityId})
MERGE (c)-[:${R.MENTIONS}]->(e)`;

/**
 * Fact nodes with their SUBJECT link; a fact whose subject entity is missing is not written.
 * A re-stated fact is live again (withdrawal marks are removed).
 * Rows: {id, sid (the subject id), subject, subjectType, predicate, objectId, object, objectType, lang}; the
 * subject key is `sid`, not `subjectId`: the planner treats `row.x` as a possible node property, so
 * looking up by a property name that the SET writes would plan an Eager.
 */
export const UPSERT_FACTS = `
UNWIND $rows AS row
MATCH (s:${L.Entity} {tenant: $tenant, id: row.sid})
MERGE (f:${L.Fact} {tenant: $tenant, id: row.id})
SET f.subjectId = row.sid, f.subject = row.subject, f.subjectType = row.subjectType, f.predicate = row.predicate,
    f.objectId = row.objectId, f.object = row.object, f.objectType = row.objectType, f.lang = row.lang,
    f.withdrawn = null, f.withdrawnBy = null
MERGE (f)-[:${R.SUBJECT}]->(s)`;

/** Fact OBJECT entity, for facts whose object is an entity. Rows: {id, objectId}. */
export const UPSERT_FACT_OBJECTS = `
UNWIND $rows AS row
MATCH (f:${L.Fact} {tenant: $tenant, id: row.id})
MATCH (o:${L.Entity} {tenant: $tenant, id: row.objectId})
MERGE (f)-[:${R.OBJECT}]->(o)`;

/** Fact EVIDENCE chunk, one relationship per sentence span. Rows (one per evidence): {factId, chunkId, sentenceStart, sentenceEnd, confidence}. */
export const UPSERT_FACT_EVIDENCE = `
UNWIND $rows AS row
MATCH (f:${L.Fact} {tenant: $tenant, id: row.factId})
MATCH (c:${L.Chunk} {tenant: $tenant, id: row.chunkId})
MERGE (f)-[r:${R.EVIDENCE} {sentenceStart: row.sentenceStart, sentenceEnd: row.sentenceEnd}]->(c)
SET r.confidence = row.confidence`;

/**
 * Confidence is noisy-or over all of a fact's evidence (earlier batches' too); returns how many
 * of the facts have evidence, i.e. were written.
 */
export const FACT_CONFIDENCE = `
UNWIND $ids AS id
MATCH (f:${L.Fact} {tenant: $tenant, id: id})
WITH f, [(f)-[r:${R.EVIDENCE}]->(:${L.Chunk} {tenant: $tenant}) | r.confidence] AS cs
WHERE size(cs) > 0
SET f.confidence = round(1.0 - reduce(p = 1.0, x IN cs | p * (1.0 - x)), 3)
RETURN count(*) AS n`;

export const MISSING_CHUNKS = `
UNWIND $ids AS id
OPTIONAL MATCH (c:${L.Chunk} {tenant: $tenant, id: id})
WITH id, c WHERE c IS NULL
RETURN collect(id) AS missing`;
