import { continueAsNew, defineQuery, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { IngestActivities } from '../activities/index.js';
import type { StatusCounts } from '../ingest/contract.js';
import type { PiiOptions } from '../ingest/contract.js';
import { INGEST, INGEST_PLAN } from './options.js';

const { ingestBatch } = proxyActivities<IngestActivities>(INGEST);
const { listCorpus, listCorpusPage, discoverCorpusTerms } = proxyActivities<IngestActivities>(INGEST_PLAN);

export interface IngestInput {
  tenant: string;
  corpus: string;
  source: string;
  industry: string;
  /** The tenant's PII policy (pipeline input `pii`); absent: ingest's default. */
  pii?: PiiOptions;
  /** Files per activity: one heartbeat per document inside. */
  batchSize?: number;
  /** Carried over continue-as-new: every file up to this one (in listing order) is done. */
  after?: string;
  /** Carried over continue-as-new by runs from before paged listing (index into the whole listing). */
  offset?: number;
  counts?: StatusCounts;
  chunks?: number;
  failures?: { file: string; status: string; reason: string }[];
  failuresOmitted?: number;
}

export interface IngestProgress { done: number; failed: number; total: number; byStatus: StatusCounts; chunks: number; percent: number }
export interface IngestResult {
  total: number; byStatus: StatusCounts; chunks: number; terms: number;
  /** The first MAX_FAILURES_LISTED non-ingested files with their reasons; `failuresOmitted` counts the rest. */
  failures: { file: string; status: string; reason: string }[];
  failuresOmitted?: number;
}

export const ingestProgressQuery = defineQuery<IngestProgress>('progress');

/** Batches per run before continue-as-new: keeps history bounded for a corpus of any size. */
const BATCHES_PER_RUN = 200;
const PARALLEL_BATCHES = 2;
const BAD = new Set(['failed', 'needs_ocr', 'encrypted', 'empty']);
/** Failures listed in the result (and carried over continue-as-new); the rest are only counted. */
const MAX_FAILURES_LISTED = 200;
/** Patch: the listing comes in bounded pages (listCorpusPage) instead of one payload (listCorpus). */
export const PAGED_LISTING_PATCH = 'ingest-paged-listing';

export async function ingestCorpus(input: IngestInput): Promise<IngestResult> {
  const batchSize = input.batchSize ?? 8;
  const byStatus: StatusCounts = { ...(input.counts ?? {}) };
  const failures = [...(input.failures ?? [])];
  let chunks = input.chunks ?? 0;
  let offset = input.offset ?? 0;
  let total = 0;
  const progress = (): IngestProgress => {
    const done = Object.values(byStatus).reduce((a, b) => a + b, 0);
    const failed = Object.entries(byStatus).filter(([s]) => BAD.has(s)).reduce((a, [, n]) => a + n, 0);
    return { done, failed, total, byStatus, chunks, percent: total ? Math.round((100 * done) / total) : 0 };
  };
  setHandler(ingestProgressQuery, progress);
  const tally = (r: { counts: StatusCounts; chunks: number }): void => {
    for (const [s, n] of Object.entries(r.counts)) byStatus[s] = (byStatus[s] ?? 0) + n;
    chunks += r.chunks;
  };

  // Runs continued from a pre-paging run carry `offset`: they finish the old way.
  const legacyContinuation = input.offset !== undefined && input.after === undefined;
  if (!legacyContinuation && patched(PAGED_LISTING_PATCH)) {
    let failuresOmitted = input.failuresOmitted ?? 0;
    let after = input.after;
    let batchesThisRun = 0;
    for (;;) {
      const page = await listCorpusPage({ source: input.source, tenant: input.tenant, ...(after !== undefined ? { after } : {}) });
      total = page.total;
      let i = 0;
      while (i < page.files.length) {
        if (batchesThisRun >= BATCHES_PER_RUN) {
          await continueAsNew<typeof ingestCorpus>({ ...input, batchSize, after, counts: byStatus, chunks, failures, failuresOmitted });
        }
        const wave: Promise<void>[] = [];
        for (let p = 0; p < PARALLEL_BATCHES && i < page.files.length; p++) {
          const batch = page.files.slice(i, i + batchSize);
          i += batch.length;
          batchesThisRun++;
          wave.push(
            ingestBatch({ tenant: input.tenant, corpus: input.corpus, source: input.source, files: batch, industry: input.industry, ...(input.pii ? { pii: input.pii } : {}) }).then((r) => {
              tally(r);
              const room = Math.max(0, MAX_FAILURES_LISTED - failures.length);
              failures.push(...r.failures.slice(0, room));
              failuresOmitted += Math.max(0, r.failures.length - room);
            }),
          );
        }
        await Promise.all(wave);
        after = page.files[i - 1];
      }
      if (page.next === undefined || page.files.length === 0) break;
      after = page.next;
    }
    if (total === 0) return { total: 0, byStatus, chunks: 0, terms: 0, failures };
    const { terms } = await discoverCorpusTerms({ tenant: input.tenant, corpus: input.corpus, industry: input.industry });
    return { total: progress().done, byStatus, chunks, terms, failures, ...(failuresOmitted ? { failuresOmitted } : {}) };
  }

  // Before PAGED_LISTING_PATCH: the whole listing in one payload (replays of older histories take this path).
  const { files } = await listCorpus({ source: input.source, tenant: input.tenant });
  total = files.length;
  if (total === 0) {
    return { total: 0, byStatus, chunks: 0, terms: 0, failures };
  }
  let batchesThisRun = 0;
  while (offset < files.length) {
    if (batchesThisRun >= BATCHES_PER_RUN) {
      await continueAsNew<typeof ingestCorpus>({ ...input, batchSize, offset, counts: byStatus, chunks, failures: failures.slice(-200) });
    }
    const wave: Promise<void>[] = [];
    for (let p = 0; p < PARALLEL_BATCHES && offset < files.length; p++) {
      const batch = files.slice(offset, offset + batchSize);
      offset += batch.length;
      batchesThisRun++;
      wave.push(
        ingestBatch({ tenant: input.tenant, corpus: input.corpus, source: input.source, files: batch, industry: input.industry, ...(input.pii ? { pii: input.pii } : {}) }).then((r) => {
          tally(r);
          failures.push(...r.failures);
        }),
      );
    }
    await Promise.all(wave);
  }
  const { terms } = await discoverCorpusTerms({ tenant: input.tenant, corpus: input.corpus, industry: input.industry });
  return { total: progress().done, byStatus, chunks, terms, failures };
}
