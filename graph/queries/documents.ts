import { LABEL as L, REL as R } from './allow-list.js';

export const UPSERT_CORPUS = `
MERGE (c:${L.Corpus} {tenant: $tenant, id: $corpus})
SET c.name = coalesce($name, c.name, $corpus)`;

/**
 * The names a document's bytes were seen under (copies in one corpus, other corpora), distinct and sorted:
 * the Cypher list `list` plus `add`, nulls dropped (an insertion sort — Cypher has no list sort without APOC).
 * A Document's `name` is the least of them and `otherNames` the rest (absent when there is one), so the
 * node is the same whichever copy was stored first: the ingest workflow runs batches in parallel, and
 * copies in two batches race. Callers write-lock `d` first (`SET d._lock = true` … `REMOVE d._lock`,
 * Neo4j's lost-update idiom), so two concurrent writers never drop each other's name.
 */
export const sortedNames = (list: string, add: string): string =>
  `reduce(acc = [], n IN ${list} + ${add} | CASE WHEN n IS NULL OR n IN acc THEN acc ELSE [x IN acc WHERE x < n] + n + [x IN acc WHERE x > n] END)`;

/** The corpus (created with its id as name when new), then one row of `$rows` at a time: how document writes begin. */
export const IN_CORPUS_ROWS = `
MERGE (c:${L.Corpus} {tenant: $tenant, id: $corpus})
ON CREATE SET c.name = $corpus
WITH c
UNWIND $rows AS row`;

export const UPSERT_DOCUMENTS = `${IN_CORPUS_ROWS}
MERGE (d:${L.Document} {tenant: $tenant, sha256: row.sha256})
SET d._lock = true
WITH c, row, d, ${sortedNames('coalesce(d.otherNames, [])', '[d.name, row.name]')} AS names
SET d.name = names[0], d.otherNames = CASE WHEN size(names) > 1 THEN names[1..] END,
    d.mime = row.mime, d.pages = row.pages, d.status = row.status, d.reason = row.reason,
    d.duplicateOf = row.duplicateOf, d.piiCounts = row.piiCounts, d.chars = row.chars
REMOVE d._lock
MERGE (d)-[:${R.IN_CORPUS}]->(c)
WITH d, row
OPTIONAL MATCH (o:${L.Document} {tenant: $tenant, sha256: row.duplicateOf})
FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (d)-[:${R.DUPLICATE_OF}]->(o))`;

export const MISSING_DOCUMENTS = `
UNWIND $shas AS sha
OPTIONAL MATCH (d:${L.Document} {tenant: $tenant, sha256: sha})
WITH sha, d WHERE d IS NULL
RETURN collect(sha) AS missing`;

export const UPSERT_CHUNKS = `
UNWIND $rows AS row
MATCH (d:${L.Document} {tenant: $tenant, sha256: row.docSha256})
MERGE (c:${L.Chunk} {tenant: $tenant, id: row.id})
SET c.docSha256 = row.docSha256, c.page = row.page, c.start = row.start, c.end = row.end, c.text = row.text,
    c.lang = row.lang, c.sentenceStarts = row.sentenceStarts, c.sentenceEnds = row.sentenceEnds, c.duplicateOf = row.duplicateOf
MERGE (d)-[:${R.HAS_CHUNK}]->(c)
WITH c, row
OPTIONAL MATCH (o:${L.Chunk} {tenant: $tenant, id: row.duplicateOf})
FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (c)-[:${R.DUPLICATE_OF}]->(o))`;

export const GET_CHUNKS = `
MATCH (:${L.Corpus} {tenant: $tenant, id: $corpus})<-[:${R.IN_CORPUS}]-(d:${L.Document} {tenant: $tenant})-[:${R.HAS_CHUNK}]->(c:${L.Chunk} {tenant: $tenant})
RETURN c {.*} AS chunk
ORDER BY c.docSha256, c.page, c.start, c.id
SKIP $skip LIMIT $limit`;

export const COUNT_DOCUMENTS_BY_STATUS = `
MATCH (:${L.Corpus} {tenant: $tenant, id: $corpus})<-[:${R.IN_CORPUS}]-(d:${L.Document} {tenant: $tenant})
RETURN d.status AS status, count(d) AS n
ORDER BY status`;
