import { cancellationSignal, heartbeat } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import { countCorpusChunks, createSnapshot, ensureSchema, extractWithMode, getChunks, getCorpusTerms, getEntities, llmExtractorFor, readSnapshot, upsertEntitiesAndFacts } from '../graph/index.js';
import { loadIndustryPack } from '../configs/industry-pack.js';
import type { KgtuneEnv } from '../configs/env.js';
import { ExtractionOptions } from '../graph/contract.js';
import type { CountChunksResult, CreateSnapshotResult, ExtractBatchInput, ExtractBatchResult, TenantCorpus } from '../graph/contract.js';
import { classified } from './errors.js';

export function createGraphActivities(deps: { driver: Driver; env?: Pick<KgtuneEnv, 'home'> & Partial<Pick<KgtuneEnv, 'KGTUNE_LLM_API_KEY'>> }) {
  const { driver } = deps;
  const home = deps.env?.home ?? '.kgtune';
  return {
    async ensureSchema(): Promise<void> {
      await ensureSchema(driver);
    },
    async countChunks({ tenant, corpus }: TenantCorpus): Promise<CountChunksResult> {
      return { chunks: await countCorpusChunks(driver, tenant, corpus) };
    },
    /**
     * Offline extraction over one page of chunks, then batched MERGE writes. Entity resolution
     * runs over the page plus the entities earlier pages stored (names, aliases, ids), so a short
     * name defined on page 1 resolves to the same entity on page 2. Re-running a page leaves the
     * graph identical. `extraction` picks offline (default), llm or both; LLM replies are cached, so a
     * retried batch asks the model only for the chunks it had not finished.
     */
    async extractBatch({ tenant, corpus, industry, skip, limit, extraction: raw }: ExtractBatchInput): Promise<ExtractBatchResult> {
      return classified(async () => {
        const pack = loadIndustryPack(industry);
        const [chunks, terms, known] = await Promise.all([getChunks(driver, tenant, corpus, { skip, limit }), getCorpusTerms(driver, tenant, corpus), getEntities(driver, tenant)]);
        heartbeat({ phase: 'extract', chunks: chunks.length });
        const extraction = ExtractionOptions.parse(raw ?? { mode: 'offline' });
        const llm = extraction.mode !== 'offline' && extraction.llm
          ? await llmExtractorFor(extraction.llm, {
            home, apiKey: deps.env?.KGTUNE_LLM_API_KEY, signal: cancellationSignal(),
            onProgress: (done, total, stats) => heartbeat({ phase: 'extract-llm', done, total, calls: stats.calls, cached: stats.cached, failed: stats.failedChunks }),
          })
          : undefined;
        let r;
        try {
          r = await extractWithMode(extraction.mode, { tenant, chunks, terms, pack, known }, llm?.extractor);
        } finally {
          await llm?.close();
        }
        heartbeat({ phase: 'write', facts: r.facts.length });
        const w = await upsertEntitiesAndFacts(driver, tenant, corpus, { entities: r.entities, facts: r.facts });
        return { entities: w.entities, facts: w.facts, ...(r.stats.llm ? { llm: r.stats.llm } : {}) };
      });
    },
    async createSnapshot({ tenant, corpus }: TenantCorpus): Promise<CreateSnapshotResult> {
      return classified(async () => {
        const snapshotId = await createSnapshot(driver, tenant, corpus);
        const snap = await readSnapshot(driver, tenant, snapshotId);
        return { snapshotId, facts: snap.facts.length, entities: snap.entities.length };
      });
    },
  };
}
