import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { datasetCard } from './card.js';
import type { Dataset } from './dataset.js';
import { canonicalJsonl } from './digest.js';
import { renderExports } from './exports.js';
import { sha256Hex } from '../configs/hash.js';
import { canonicalJson } from '../configs/pure/hash.js';
import { type DatasetManifest, EXAMPLES_FILE, MANIFEST_FILE } from './contract.js';
import { readManifest } from './dataset-files.js';

export interface WrittenDataset {
  dir: string;
  digest: string;
  /** File name → SHA-256 of its bytes. */
  files: Record<string, string>;
  /** True when `dir` already held this digest and was left as it was. */
  reused: boolean;
}

/**
 * Write examples.jsonl, every export, the card (README.md) and manifest.json into `dir`,
 * atomically: all files go to a sibling temp folder which is then renamed into place, so a
 * reader sees the old dataset or the new one, never half of one. A `dir` already holding the
 * same digest is kept (idempotent retries).
 */
export async function writeDataset(dir: string, dataset: Dataset): Promise<WrittenDataset> {
  const target = path.resolve(dir);
  const existing = await existingManifest(target);
  if (existing?.digest === dataset.digest && existing.files) return { dir: target, digest: dataset.digest, files: existing.files, reused: true };

  const contents = new Map<string, string>();
  contents.set(EXAMPLES_FILE, canonicalJsonl(dataset.examples));
  for (const [name, text] of renderExports(dataset)) contents.set(name, text);
  contents.set('README.md', datasetCard(dataset));
  const files: Record<string, string> = {};
  for (const [name, text] of [...contents.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) files[name] = sha256Hex(text);
  const manifest = {
    kind: 'kgtune.dataset',
    version: 1,
    digest: dataset.digest,
    snapshotId: dataset.snapshotId,
    tenant: dataset.tenant,
    corpus: dataset.corpus,
    seed: dataset.seed,
    counts: dataset.counts,
    contamination: dataset.contamination,
    options: dataset.options,
    factSplits: dataset.factSplits,
    files,
  };
  contents.set(MANIFEST_FILE, `${JSON.stringify(JSON.parse(canonicalJson(manifest)), null, 2)}\n`);

  await mkdir(path.dirname(target), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = `${target}.tmp-${suffix}`;
  const old = `${target}.old-${suffix}`;
  try {
    await mkdir(temp);
    for (const [name, text] of contents) await writeFile(path.join(temp, name), text, 'utf8');
    let moved = false;
    try {
      await rename(target, old);
      moved = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    try {
      await rename(temp, target);
    } catch (err) {
      if (moved) await rename(old, target);
      throw err;
    }
    if (moved) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return { dir: target, digest: dataset.digest, files, reused: false };
}

async function existingManifest(dir: string): Promise<DatasetManifest | undefined> {
  try {
    return await readManifest(dir);
  } catch {
    return undefined;
  }
}
