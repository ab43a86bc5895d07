import { activityInfo, heartbeat } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import type { KgtuneEnv } from '../configs/env.js';
import { sourcePolicy } from '../configs/source-roots.js';
import { checkedCorpusListing, corpusListingWithBytes, listingPage } from '../ingest/index.js';
import {
  type DiscoverTermsInput, type DiscoverTermsResult, type IngestBatchInput, IngestBatchProgress, type IngestBatchResult, type ListCorpusInput,
  type ListCorpusPageInput, type ListCorpusPageResult, type ListCorpusResult,
} from '../ingest/contract.js';
import { discoverCorpusTerms, ingestCorpusBatch } from '../graph/index.js';
import { classified } from './errors.js';

export function createIngestActivities(deps: { driver: Driver; env?: KgtuneEnv }) {
  const { driver } = deps;
  const policy = deps.env ? sourcePolicy(deps.env) : undefined;
  return {
    /** Whole listing in one payload: kept for workflow histories recorded before paging (see workflows/ingest.ts). */
    async listCorpus({ source, tenant }: ListCorpusInput): Promise<ListCorpusResult> {
      return classified(async () => corpusListingWithBytes(source, await checkedCorpusListing(source, tenant, policy)));
    },

    async listCorpusPage({ source, tenant, after, limit }: ListCorpusPageInput): Promise<ListCorpusPageResult> {
      return classified(async () => listingPage(await checkedCorpusListing(source, tenant, policy), after, limit));
    },

    /** A batch of files ingested and stored (graph/ingest-corpus.ts); a retried attempt continues after the last file its heartbeat names. */
    async ingestBatch(input: IngestBatchInput): Promise<IngestBatchResult> {
      const resumed = IngestBatchProgress.safeParse(activityInfo().heartbeatDetails);
      return classified(() => ingestCorpusBatch(driver, input, { ...(resumed.success ? { resumed: resumed.data } : {}), heartbeat }));
    },

    /** New-word discovery over the corpus's stored chunks (graph/ingest-corpus.ts). */
    async discoverCorpusTerms(input: DiscoverTermsInput): Promise<DiscoverTermsResult> {
      return classified(() => discoverCorpusTerms(driver, input, { heartbeat }));
    },
  };
}
