import { LABEL, REL } from './allow-list.js';

/**
 * Cypher for the adapter registry (registry/). Values are always $parameters; every node pattern
 * carries `tenant`; labels and relationship types come from graph/queries/allow-list.ts plus the
 * registry's own two labels and two relationship types below.
 *
 * AdapterDomain {tenant, id = domain name} is the registry's one bookkeeping node per domain: it
 * holds the last version number and the alias-event sequence, and writing to it first serialises
 * registrations and alias moves in that domain (Neo4j's write lock lasts until commit).
 * AliasEvent {tenant, id, alias, seq, kind, fromVersion, toVersion, actor, reason, at} records
 * every alias move, -[:MOVED_TO]-> the new holder and -[:MOVED_FROM]-> the old one.
 * Wanted in graph/schema.ts: (tenant, id) unique on AdapterDomain and AliasEvent too (that closes
 * the race of two first registrations of a new domain both creating its AdapterDomain).
 */
export const REGISTRY_LABEL = { ...LABEL, AdapterDomain: 'AdapterDomain', AliasEvent: 'AliasEvent' } as const;
export const REGISTRY_REL = { ...REL, MOVED_TO: 'MOVED_TO', MOVED_FROM: 'MOVED_FROM' } as const;
const L = REGISTRY_LABEL;
const R = REGISTRY_REL;

/** Labels the registry writes (for clean-up in tests and audits). */
export const REGISTRY_LABELS = [L.AdapterDomain, L.Adapter, L.TrainingRun, L.Dataset, L.GraphSnapshot, L.Evaluation, L.AliasEvent] as const;

/** Takes the domain's write lock (creating the domain on first use) and returns its counters. */
export const LOCK_DOMAIN = `
MERGE (d:${L.AdapterDomain} {tenant: $tenant, id: $domain})
ON CREATE SET d.lastVersion = 0, d.aliasSeq = 0, d.createdAt = datetime()
SET d.lockedAt = datetime()
RETURN d.lastVersion AS lastVersion, d.aliasSeq AS aliasSeq`;

/** Like LOCK_DOMAIN but never creates: alias moves need an existing domain. */
export const LOCK_EXISTING_DOMAIN = `
MATCH (d:${L.AdapterDomain} {tenant: $tenant, id: $domain})
SET d.lockedAt = datetime()
RETURN d.lastVersion AS lastVersion, d.aliasSeq AS aliasSeq`;

export const FIND_ADAPTER_BY_ID = `
MATCH (a:${L.Adapter} {tenant: $tenant, id: $adapterId})
RETURN a.version AS version, a.sha256 AS sha256`;

export const DATASET_DIGEST = `
MATCH (ds:${L.Dataset} {tenant: $tenant, id: $datasetId})
RETURN ds.digest AS digest`;

/**
 * Creates one adapter version with its run, evaluation and lineage links. Dataset, snapshot and
 * run are MERGEd: earlier stages may have written them; the adapter and evaluation are new.
 */
export const CREATE_ADAPTER_VERSION = `
UNWIND $rows AS row
MATCH (d:${L.AdapterDomain} {tenant: $tenant, id: row.domain})
SET d.lastVersion = row.adapter.version
MERGE (snap:${L.GraphSnapshot} {tenant: $tenant, id: row.snapshotId})
MERGE (ds:${L.Dataset} {tenant: $tenant, id: row.datasetId})
  ON CREATE SET ds.createdAt = datetime()
SET ds.digest = coalesce(ds.digest, row.datasetDigest)
MERGE (ds)-[:${R.FROM_SNAPSHOT}]->(snap)
MERGE (run:${L.TrainingRun} {tenant: $tenant, id: row.run.id})
  ON CREATE SET run += row.run, run.createdAt = datetime()
MERGE (run)-[:${R.USED}]->(ds)
CREATE (a:${L.Adapter})
SET a = row.adapter, a.tenant = $tenant, a.createdAt = datetime()
CREATE (a)-[:${R.PRODUCED_BY}]->(run)
CREATE (e:${L.Evaluation})
SET e = row.evaluation, e.tenant = $tenant, e.createdAt = datetime()
CREATE (e)-[:${R.OF}]->(a)
RETURN a.id AS adapterId, a.version AS version`;

export const SET_ADAPTER_ARTIFACTS = `
MATCH (a:${L.Adapter} {tenant: $tenant, id: $adapterId})
SET a.modelCardSha256 = $modelCardSha256, a.modelCardUri = $modelCardUri`;

export const ADAPTER_BY_VERSION = `
MATCH (a:${L.Adapter} {tenant: $tenant, domain: $domain, version: $version})
OPTIONAL MATCH (e:${L.Evaluation} {tenant: $tenant})-[:${R.OF}]->(a)
RETURN a.id AS adapterId, a.version AS version, e.passed AS passed, e.gates AS gates`;

export const ALIAS_HOLDER = `
MATCH (a:${L.Adapter} {tenant: $tenant, domain: $domain})
WHERE $alias IN coalesce(a.aliases, [])
RETURN a.version AS version`;

/** Moves `alias` to `toVersion` and records the move; the caller holds the domain lock. */
export const MOVE_ALIAS = `
MATCH (d:${L.AdapterDomain} {tenant: $tenant, id: $domain})
MATCH (target:${L.Adapter} {tenant: $tenant, domain: $domain, version: $toVersion})
SET d.aliasSeq = d.aliasSeq + 1
WITH d, target
OPTIONAL MATCH (holder:${L.Adapter} {tenant: $tenant, domain: $domain})
WHERE $alias IN coalesce(holder.aliases, [])
WITH d, target, collect(holder) AS holders
FOREACH (h IN holders | SET h.aliases = [x IN h.aliases WHERE x <> $alias])
SET target.aliases = coalesce(target.aliases, []) + $alias
CREATE (ev:${L.AliasEvent} {tenant: $tenant, id: $eventId, domain: $domain, alias: $alias, seq: d.aliasSeq,
  kind: $kind, fromVersion: $fromVersion, toVersion: $toVersion, actor: $actor, reason: $reason, at: datetime()})
CREATE (ev)-[:${R.MOVED_TO}]->(target)
FOREACH (h IN holders | CREATE (ev)-[:${R.MOVED_FROM}]->(h))
RETURN ev.seq AS seq, toString(ev.at) AS at`;

export const ALIAS_EVENTS = `
MATCH (ev:${L.AliasEvent} {tenant: $tenant, domain: $domain})
WHERE $alias IS NULL OR ev.alias = $alias
RETURN ev.alias AS alias, ev.seq AS seq, ev.kind AS kind, ev.fromVersion AS fromVersion, ev.toVersion AS toVersion,
  ev.actor AS actor, ev.reason AS reason, toString(ev.at) AS at
ORDER BY ev.seq`;

/** Tenants that have adapters (operator CLI hint when `--tenant` is missing; not a tenant-facing query). */
export const ADAPTER_TENANTS = `
MATCH (d:${L.AdapterDomain})
RETURN DISTINCT d.tenant AS tenant
ORDER BY tenant`;

export const LIST_ADAPTERS = `
MATCH (a:${L.Adapter} {tenant: $tenant})
WHERE $domain IS NULL OR a.domain = $domain
OPTIONAL MATCH (e:${L.Evaluation} {tenant: $tenant})-[:${R.OF}]->(a)
RETURN a.id AS adapterId, a.domain AS domain, a.version AS version, a.sha256 AS sha256, a.sizeBytes AS sizeBytes,
  a.baseModelId AS baseModelId, a.datasetId AS datasetId, coalesce(a.aliases, []) AS aliases,
  toString(a.createdAt) AS createdAt, e.passed AS passed
ORDER BY a.domain, a.version DESC`;

export const SHOW_ADAPTER = `
MATCH (a:${L.Adapter} {tenant: $tenant, domain: $domain, version: $version})
OPTIONAL MATCH (a)-[:${R.PRODUCED_BY}]->(run:${L.TrainingRun} {tenant: $tenant})
OPTIONAL MATCH (run)-[:${R.USED}]->(ds:${L.Dataset} {tenant: $tenant, id: a.datasetId})
OPTIONAL MATCH (e:${L.Evaluation} {tenant: $tenant})-[:${R.OF}]->(a)
RETURN a {.*, createdAt: toString(a.createdAt)} AS adapter,
  run {.*, createdAt: toString(run.createdAt)} AS run,
  ds {.id, .digest, .splits} AS dataset,
  a.snapshotId AS snapshotId,
  e {.*, createdAt: toString(e.createdAt)} AS evaluation`;

/**
 * How much of the graph stands behind an adapter: facts in the snapshot it was trained on. The
 * snapshot is the one recorded on the adapter (`a.snapshotId`), not every snapshot its dataset is
 * linked to: a dataset id is its content digest, so a later snapshot with the same facts links the
 * same Dataset again.
 */
export const LINEAGE_SUMMARY = `
MATCH (a:${L.Adapter} {tenant: $tenant, domain: $domain, version: $version})
MATCH (snap:${L.GraphSnapshot} {tenant: $tenant, id: a.snapshotId})
OPTIONAL MATCH (snap)-[:${R.CONTAINS}]->(f:${L.Fact} {tenant: $tenant})
OPTIONAL MATCH (f)-[:${R.EVIDENCE}]->(c:${L.Chunk} {tenant: $tenant})<-[:${R.HAS_CHUNK}]-(doc:${L.Document} {tenant: $tenant})
RETURN count(DISTINCT f) AS facts, count(DISTINCT c) AS chunks, count(DISTINCT doc) AS documents`;

/**
 * Documents of a tenant named by `$ref`: its sha256, one of the names it was uploaded under, or the
 * tail of such a name after a `/` (a path inside the corpus folder).
 */
export const FIND_DOCUMENTS = `
MATCH (d:${L.Document} {tenant: $tenant})
WITH d, [d.name] + coalesce(d.otherNames, []) AS names
WHERE d.sha256 = $ref OR $ref IN names OR any(n IN names WHERE n ENDS WITH '/' + $ref)
RETURN d.sha256 AS sha256, d.name AS name
ORDER BY name, sha256`;

/**
 * Which adapters learned from document D: adapters whose own snapshot (`a.snapshotId`, the one they
 * were trained on) contains a fact with evidence in D. One row per adapter.
 */
export const ADAPTERS_FOR_DOCUMENT = `
MATCH (doc:${L.Document} {tenant: $tenant, sha256: $docSha256})-[:${R.HAS_CHUNK}]->(c:${L.Chunk} {tenant: $tenant})
      <-[:${R.EVIDENCE}]-(f:${L.Fact} {tenant: $tenant})<-[:${R.CONTAINS}]-(snap:${L.GraphSnapshot} {tenant: $tenant})
MATCH (a:${L.Adapter} {tenant: $tenant, snapshotId: snap.id})
WITH a, snap, count(DISTINCT f) AS facts, collect(DISTINCT c.page) AS pages
RETURN a.id AS adapterId, a.domain AS domain, a.version AS version, coalesce(a.aliases, []) AS aliases,
  a.trainingRunId AS runId, a.datasetId AS datasetId, snap.id AS snapshotId, facts, pages
ORDER BY domain, version`;

/**
 * Documents and pages behind an example: its facts' evidence chunks, and its own chunks. Evidence
 * stores the sentence as offsets into the chunk text: the chunk text and offsets are returned and
 * the sentence is cut out by the caller (JavaScript string offsets, as graph/ wrote them).
 */
export const SOURCES_FOR_EXAMPLE = `
CALL {
  UNWIND $factIds AS factId
  MATCH (f:${L.Fact} {tenant: $tenant, id: factId})-[ev:${R.EVIDENCE}]->(c:${L.Chunk} {tenant: $tenant})
  RETURN c, f.id AS factId, ev.sentenceStart AS sentenceStart, ev.sentenceEnd AS sentenceEnd
  UNION
  UNWIND $chunkIds AS chunkId
  MATCH (c:${L.Chunk} {tenant: $tenant, id: chunkId})
  RETURN c, null AS factId, null AS sentenceStart, null AS sentenceEnd
}
MATCH (doc:${L.Document} {tenant: $tenant})-[:${R.HAS_CHUNK}]->(c)
RETURN doc.sha256 AS docSha256, doc.name AS name, c.id AS chunkId, c.page AS page, c.text AS text, factId, sentenceStart, sentenceEnd
ORDER BY docSha256, page, chunkId, sentenceStart`;
