/**
 * Cypher of the customer upload API (api/). Values are always $parameters; every node pattern
 * carries `tenant` — except API_KEY_BY_ID, which is how a request finds its tenant in the first
 * place. Labels used: Tenant, ApiKey (owned by api/), and reads of Corpus, Document, Adapter,
 * Evaluation (written by graph/ and registry/).
 *
 * Wanted constraints (created by `ensureApiSchema`, to be folded into graph/schema.ts):
 * Tenant(name) unique, ApiKey(id) unique.
 */

export const API_LABELS = ['Tenant', 'ApiKey', 'Corpus', 'Document', 'Adapter', 'Evaluation'] as const;

export const API_SCHEMA = [
  'CREATE CONSTRAINT api_tenant_name IF NOT EXISTS FOR (t:Tenant) REQUIRE t.name IS UNIQUE',
  'CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE',
] as const;

/** Returns a row only when the tenant is new (an existing name creates nothing). */
export const CREATE_TENANT = `
OPTIONAL MATCH (existing:Tenant {tenant: $tenant, name: $tenant})
WITH existing WHERE existing IS NULL
CREATE (t:Tenant {tenant: $tenant, name: $tenant, quotaBytes: $quotaBytes, createdAt: datetime()})
RETURN t.name AS name`;

export const TENANT_EXISTS = `
MATCH (t:Tenant {tenant: $tenant, name: $tenant})
RETURN t.quotaBytes AS quotaBytes`;

export const CREATE_API_KEY = `
MATCH (t:Tenant {tenant: $tenant, name: $tenant})
CREATE (k:ApiKey {tenant: $tenant, id: $keyId, hash: $hash, label: $label, createdAt: datetime(), revokedAt: null})
CREATE (k)-[:OF_TENANT]->(t)
RETURN k.id AS keyId`;

/** The one query without a tenant: it is how a key finds its tenant. */
export const API_KEY_BY_ID = `
MATCH (k:ApiKey {id: $keyId})-[:OF_TENANT]->(t:Tenant)
WHERE t.tenant = k.tenant
RETURN k.tenant AS tenant, k.hash AS hash, k.revokedAt IS NOT NULL AS revoked, t.quotaBytes AS quotaBytes`;

/** Revokes by id (administrator's CLI: the id is all it has). Returns the tenant, for the message. */
export const REVOKE_API_KEY = `
MATCH (k:ApiKey {id: $keyId})
SET k.revokedAt = coalesce(k.revokedAt, datetime())
RETURN k.tenant AS tenant, toString(k.revokedAt) AS revokedAt`;

export const LIST_TENANTS = `
MATCH (t:Tenant)
OPTIONAL MATCH (k:ApiKey {tenant: t.tenant})-[:OF_TENANT]->(t)
WITH t, k ORDER BY k.createdAt
RETURN t.name AS name, t.quotaBytes AS quotaBytes, toString(t.createdAt) AS createdAt,
  [x IN collect(k) | {keyId: x.id, label: x.label, createdAt: toString(x.createdAt), revokedAt: toString(x.revokedAt)}] AS keys
ORDER BY name`;

/** Corpora known to the graph (ingested at least once). The graph keys a corpus by `id`; `name` is its label. */
export const LIST_CORPORA = `
MATCH (c:Corpus {tenant: $tenant})
OPTIONAL MATCH (c)<-[:IN_CORPUS]-(d:Document {tenant: $tenant})
WITH c, d.status AS status, count(d) AS n
RETURN coalesce(c.id, c.name) AS corpus, collect({status: status, n: n}) AS byStatus`;

export const CORPUS_DOCUMENTS = `
MATCH (c:Corpus {tenant: $tenant})<-[:IN_CORPUS]-(d:Document {tenant: $tenant})
WHERE c.id = $corpus OR (c.id IS NULL AND c.name = $corpus)
RETURN d.sha256 AS sha256, d.name AS name, d.mime AS mime, d.pages AS pages, d.status AS status,
  d.reason AS reason, d.duplicateOf AS duplicateOf
ORDER BY d.name`;

export const CORPUS_EXISTS = `
MATCH (c:Corpus {tenant: $tenant})
WHERE c.id = $corpus OR (c.id IS NULL AND c.name = $corpus)
RETURN count(c) > 0 AS exists`;

/** The tenant's adapters with their evaluation (metrics and gates are stored as JSON strings). */
export const TENANT_ADAPTERS = `
MATCH (a:Adapter {tenant: $tenant})
OPTIONAL MATCH (e:Evaluation {tenant: $tenant})-[:OF]->(a)
OPTIONAL MATCH (snap:GraphSnapshot {tenant: $tenant, id: a.snapshotId})
RETURN a.id AS adapterId, a.domain AS domain, a.version AS version, a.sha256 AS sha256,
  coalesce(a.aliases, []) AS aliases, toString(a.createdAt) AS createdAt, snap.corpus AS corpus,
  e.metrics AS metrics, e.gates AS gates, e.passed AS passed
ORDER BY a.domain, a.version DESC`;
