import { KEY, LABEL } from './allow-list.js';
import type { Label } from './allow-list.js';

const snake = (l: string) => l.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** One uniqueness constraint per label on (tenant, key): every MERGE is a unique-index lookup. */
export const CONSTRAINTS: string[] = (Object.keys(LABEL) as Label[]).map(
  (l) => `CREATE CONSTRAINT ${snake(l)}_key IF NOT EXISTS FOR (n:${LABEL[l]}) REQUIRE (n.tenant, n.${KEY[l]}) IS UNIQUE`,
);

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
