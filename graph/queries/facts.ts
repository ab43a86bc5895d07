import { LABEL as L, REL as R } from './allow-list.js';

export const UPSERT_ENTITIES = `
UNWIND $rows AS row
MERGE (e:${L.Entity} {tenant: $tenant, id: row.id})
SET e.name = row.name, e.type = row.type, e.aliases = row.aliases, e.aliasText = row.aliasText, e.merges = row.merges
WITH e, row
UNWIND row.mentions AS chunkId
MATCH (c:${L.Chunk} {tenant: $tenant, id: chunkId})
MERGE (c)-[:${R.MENTIONS}]->(e)`;

/**
 * Facts, their SUBJECT/OBJECT links and EVIDENCE (sentence span) to chunks; confidence is noisy-or
 * over all evidence. Unit subqueries keep the planner from inserting Eager barriers.
 */
export const UPSERT_FACTS = `
UNWIND $rows AS row
MATCH (s:${L.Entity} {tenant: $tenant, id: row.subjectId})
MERGE (f:${L.Fact} {tenant: $tenant, id: row.id})
SET f += row.props
REMOVE f.withdrawn, f.withdrawnBy
MERGE (f)-[:${R.SUBJECT}]->(s)
WITH f, row
CALL (f, row) {
  MATCH (o:${L.Entity} {tenant: $tenant, id: row.objectId})
  MERGE (f)-[:${R.OBJECT}]->(o)
}
CALL (f, row) {
  UNWIND row.evidence AS ev
  MATCH (c:${L.Chunk} {tenant: $tenant, id: ev.chunkId})
  MERGE (f)-[r:${R.EVIDENCE} {sentenceStart: ev.sentenceStart, sentenceEnd: ev.sentenceEnd}]->(c)
  SET r.confidence = ev.confidence
}
CALL (f) {
  MATCH (f)-[r:${R.EVIDENCE}]->(:${L.Chunk})
  WITH f, collect(r.confidence) AS cs
  SET f.confidence = round(1.0 - reduce(p = 1.0, x IN cs | p * (1.0 - x)), 3)
}
WITH f WHERE (f)-[:${R.EVIDENCE}]->()
RETURN count(f) AS n`;

export const MISSING_CHUNKS = `
UNWIND $ids AS id
OPTIONAL MATCH (c:${L.Chunk} {tenant: $tenant, id: id})
WITH id, c WHERE c IS NULL
RETURN collect(id) AS missing`;
