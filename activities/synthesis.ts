import { heartbeat } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import { synthesizeFromSnapshot } from '../synthesis/index.js';
import type { SynthesizeDatasetInput, SynthesizeDatasetResult } from '../synthesis/contract.js';
import type { KgtuneEnv } from '../configs/env.js';
import { classified } from './errors.js';

/** Synthesis heartbeats at most every 2 s: its progress callback fires per example. */
const HEARTBEAT_EVERY_MS = 2000;

export function createSynthesisActivities(deps: { driver: Driver; env: KgtuneEnv }) {
  const { driver, env } = deps;
  return {
    /**
     * Reads the pinned snapshot, synthesizes a seeded dataset, writes every export atomically into
     * the artifact folder named by its digest, and records the Dataset node (synthesis/synthesize-dataset.ts).
     */
    async synthesizeDataset(input: SynthesizeDatasetInput): Promise<SynthesizeDatasetResult> {
      let last = 0;
      const onProgress = (p: unknown): void => {
        const now = Date.now();
        if (now - last > HEARTBEAT_EVERY_MS) { heartbeat(p); last = now; }
      };
      return classified(() => synthesizeFromSnapshot(driver, { ...input, artifactsDir: env.artifactsDir, onProgress }));
    },
  };
}
