import { LABEL as L, REL as R } from './allow-list.js';

export const DOCUMENT_EXISTS = `
MATCH (d:${L.Document} {tenant: $tenant, sha256: $sha256})
RETURN d.sha256 AS sha256`;

export const AFFECTED_BY_DOCUMENT = `
MATCH (:${L.Document} {tenant: $tenant, sha256: $sha256})-[:${R.HAS_CHUNK}]->(c:${L.Chunk} {tenant: $tenant})
OPTIONAL MATCH (c)<-[:${R.EVIDENCE}]-(f:${L.Fact} {tenant: $tenant})
OPTIONAL MATCH (c)-[:${R.MENTIONS}]->(e:${L.Entity} {tenant: $tenant})
RETURN collect(DISTINCT f.id) AS factIds, collect(DISTINCT e.id) AS entityIds`;

export const DELETE_CHUNKS = `
MATCH (:${L.Document} {tenant: $tenant, sha256: $sha256})-[:${R.HAS_CHUNK}]->(c:${L.Chunk} {tenant: $tenant})
DETACH DELETE c
RETURN count(*) AS n`;

/** Facts (among `ids`) left without evidence, with what they were pinned to. */
export const ORPHANED_FACTS = `
UNWIND $ids AS id
MATCH (f:${L.Fact} {tenant: $tenant, id: id})
WHERE NOT (f)-[:${R.EVIDENCE}]->(:${L.Chunk})
OPTIONAL MATCH (s:${L.GraphSnapshot} {tenant: $tenant})-[:${R.CONTAINS}]->(f)
OPTIONAL MATCH (ds:${L.Dataset} {tenant: $tenant})-[:${R.USES_FACT}]->(f)
OPTIONAL MATCH (f)-[:${R.SUBJECT}|${R.OBJECT}]->(e:${L.Entity} {tenant: $tenant})
RETURN f.id AS id, collect(DISTINCT s.id) AS snapshots, collect(DISTINCT ds.id) AS datasets, collect(DISTINCT e.id) AS entities`;

/** Datasets built from the snapshots that record no per-fact lineage (conservatively affected). */
export const DATASETS_OF_SNAPSHOTS = `
UNWIND $snapshots AS sid
MATCH (ds:${L.Dataset} {tenant: $tenant})-[:${R.FROM_SNAPSHOT}]->(:${L.GraphSnapshot} {tenant: $tenant, id: sid})
WHERE NOT (ds)-[:${R.USES_FACT}]->()
RETURN collect(DISTINCT ds.id) AS datasets`;

export const ADAPTERS_OF_DATASETS = `
UNWIND $datasets AS did
MATCH (a:${L.Adapter} {tenant: $tenant})-[:${R.PRODUCED_BY}]->(:${L.TrainingRun} {tenant: $tenant})-[:${R.USED}]->(:${L.Dataset} {tenant: $tenant, id: did})
RETURN collect(DISTINCT a.id) AS adapters`;

/** Pinned facts stay as tombstones (snapshots are immutable records); others are deleted. */
export const RETIRE_FACTS = `
UNWIND $ids AS id
MATCH (f:${L.Fact} {tenant: $tenant, id: id})
WHERE NOT (f)-[:${R.EVIDENCE}]->(:${L.Chunk})
CALL (f) {
  WITH f WHERE (f)<-[:${R.CONTAINS}]-() OR (f)<-[:${R.USES_FACT}]-()
  SET f.withdrawn = true, f.withdrawnBy = $sha256
  WITH f
  MATCH (f)-[l:${R.SUBJECT}|${R.OBJECT}]->()
  DELETE l
}
CALL (f) {
  WITH f WHERE NOT (f)<-[:${R.CONTAINS}]-() AND NOT (f)<-[:${R.USES_FACT}]-()
  DETACH DELETE f
}`;

export const RECOMPUTE_CONFIDENCE = `
UNWIND $ids AS id
MATCH (f:${L.Fact} {tenant: $tenant, id: id})-[r:${R.EVIDENCE}]->(:${L.Chunk})
WITH f, collect(r.confidence) AS cs
SET f.confidence = round(1.0 - reduce(p = 1.0, x IN cs | p * (1.0 - x)), 3)`;

/** Entities nothing refers to any more (no mention, no live fact, no snapshot pin). */
export const DELETE_ORPHAN_ENTITIES = `
UNWIND $ids AS id
MATCH (e:${L.Entity} {tenant: $tenant, id: id})
WHERE NOT ()-[:${R.MENTIONS}|${R.SUBJECT}|${R.OBJECT}|${R.PINS}]->(e)
DETACH DELETE e
RETURN count(*) AS n`;

export const MARK_WITHDRAWN = `
MATCH (d:${L.Document} {tenant: $tenant, sha256: $sha256})
SET d.status = 'withdrawn'`;
