import { LABEL as L, REL as R } from './allow-list.js';

/*
 * Entity and fact writes are UNWIND statements run in order inside one transaction per batch:
 * entities, then mentions; facts with all their links (UPSERT_FACTS), then their confidence. Every
 * MATCH/MERGE is a seek on a (tenant, key) uniqueness constraint, and properties are SET by name
 * (never `+= map`, whose unknown keys would make the planner assume a conflict with the key
 * lookups): no statement plans an Eager operator
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
 * One statement per batch of facts: the fact node, its SUBJECT, its OBJECT (when the object is an
 * entity) and one EVIDENCE per sentence span, so each fact is looked up once and its links follow
 * from the bound node (three statements, each re-seeking the fact by id, cost ~20% more server
 * CPU: bench/graph.ts). A fact whose subject entity is missing is not written; a missing object
 * entity or evidence chunk only skips that link (FACT_CONFIDENCE then counts what was written).
 * A re-stated fact is live again (withdrawal marks are removed). Every node and link is a MERGE on
 * its key, so re-running a batch changes nothing.
 * Rows: {id, sid (subject id), oid (object id or null), subject, subjectType, predicate, object,
 * objectType, lang, ev: [{cid (chunk id), ss, se (sentence span), conf}]}. Row keys differ from
 * the property names SET here: the planner treats `row.x` as a possible node property, so looking
 * up by a property name that the statement SETs would plan an Eager. The CALL { } blocks are unit
 * subqueries (they return nothing): every row goes on, with or without an object or evidence.
 */
export const UPSERT_FACTS = `
UNWIND $rows AS row
MATCH (s:${L.Entity} {tenant: $tenant, id: row.sid})
MERGE (f:${L.Fact} {tenant: $tenant, id: row.id})
SET f.subjectId = row.sid, f.subject = row.subject, f.subjectType = row.subjectType, f.predicate = row.predicate,
    f.objectId = row.oid, f.object = row.object, f.objectType = row.objectType, f.lang = row.lang,
    f.withdrawn = null, f.withdrawnBy = null
MERGE (f)-[:${R.SUBJECT}]->(s)
WITH f, row
CALL {
  WITH f, row
  MATCH (o:${L.Entity} {tenant: $tenant, id: row.oid})
  MERGE (f)-[:${R.OBJECT}]->(o)
}
CALL {
  WITH f, row
  UNWIND row.ev AS ev
  MATCH (c:${L.Chunk} {tenant: $tenant, id: ev.cid})
  MERGE (f)-[r:${R.EVIDENCE} {sentenceStart: ev.ss, sentenceEnd: ev.se}]->(c)
  SET r.confidence = ev.conf
}`;

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
