import { LABEL as L, REL as R } from './allow-list.js';

/** Live facts of a corpus: facts with evidence in a chunk of a document of the corpus. */
export const SNAPSHOT_CONTENT_FACTS = `
MATCH (:${L.Corpus} {tenant: $tenant, id: $corpus})<-[:${R.IN_CORPUS}]-(:${L.Document} {tenant: $tenant})-[:${R.HAS_CHUNK}]->(c:${L.Chunk} {tenant: $tenant})<-[r:${R.EVIDENCE}]-(f:${L.Fact} {tenant: $tenant})
WITH f, r, c ORDER BY c.id, r.sentenceStart
WITH f, collect({chunkId: c.id, docSha256: c.docSha256, page: c.page, sentenceStart: r.sentenceStart, sentenceEnd: r.sentenceEnd, confidence: r.confidence}) AS evidence
RETURN f.id AS id, f.confidence AS confidence, evidence
ORDER BY id`;

export const SNAPSHOT_CONTENT_ENTITIES = `
UNWIND $factIds AS fid
MATCH (:${L.Fact} {tenant: $tenant, id: fid})-[:${R.SUBJECT}|${R.OBJECT}]->(e:${L.Entity} {tenant: $tenant})
WITH DISTINCT e
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, e.merges AS merges
ORDER BY id`;

/** Creates the snapshot once; an existing snapshot is never modified (ON CREATE only). */
export const MERGE_SNAPSHOT = `
MERGE (s:${L.GraphSnapshot} {tenant: $tenant, id: $id})
ON CREATE SET s.corpus = $corpus, s.contentHash = $contentHash, s.factCount = $factCount, s.entityCount = $entityCount,
              s.complete = false, s.createdAt = datetime()
RETURN s.complete AS complete`;

/** Pins rows of one label into a snapshot being built, the row's values on the relationship (first write wins). */
const pin = (label: string, rel: string, set: string) => `
MATCH (s:${L.GraphSnapshot} {tenant: $tenant, id: $id})
WHERE s.complete = false
UNWIND $rows AS row
MATCH (n:${label} {tenant: $tenant, id: row.id})
MERGE (s)-[p:${rel}]->(n)
ON CREATE SET ${set}`;

export const PIN_FACTS = pin(L.Fact, R.CONTAINS, 'p.confidence = row.confidence, p.evidence = row.evidence');
export const PIN_ENTITIES = pin(L.Entity, R.PINS, 'p.name = row.name, p.type = row.type, p.aliases = row.aliases, p.merges = row.merges');

export const COMPLETE_SNAPSHOT = `
MATCH (s:${L.GraphSnapshot} {tenant: $tenant, id: $id})
SET s.complete = true`;

export const READ_SNAPSHOT = `
MATCH (s:${L.GraphSnapshot} {tenant: $tenant, id: $id})
RETURN s.corpus AS corpus, s.complete AS complete`;

export const READ_SNAPSHOT_FACTS = `
MATCH (:${L.GraphSnapshot} {tenant: $tenant, id: $id})-[p:${R.CONTAINS}]->(f:${L.Fact} {tenant: $tenant})
RETURN f {.id, .subjectId, .subject, .subjectType, .predicate, .objectId, .object, .objectType, .lang, .withdrawn} AS fact,
       p.confidence AS confidence, p.evidence AS evidence
ORDER BY f.id`;

export const READ_SNAPSHOT_ENTITIES = `
MATCH (:${L.GraphSnapshot} {tenant: $tenant, id: $id})-[p:${R.PINS}]->(e:${L.Entity} {tenant: $tenant})
RETURN e.id AS id, p.name AS name, p.type AS type, p.aliases AS aliases, p.merges AS merges
ORDER BY id`;

export const CHUNK_TEXTS = `
UNWIND $ids AS id
MATCH (c:${L.Chunk} {tenant: $tenant, id: id})
RETURN c.id AS id, c.text AS text`;
