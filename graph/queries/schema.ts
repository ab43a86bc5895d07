import { KEY, LABEL, REL } from './allow-list.js';
import type { Label, Rel } from './allow-list.js';

const snake = (l: string) => l.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** Name of the uniqueness constraint of a label (e.g. `corpus_key`). */
export const constraintName = (l: Label): string => `${snake(l)}_key`;

/** One uniqueness constraint per label on (tenant, key): every MERGE is a unique-index lookup. */
export const CONSTRAINT_BY_LABEL: Record<Label, string> = Object.fromEntries(
  (Object.keys(LABEL) as Label[]).map((l) => [l, `CREATE CONSTRAINT ${constraintName(l)} IF NOT EXISTS FOR (n:${LABEL[l]}) REQUIRE (n.tenant, n.${KEY[l]}) IS UNIQUE`]),
) as Record<Label, string>;
export const CONSTRAINTS: string[] = Object.values(CONSTRAINT_BY_LABEL);

export const INDEXES: string[] = [
  `CREATE INDEX document_status IF NOT EXISTS FOR (n:${LABEL.Document}) ON (n.tenant, n.status)`,
  `CREATE INDEX chunk_doc IF NOT EXISTS FOR (n:${LABEL.Chunk}) ON (n.tenant, n.docSha256)`,
  `CREATE INDEX entity_name IF NOT EXISTS FOR (n:${LABEL.Entity}) ON (n.tenant, n.name)`,
  `CREATE INDEX entity_type IF NOT EXISTS FOR (n:${LABEL.Entity}) ON (n.tenant, n.type)`,
  `CREATE INDEX fact_predicate IF NOT EXISTS FOR (n:${LABEL.Fact}) ON (n.tenant, n.predicate)`,
  `CREATE INDEX snapshot_corpus IF NOT EXISTS FOR (n:${LABEL.GraphSnapshot}) ON (n.tenant, n.corpus)`,
  `CREATE FULLTEXT INDEX chunk_text IF NOT EXISTS FOR (n:${LABEL.Chunk}) ON EACH [n.text]`,
  `CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:${LABEL.Entity}) ON EACH [n.name, n.aliasText]`,
];

export const AWAIT_INDEXES = 'CALL db.awaitIndexes(300)';

/** Names of the constraints that exist (to tell which labels still need theirs). */
export const SHOW_CONSTRAINT_NAMES = 'SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names';

/**
 * Duplicate groups of a label: nodes sharing (tenant, key), as made by concurrent MERGEs before the
 * constraint existed. `ids` in elementId order, so the node kept (the first) is the same on every run.
 */
export const duplicateGroups = (l: Label): string => `
MATCH (n:${LABEL[l]}) WHERE n.tenant IS NOT NULL AND n.${KEY[l]} IS NOT NULL
WITH n ORDER BY elementId(n)
WITH n.tenant AS tenant, n.${KEY[l]} AS key, collect(elementId(n)) AS ids
WHERE size(ids) > 1
RETURN tenant, key, ids LIMIT $limit`;

/**
 * Copies the relationships of type `r` of one duplicate onto the kept node (`out`: those leaving it, `in`: those
 * arriving), skipping one the kept node already has (same other end, same properties). Relationships inside the
 * group (between two of its nodes) are not copied: after the merge they would be loops on one node.
 */
function copyRelationships(r: Rel, direction: 'out' | 'in'): string {
  const edge = (node: string, v: string): string => (direction === 'out' ? `(${node})-[${v}:${REL[r]}]->(x)` : `(x)-[${v}:${REL[r]}]->(${node})`);
  return `
MATCH (keep {tenant: $tenant}) WHERE elementId(keep) = $keep
MATCH (dup {tenant: $tenant}) WHERE elementId(dup) = $dup
MATCH ${edge('dup', 'rel')} WHERE NOT elementId(x) IN $group
WITH keep, x, properties(rel) AS p
WHERE NOT EXISTS { MATCH ${edge('keep', 'e')} WHERE properties(e) = p }
CREATE ${edge('keep', 'copy')} SET copy = p
RETURN count(copy) AS copied`;
}
export const copyOutgoing = (r: Rel): string => copyRelationships(r, 'out');
export const copyIncoming = (r: Rel): string => copyRelationships(r, 'in');

/** Relationship types of a duplicate outside the allow-list: those cannot be copied, so the repair stops there. */
export const FOREIGN_RELATIONSHIPS = `
MATCH (dup {tenant: $tenant}) WHERE elementId(dup) = $dup
MATCH (dup)-[rel]-() WHERE NOT type(rel) IN $allowed
RETURN collect(DISTINCT type(rel)) AS types`;

/** The kept node takes every property it lacks from one duplicate (its own values win); then the duplicate goes. */
export const MERGE_PROPERTIES_AND_DELETE = `
MATCH (keep {tenant: $tenant}) WHERE elementId(keep) = $keep
MATCH (dup {tenant: $tenant}) WHERE elementId(dup) = $dup
WITH keep, dup, properties(keep) AS own, properties(dup) AS theirs
SET keep += theirs
SET keep += own
DETACH DELETE dup
RETURN 1 AS deleted`;
