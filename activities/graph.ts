import { heartbeat } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import { createSnapshot, ensureSchema, extractOffline, getChunks, getEntities, readSnapshot, upsertEntitiesAndFacts } from '../graph/index.js';
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
     * Offline extraction over one page of chunks, then batched MERGE writes. Entity resolution
     * runs over the page plus the entities earlier pages stored (names, aliases, ids), so a short
     * name defined on page 1 resolves to the same entity on page 2. Re-running a page leaves the
     * graph identical.
     */
    async extractBatch({ tenant, corpus, industry, skip, limit }) {
      return classified(async () => {
        const pack = loadIndustryPack(industry);
        const [chunks, terms, known] = await Promise.all([getChunks(driver, tenant, corpus, { skip, limit }), getCorpusTerms(driver, tenant, corpus), getEntities(driver, tenant)]);
        heartbeat({ phase: 'extract', chunks: chunks.length });
        const r = extractOffline({ tenant, chunks, terms, pack, known });
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
