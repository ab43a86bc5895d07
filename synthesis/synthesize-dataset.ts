/**
 * One pipeline synthesis: the pinned snapshot into a seeded dataset, written atomically into the folder named
 * by its digest (layout: synthesis/contract.ts), and the Dataset node recorded (FROM_SNAPSHOT, USES_FACT).
 */
import type { Driver } from 'neo4j-driver';
import { loadIndustryPack, type IndustryPack } from '../configs/industry-pack.js';
import { readSnapshot, upsertDataset } from '../graph/index.js';
import { datasetIdOf, type SynthesizeDatasetInput, type SynthesizeDatasetResult } from './contract.js';
import { datasetDir } from './dataset-files.js';
import { synthesize } from './synthesize.js';
import { writeDataset } from './write-dataset.js';

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

export async function synthesizeFromSnapshot(
  driver: Driver,
  o: SynthesizeDatasetInput & { artifactsDir: string; onProgress?: (p: unknown) => void },
): Promise<SynthesizeDatasetResult> {
  const { tenant, snapshotId, industry, seed, targetSize } = o;
  const snapshot = await readSnapshot(driver, tenant, snapshotId);
  const pack = loadIndustryPack(industry);
  const ds = synthesize(snapshot, { seed, targetSize, industry, templates: packTemplates(pack) as never }, o.onProgress);
  const dir = datasetDir(o.artifactsDir, tenant, ds.digest);
  await writeDataset(dir, ds);
  const datasetId = datasetIdOf(ds.digest);
  const factIds = [...new Set(Object.values(ds.factSplits).flat())];
  await upsertDataset(driver, tenant, { id: datasetId, digest: ds.digest, splits: ds.counts.bySplit, snapshotId, factIds });
  return {
    datasetId, digest: ds.digest, dir,
    counts: Object.fromEntries(Object.entries(ds.counts.byType).filter(([, n]) => n > 0)),
    bySplit: { ...ds.counts.bySplit },
  };
}
