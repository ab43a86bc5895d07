import { KEY, LABEL } from './allow-list.js';
import type { Label } from './allow-list.js';

/** Per label: every node of a tenant with its properties (for graphContentHash). */
export const NODES_OF: Record<Label, string> = Object.fromEntries(
  (Object.keys(LABEL) as Label[]).map((l) => [l, `MATCH (n:${LABEL[l]} {tenant: $tenant}) RETURN n.${KEY[l]} AS key, properties(n) AS props`]),
) as Record<Label, string>;

/** Per label: every outgoing relationship of a tenant's nodes, endpoints by key. */
export const RELS_OF: Record<Label, string> = Object.fromEntries(
  (Object.keys(LABEL) as Label[]).map((l) => [l, `MATCH (a:${LABEL[l]} {tenant: $tenant})-[r]->(b) RETURN a.${KEY[l]} AS from, type(r) AS type, properties(r) AS props, labels(b) AS toLabels, coalesce(b.id, b.sha256) AS to`]),
) as Record<Label, string>;

/** Removes up to 5000 nodes of a tenant with one label; run until it returns 0 (tests and demos). */
export const DELETE_TENANT_OF: Record<Label, string> = Object.fromEntries(
  (Object.keys(LABEL) as Label[]).map((l) => [l, `MATCH (n:${LABEL[l]} {tenant: $tenant}) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n`]),
) as Record<Label, string>;
