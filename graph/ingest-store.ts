/** Ingest-side reads and writes: exact duplicates, near-duplicate signatures, corpus terms. */
import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import { num, plain, read, write } from './session.js';
import {
  CORPUS_CHUNK_TEXTS, CORPUS_SIGNATURES, COUNT_CORPUS_CHUNKS, FIND_DOCUMENTS, GET_CORPUS_TERMS, LINK_DUPLICATE_NAMES,
  SET_CORPUS_TERMS, SET_SIGNATURES,
} from './queries/ingest.js';

export interface StoredDocument { name: string; otherNames: string[]; status: string; reason: string | null; corpora: string[]; chunks: number }

export async function findDocuments(driver: Driver, tenant: string, shas: string[]): Promise<Map<string, StoredDocument>> {
  const res = await read(driver, (tx) => tx.run(FIND_DOCUMENTS, { tenant, shas }));
  return new Map(res.records.map((r) => [String(r.get('sha256')), {
    name: String(r.get('name')), otherNames: (plain(r.get('otherNames')) as string[]).map(String), status: String(r.get('status')),
    reason: (r.get('reason') as string | null) ?? null, corpora: (plain(r.get('corpora')) as string[]).map(String), chunks: num(r.get('chunks')),
  }]));
}

export async function linkDuplicateNames(driver: Driver, tenant: string, corpus: string, rows: { sha256: string; name: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await write(driver, (tx) => tx.run(LINK_DUPLICATE_NAMES, { tenant, corpus, rows }));
}

export async function corpusSignatures(driver: Driver, tenant: string, corpus: string): Promise<Map<string, Uint32Array>> {
  const res = await read(driver, (tx) => tx.run(CORPUS_SIGNATURES, { tenant, corpus }));
  return new Map(res.records.map((r) => [String(r.get('sha256')), Uint32Array.from((plain(r.get('minhash')) as number[]))]));
}

export async function setSignatures(driver: Driver, tenant: string, rows: { sha256: string; minhash: Uint32Array }[]): Promise<void> {
  if (rows.length === 0) return;
  await write(driver, (tx) => tx.run(SET_SIGNATURES, { tenant, rows: rows.map((r) => ({ sha256: r.sha256, minhash: Array.from(r.minhash) })) }));
}

export async function setCorpusTerms(driver: Driver, tenant: string, corpus: string, terms: { term: string; score: number }[]): Promise<void> {
  await write(driver, (tx) => tx.run(SET_CORPUS_TERMS, { tenant, corpus, terms: terms.map((t) => t.term), scores: terms.map((t) => t.score) }));
}

export async function getCorpusTerms(driver: Driver, tenant: string, corpus: string): Promise<string[]> {
  const res = await read(driver, (tx) => tx.run(GET_CORPUS_TERMS, { tenant, corpus }));
  return ((plain(res.records[0]?.get('terms')) as string[] | undefined) ?? []).map(String);
}

export async function countCorpusChunks(driver: Driver, tenant: string, corpus: string): Promise<number> {
  const res = await read(driver, (tx) => tx.run(COUNT_CORPUS_CHUNKS, { tenant, corpus }));
  return num(res.records[0]?.get('n') ?? 0);
}

/** Chunk texts in pages of `limit` (bounded memory for term discovery). */
export async function* corpusChunkTexts(driver: Driver, tenant: string, corpus: string, limit = 2000): AsyncGenerator<string[]> {
  for (let skip = 0; ; skip += limit) {
    const res = await read(driver, (tx) => tx.run(CORPUS_CHUNK_TEXTS, { tenant, corpus, skip: neo4j.int(skip), limit: neo4j.int(limit) }));
    const texts = res.records.map((r) => String(r.get('text')));
    if (texts.length) yield texts;
    if (texts.length < limit) return;
  }
}
