/**
 * The ingest stage's writes, orchestrated: a batch of corpus files read, ingested (ingest/: extract → normalize →
 * PII → chunks) and stored, and new-word discovery over the stored chunks. Here, in graph/, because it needs both
 * the ingest stage and the graph store (graph imports ingest, never the reverse). No Temporal: the activity passes
 * its heartbeat and the progress a retried attempt resumes from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { loadIndustryPack } from '../configs/industry-pack.js';
import {
  discoverTerms, displayName, type DocumentRecord, estimateJaccard, ingestFile, minhashSignature, piiConfigFor, Segmenter,
} from '../ingest/index.js';
import type { DiscoverTermsInput, DiscoverTermsResult, IngestBatchInput, IngestBatchProgress, IngestBatchResult } from '../ingest/contract.js';
import { corpusChunkTexts, corpusSignatures, findDocuments, linkDuplicateNames, setCorpusTerms, setSignatures } from './ingest-store.js';
import { upsertChunks, upsertCorpus, upsertDocuments } from './store.js';

/** Near-duplicate threshold on estimated Jaccard similarity of character-shingle MinHash signatures. */
const NEAR_DUP_THRESHOLD = 0.85;
/** At most this many characters of Chinese text feed term discovery (bounded memory and time). */
const TERM_DISCOVERY_MAX_CHARS = 2_000_000;

type FileOutcome = { status: string; chunks: number; reason?: string };

/**
 * Per file: read, ingest under the tenant's `pii` policy, then store. Exact duplicates (same sha256 already stored
 * for the tenant) only add their name; near-duplicates are linked and keep no chunks. `heartbeat` gets the progress
 * after each file; `resumed` (a retried attempt's last heartbeat) skips the files already stored.
 */
export async function ingestCorpusBatch(
  driver: Driver, input: IngestBatchInput, o: { resumed?: IngestBatchProgress; heartbeat: (p: IngestBatchProgress) => void },
): Promise<IngestBatchResult> {
  const { tenant, corpus, source, files, industry, pii } = input;
  // An unknown pack fails the first batch before anything is written (not after the whole corpus).
  loadIndustryPack(industry);
  const options = { pii: piiConfigFor(pii, tenant) };
  const p: IngestBatchProgress = structuredClone(o.resumed ?? { done: 0, counts: {}, chunks: 0, failures: [] });
  await upsertCorpus(driver, tenant, corpus);
  const signatures = await corpusSignatures(driver, tenant, corpus);

  async function ingestOne(rel: string, name: string): Promise<FileOutcome> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path.join(source, rel));
    } catch (e) {
      return { status: 'failed', chunks: 0, reason: `cannot read file: ${(e as Error).message}` };
    }
    const { document, chunks } = await ingestFile(bytes, name, options);
    const stored = (await findDocuments(driver, tenant, [document.sha256])).get(document.sha256);
    if (stored && stored.corpora.includes(corpus) && stored.name === name && stored.status !== 'ingesting') {
      // This very file was ingested before (a re-run or a retried activity): unchanged, nothing written.
      return { status: stored.status, chunks: stored.chunks, ...(stored.reason ? { reason: stored.reason } : {}) };
    }
    if (stored && stored.status !== 'ingesting') {
      // Same bytes already stored under another name or corpus: linked, not stored twice.
      await linkDuplicateNames(driver, tenant, corpus, [{ sha256: document.sha256, name }]);
      return { status: 'duplicate', chunks: 0, reason: `same content as '${stored.name}'` };
    }
    let doc: DocumentRecord = document;
    let sig: Uint32Array | undefined;
    if (document.status === 'ingested') {
      sig = minhashSignature(chunks.map((c) => c.text).join('\n'));
      for (const [sha, other] of signatures) {
        if (estimateJaccard(sig, other) >= NEAR_DUP_THRESHOLD) {
          doc = { ...document, status: 'duplicate', duplicateOf: sha, reason: `near-duplicate of ${sha.slice(0, 12)}` };
          break;
        }
      }
    }
    if (doc.status !== 'ingested') {
      await upsertDocuments(driver, tenant, corpus, [doc]);
      return { status: doc.status, chunks: 0, reason: doc.reason ?? doc.status };
    }
    // `ingesting` until every chunk is stored: a crash in between is redone by the next attempt.
    await upsertDocuments(driver, tenant, corpus, [{ ...doc, status: 'ingesting' }]);
    await upsertChunks(driver, tenant, chunks);
    if (sig) await setSignatures(driver, tenant, [{ sha256: doc.sha256, minhash: sig }]);
    await upsertDocuments(driver, tenant, corpus, [doc]);
    if (sig) signatures.set(doc.sha256, sig);
    return { status: 'ingested', chunks: chunks.length };
  }

  for (let i = p.done; i < files.length; i++) {
    const name = await displayName(source, files[i]!);
    const outcome = await ingestOne(files[i]!, name);
    p.counts[outcome.status] = (p.counts[outcome.status] ?? 0) + 1;
    p.chunks += outcome.chunks;
    if (outcome.reason && outcome.status !== 'ingested') p.failures.push({ file: name, status: outcome.status, reason: outcome.reason });
    p.done = i + 1;
    o.heartbeat(p);
  }
  return { counts: p.counts, chunks: p.chunks, failures: p.failures };
}

/** New-word discovery over the corpus's stored (redacted) chunks; the terms are saved on the Corpus node. */
export async function discoverCorpusTerms(driver: Driver, input: DiscoverTermsInput, o: { heartbeat: (p: { chars: number }) => void }): Promise<DiscoverTermsResult> {
  const { tenant, corpus } = input;
  const pack = loadIndustryPack(input.industry);
  const texts: string[] = [];
  let chars = 0;
  for await (const page of corpusChunkTexts(driver, tenant, corpus)) {
    for (const t of page) {
      if (chars >= TERM_DISCOVERY_MAX_CHARS) break;
      texts.push(t);
      chars += t.length;
    }
    o.heartbeat({ chars });
    if (chars >= TERM_DISCOVERY_MAX_CHARS) break;
  }
  const userTerms = pack.entityTypes.flatMap((e) => e.dictionary ?? []).map((term) => ({ term }));
  const terms = discoverTerms(texts, { segmenter: Segmenter.create(userTerms) });
  await setCorpusTerms(driver, tenant, corpus, terms.map((t) => ({ term: t.term, score: t.score })));
  return { terms: terms.length, top: terms.slice(0, 20).map((t) => t.term) };
}
