import { REGISTRY_LABEL, REGISTRY_REL } from './registry.js';

/**
 * Cypher of the MLOps registry view (client/operators.ts, api/operator-registry.ts). Values are
 * always $parameters. Operator keys are not a tenant's: they carry `tenant: '_operators'` (a name
 * no tenant can have, see client/tenants.ts TenantName), so the (tenant, key) convention still holds.
 * Labels used: OperatorKey (owned by api/), and reads of the registry's labels.
 */
const L = REGISTRY_LABEL;
const R = REGISTRY_REL;

export const OPERATORS_TENANT = '_operators';

export const OPERATOR_SCHEMA = [
  'CREATE CONSTRAINT api_operator_key_id IF NOT EXISTS FOR (k:OperatorKey) REQUIRE k.id IS UNIQUE',
] as const;

export const CREATE_OPERATOR_KEY = `
CREATE (k:OperatorKey {tenant: $tenant, id: $keyId, name: $name, hash: $hash, createdAt: datetime(), revokedAt: null})
RETURN k.id AS keyId`;

export const OPERATOR_KEY_BY_ID = `
MATCH (k:OperatorKey {tenant: $tenant, id: $keyId})
RETURN k.name AS name, k.hash AS hash, k.revokedAt IS NOT NULL AS revoked`;

export const REVOKE_OPERATOR_KEY = `
MATCH (k:OperatorKey {tenant: $tenant, id: $keyId})
SET k.revokedAt = coalesce(k.revokedAt, datetime())
RETURN k.name AS name, toString(k.revokedAt) AS revokedAt`;

export const LIST_OPERATOR_KEYS = `
MATCH (k:OperatorKey {tenant: $tenant})
RETURN k.id AS keyId, k.name AS name, toString(k.createdAt) AS createdAt, toString(k.revokedAt) AS revokedAt
ORDER BY k.createdAt`;

/**
 * The lineage of one version: adapter → run → dataset → the snapshot recorded on the adapter →
 * the documents whose sentences are evidence for the snapshot's facts (with how many facts each).
 */
export const VERSION_LINEAGE = `
MATCH (a:${L.Adapter} {tenant: $tenant, domain: $domain, version: $version})
OPTIONAL MATCH (a)-[:${R.PRODUCED_BY}]->(run:${L.TrainingRun} {tenant: $tenant})
OPTIONAL MATCH (ds:${L.Dataset} {tenant: $tenant, id: a.datasetId})
OPTIONAL MATCH (snap:${L.GraphSnapshot} {tenant: $tenant, id: a.snapshotId})
CALL {
  WITH snap
  OPTIONAL MATCH (snap)-[:${R.CONTAINS}]->(f:${L.Fact} {tenant: $tenant})-[:${R.EVIDENCE}]->(:${L.Chunk} {tenant: $tenant})<-[:${R.HAS_CHUNK}]-(doc:${L.Document} {tenant: $tenant})
  WITH doc, count(DISTINCT f) AS facts WHERE doc IS NOT NULL
  RETURN collect({sha256: doc.sha256, name: doc.name, facts: facts}) AS documents
}
RETURN a.id AS adapterId, run.id AS runId, run.backend AS backend, run.steps AS steps, toString(run.createdAt) AS runAt,
  a.datasetId AS datasetId, ds.digest AS datasetDigest, a.snapshotId AS snapshotId, snap.corpus AS corpus,
  toString(snap.createdAt) AS snapshotAt, documents`;

/** The stored artifacts of one version: what a download may serve for it (nothing else). */
export const VERSION_ARTIFACTS = `
MATCH (a:${L.Adapter} {tenant: $tenant, domain: $domain, version: $version})
RETURN a.sha256 AS weightsSha256, a.manifestSha256 AS manifestSha256, a.modelCardSha256 AS modelCardSha256, a.reports AS reports`;
