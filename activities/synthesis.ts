import path from 'node:path';
import { heartbeat } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import { readSnapshot, upsertDataset } from '../graph/index.js';
import { synthesize, writeDataset } from '../synthesis/index.js';
import { loadIndustryPack, type IndustryPack } from '../configs/industry-pack.js';
import type { KgtuneEnv } from '../configs/env.js';
import type { SynthesisActivities } from './types.js';
import { classified } from './errors.js';

/**
 * The pack's question templates, answer statements and multi-hop noun phrases (`hop` → hopZh /
 * hopEn), in the shape synthesis accepts as an override.
 */
export function packTemplates(pack: IndustryPack): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of pack.relationTypes) {
    if (!r.questions) continue;
    const { hop: hopZh, ...zh } = r.questions.zh;
    const { hop: hopEn, ...en } = r.questions.en;
    out[r.name] = { zh, en, nameZh: r.zh, nameEn: r.en, ...(hopZh ? { hopZh } : {}), ...(hopEn ? { hopEn } : {}) };
  }
  return out;
}

export function datasetDir(env: KgtuneEnv, tenant: string, digest: string): string {
  return path.join(env.artifactsDir, tenant, 'datasets', digest);
}

export function createSynthesisActivities(deps: { driver: Driver; env: KgtuneEnv }): SynthesisActivities {
  const { driver, env } = deps;
  return {
    /**
     * Reads the pinned snapshot, synthesizes a seeded dataset, writes every export atomically into
     * the artifact folder named by its digest, and records the Dataset node (FROM_SNAPSHOT, USES_FACT).
     */
    async synthesizeDataset({ tenant, snapshotId, industry, seed, targetSize }) {
      return classified(async () => {
        const snapshot = await readSnapshot(driver, tenant, snapshotId);
        const pack = loadIndustryPack(industry);
        let last = 0;
        const ds = synthesize(snapshot, { seed, targetSize, industry, templates: packTemplates(pack) as never }, (p: unknown) => {
          const now = Date.now();
          if (now - last > 2000) { heartbeat(p); last = now; }
        });
        const dir = datasetDir(env, tenant, ds.digest);
        await writeDataset(dir, ds);
        const datasetId = `ds_${ds.digest.slice(0, 24)}`;
        const factIds = [...new Set(Object.values(ds.factSplits).flat())];
        await upsertDataset(driver, tenant, { id: datasetId, digest: ds.digest, splits: ds.counts.bySplit, snapshotId, factIds });
        return {
          datasetId, digest: ds.digest, dir,
          counts: Object.fromEntries(Object.entries(ds.counts.byType).filter(([, n]) => n > 0)),
          bySplit: { ...ds.counts.bySplit },
        };
      });
    },
  };
}
