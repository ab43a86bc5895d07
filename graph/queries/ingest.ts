import { LABEL as L, REL as R } from './allow-list.js';
import { IN_CORPUS_ROWS, sortedNames } from './documents.js';

/** Documents of the tenant with these content hashes (any corpus), with their names, corpora and chunk count. */
export const FIND_DOCUMENTS = `
UNWIND $shas AS sha
MATCH (d:${L.Document} {tenant: $tenant, sha256: sha})
OPTIONAL MATCH (d)-[:${R.IN_CORPUS}]->(c:${L.Corpus} {tenant: $tenant})
WITH d, collect(c.id) AS corpora
RETURN d.sha256 AS sha256, d.name AS name, coalesce(d.otherNames, []) AS otherNames, d.status AS status, d.reason AS reason,
       corpora, COUNT { (d)-[:${R.HAS_CHUNK}]->(:${L.Chunk}) } AS chunks`;

/**
 * The same bytes seen again (another name, maybe another corpus): link the document to this
 * corpus and remember the name — no second Document, no new chunks. Names as in UPSERT_DOCUMENTS
 * (the least is `name`, whichever copy came first).
 */
export const LINK_DUPLICATE_NAMES = `${IN_CORPUS_ROWS}
MATCH (d:${L.Document} {tenant: $tenant, sha256: row.sha256})
MERGE (d)-[:${R.IN_CORPUS}]->(c)
SET d._lock = true
WITH d, ${sortedNames('coalesce(d.otherNames, [])', '[d.name, row.name]')} AS names
SET d.name = names[0], d.otherNames = CASE WHEN size(names) > 1 THEN names[1..] END
REMOVE d._lock`;

/** MinHash signatures of the corpus's ingested documents (near-duplicate detection across batches). */
export const CORPUS_SIGNATURES = `
MATCH (:${L.Corpus} {tenant: $tenant, id: $corpus})<-[:${R.IN_CORPUS}]-(d:${L.Document} {tenant: $tenant})
WHERE d.minhash IS NOT NULL AND d.status = 'ingested'
RETURN d.sha256 AS sha256, d.minhash AS minhash`;

export const SET_SIGNATURES = `
UNWIND $rows AS row
MATCH (d:${L.Document} {tenant: $tenant, sha256: row.sha256})
SET d.minhash = row.minhash`;

export const SET_CORPUS_TERMS = `
MATCH (c:${L.Corpus} {tenant: $tenant, id: $corpus})
SET c.terms = $terms, c.termScores = $scores`;

export const GET_CORPUS_TERMS = `
MATCH (c:${L.Corpus} {tenant: $tenant, id: $corpus})
RETURN coalesce(c.terms, []) AS terms`;

/** Chunk texts of the corpus in a stable order, paged (term discovery). */
export const CORPUS_CHUNK_TEXTS = `
MATCH (:${L.Corpus} {tenant: $tenant, id: $corpus})<-[:${R.IN_CORPUS}]-(d:${L.Document} {tenant: $tenant})-[:${R.HAS_CHUNK}]->(c:${L.Chunk} {tenant: $tenant})
WHERE c.duplicateOf IS NULL
RETURN c.text AS text
ORDER BY c.docSha256, c.page, c.start
SKIP $skip LIMIT $limit`;

export const COUNT_CORPUS_CHUNKS = `
MATCH (:${L.Corpus} {tenant: $tenant, id: $corpus})<-[:${R.IN_CORPUS}]-(d:${L.Document} {tenant: $tenant})-[:${R.HAS_CHUNK}]->(c:${L.Chunk} {tenant: $tenant})
RETURN count(c) AS n`;
