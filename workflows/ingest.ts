import { continueAsNew, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { IngestActivities, StatusCounts } from '../activities/types.js';
import { INGEST, INGEST_PLAN } from './options.js';

const { ingestBatch } = proxyActivities<IngestActivities>(INGEST);
const { listCorpus, discoverCorpusTerms } = proxyActivities<IngestActivities>(INGEST_PLAN);

export interface IngestInput {
  tenant: string;
  corpus: string;
  source: string;
  industry: string;
  /** Files per activity: one heartbeat per document inside. */
  batchSize?: number;
  /** Carried over continue-as-new. */
  offset?: number;
  counts?: StatusCounts;
  chunks?: number;
  failures?: { file: string; status: string; reason: string }[];
}

export interface IngestProgress { done: number; failed: number; total: number; byStatus: StatusCounts; chunks: number; percent: number }
export interface IngestResult { total: number; byStatus: StatusCounts; chunks: number; terms: number; failures: { file: string; status: string; reason: string }[] }

export const ingestProgressQuery = defineQuery<IngestProgress>('progress');

/** Batches per run before continue-as-new: keeps history bounded for a corpus of any size. */
const BATCHES_PER_RUN = 200;
const PARALLEL_BATCHES = 2;
const BAD = new Set(['failed', 'needs_ocr', 'encrypted', 'empty']);

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

  const { files } = await listCorpus({ source: input.source });
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
        ingestBatch({ tenant: input.tenant, corpus: input.corpus, source: input.source, files: batch, industry: input.industry }).then((r) => {
          for (const [s, n] of Object.entries(r.counts)) byStatus[s] = (byStatus[s] ?? 0) + n;
          chunks += r.chunks;
          failures.push(...r.failures);
        }),
      );
    }
    await Promise.all(wave);
  }
  const { terms } = await discoverCorpusTerms({ tenant: input.tenant, corpus: input.corpus, industry: input.industry });
  return { total: progress().done, byStatus, chunks, terms, failures };
}
