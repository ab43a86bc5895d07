import { heartbeat } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import { createSnapshot, ensureSchema, extractOffline, getChunks, readSnapshot, upsertEntitiesAndFacts } from '../graph/index.js';
import { countCorpusChunks, getCorpusTerms } from '../graph/ingest-store.js';
import { loadIndustryPack } from '../configs/industry-pack.js';
import type { GraphActivities } from './types.js';
import { classified } from './errors.js';

export function createGraphActivities(deps: { driver: Driver }): GraphActivities {
  const { driver } = deps;
  return {
    async ensureSchema() {
      await ensureSchema(driver);
    },
    async countChunks({ tenant, corpus }) {
      return { chunks: await countCorpusChunks(driver, tenant, corpus) };
    },
    /**
     * Offline extraction over one page of chunks (entity resolution runs within the page, so a page
     * of ≤ 2,000 chunks — the workflow's default — resolves a typical corpus as a whole), then
     * batched MERGE writes. Re-running a page leaves the graph identical.
     */
    async extractBatch({ tenant, corpus, industry, skip, limit }) {
      return classified(async () => {
        const pack = loadIndustryPack(industry);
        const [chunks, terms] = await Promise.all([getChunks(driver, tenant, corpus, { skip, limit }), getCorpusTerms(driver, tenant, corpus)]);
        heartbeat({ phase: 'extract', chunks: chunks.length });
        const r = extractOffline({ tenant, chunks, terms, pack });
        heartbeat({ phase: 'write', facts: r.facts.length });
        const w = await upsertEntitiesAndFacts(driver, tenant, corpus, { entities: r.entities, facts: r.facts });
        return { entities: w.entities, facts: w.facts };
      });
    },
    async createSnapshot({ tenant, corpus }) {
      return classified(async () => {
        const snapshotId = await createSnapshot(driver, tenant, corpus);
        const snap = await readSnapshot(driver, tenant, snapshotId);
        return { snapshotId, facts: snap.facts.length, entities: snap.entities.length };
      });
    },
  };
}
