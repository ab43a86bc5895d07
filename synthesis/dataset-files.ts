/** A dataset folder read back by the stages after synthesis (layout: synthesis/contract.ts). */
import path from 'node:path';
import { readJsonFile, readJsonLinesFile } from '../configs/artifact-file.js';
import { DatasetManifest, Example, EXAMPLES_FILE, MANIFEST_FILE } from './contract.js';

/** Where the dataset of this digest is written: `<artifacts>/<tenant>/datasets/<digest>`. */
export function datasetDir(artifactsDir: string, tenant: string, digest: string): string {
  return path.join(artifactsDir, tenant, 'datasets', digest);
}

/** Every example of the dataset, each line checked against the Example schema. */
export async function readExamples(dir: string): Promise<Example[]> {
  return readJsonLinesFile(path.join(dir, EXAMPLES_FILE), Example);
}

export async function readManifest(dir: string): Promise<DatasetManifest> {
  return readJsonFile(path.join(dir, MANIFEST_FILE), DatasetManifest);
}
