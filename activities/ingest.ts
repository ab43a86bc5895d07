import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { activityInfo, heartbeat } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import type { KgtuneEnv } from '../configs/env.js';
import { checkSource, sourcePolicy } from '../configs/source-roots.js';
import { discoverTerms, estimateJaccard, ingestFile, minhashSignature, piiConfigFor, Segmenter } from '../ingest/index.js';
import type { DocumentRecord } from '../ingest/index.js';
import {
  corpusChunkTexts, corpusSignatures, findDocuments, linkDuplicateNames, setCorpusTerms, setSignatures, upsertChunks, upsertCorpus, upsertDocuments,
} from '../graph/index.js';
import { loadIndustryPack } from '../configs/industry-pack.js';
import type {
  DiscoverTermsInput, DiscoverTermsResult, IngestBatchInput, IngestBatchResult, IngestFailure, ListCorpusInput, ListCorpusPageInput, ListCorpusPageResult, ListCorpusResult, StatusCounts,
} from '../ingest/contract.js';
import { displayName, listCorpusFiles, listingPage } from '../ingest/index.js';
import { badInput, classified } from './errors.js';

/** Near-duplicate threshold on estimated Jaccard similarity of character-shingle MinHash signatures. */
const NEAR_DUP_THRESHOLD = 0.85;
/** At most this many characters of Chinese text feed term discovery (bounded memory and time). */
const TERM_DISCOVERY_MAX_CHARS = 2_000_000;

interface BatchProgress { done: number; counts: StatusCounts; chunks: number; failures: IngestFailure[] }

export function createIngestActivities(deps: { driver: Driver; env?: KgtuneEnv }) {
  const { driver } = deps;
  const policy = deps.env ? sourcePolicy(deps.env) : undefined;
  async function checkedListing(source: string, tenant?: string): Promise<string[]> {
    // The trust boundary: also for runs started from the Temporal Web UI, which skip the CLI/API checks.
    const refused = policy ? await checkSource(tenant, source, policy) : null;
    if (refused) throw badInput(refused);
    let s;
    try {
      s = await stat(source);
    } catch {
      throw badInput(`corpus folder not found: ${source}`);
    }
    if (!s.isDirectory()) throw badInput(`corpus source is not a folder: ${source}`);
    return listCorpusFiles(source);
  }
  return {
    /** Whole listing in one payload: kept for workflow histories recorded before paging (see workflows/ingest.ts). */
    async listCorpus({ source, tenant }: ListCorpusInput): Promise<ListCorpusResult> {
      const files = await checkedListing(source, tenant);
      let bytes = 0;
      for (const f of files) bytes += (await stat(path.join(source, f))).size;
      return { files, bytes };
    },

    async listCorpusPage({ source, tenant, after, limit }: ListCorpusPageInput): Promise<ListCorpusPageResult> {
      return listingPage(await checkedListing(source, tenant), after, limit);
    },

    /**
     * Per file: read, ingest (extract → normalize → PII under the tenant's `pii` policy → chunks), then store. Exact duplicates (same
     * sha256 already stored for the tenant) only add their name; near-duplicates are linked and keep
     * no chunks. Heartbeats after each file; a retried attempt continues after the last file stored.
     */
    async ingestBatch({ tenant, corpus, source, files, industry, pii }: IngestBatchInput): Promise<IngestBatchResult> {
      return classified(async () => {
        // An unknown pack fails the first batch before anything is written (not after the whole corpus).
        loadIndustryPack(industry);
        const options = { pii: piiConfigFor(pii, tenant) };
        const resumed = (activityInfo().heartbeatDetails as BatchProgress | undefined) ?? { done: 0, counts: {}, chunks: 0, failures: [] };
        const p: BatchProgress = structuredClone(resumed);
        await upsertCorpus(driver, tenant, corpus);
        const signatures = await corpusSignatures(driver, tenant, corpus);
        for (let i = p.done; i < files.length; i++) {
          const rel = files[i] as string;
          const name = await displayName(source, rel);
          const status = await ingestOne(rel, name);
          p.counts[status.status] = (p.counts[status.status] ?? 0) + 1;
          p.chunks += status.chunks;
          if (status.reason && status.status !== 'ingested') p.failures.push({ file: name, status: status.status, reason: status.reason });
          p.done = i + 1;
          heartbeat(p);
        }
        return { counts: p.counts, chunks: p.chunks, failures: p.failures };

        async function ingestOne(rel: string, name: string): Promise<{ status: string; chunks: number; reason?: string }> {
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
      });
    },

    /** New-word discovery over the corpus's stored (redacted) chunks; terms saved on the Corpus node. */
    async discoverCorpusTerms({ tenant, corpus, industry }: DiscoverTermsInput): Promise<DiscoverTermsResult> {
      return classified(async () => {
        const pack = loadIndustryPack(industry);
        const texts: string[] = [];
        let chars = 0;
        for await (const page of corpusChunkTexts(driver, tenant, corpus)) {
          for (const t of page) {
            if (chars >= TERM_DISCOVERY_MAX_CHARS) break;
            texts.push(t);
            chars += t.length;
          }
          heartbeat({ chars });
          if (chars >= TERM_DISCOVERY_MAX_CHARS) break;
        }
        const userTerms = pack.entityTypes.flatMap((e) => e.dictionary ?? []).map((term) => ({ term }));
        const terms = discoverTerms(texts, { segmenter: Segmenter.create(userTerms) });
        await setCorpusTerms(driver, tenant, corpus, terms.map((t) => ({ term: t.term, score: t.score })));
        return { terms: terms.length, top: terms.slice(0, 20).map((t) => t.term) };
      });
    },
  };
}
