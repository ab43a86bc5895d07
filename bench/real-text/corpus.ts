/**
 * The real-text set's documents: split.json (which file, which split, where from, which licence)
 * and the project's own ingest of each file (extract → normalize → PII → sentences → chunks), so
 * gold evidence and extractor output refer to the same page text.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ingestFile, type IngestedFile } from '../../ingest/index.js';

export const Split = z.enum(['dev', 'test']);
export type Split = z.infer<typeof Split>;

export const SplitDoc = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  file: z.string(),
  split: Split,
  lang: z.enum(['zh', 'en']),
  genre: z.string(),
  source: z.object({ kind: z.literal('corpus-real'), repository: z.string(), path: z.string(), commit: z.string() }),
  licence: z.string(),
  /** Only these pages are labelled (long documents); all pages when absent. */
  pages: z.array(z.number().int().positive()).optional(),
});
export type SplitDoc = z.infer<typeof SplitDoc>;

export const SplitFile = z.object({ note: z.string(), documents: z.array(SplitDoc).min(1) });

export const REAL_TEXT_DIR = import.meta.dirname;

export function loadSplit(file = path.join(REAL_TEXT_DIR, 'split.json')): SplitDoc[] {
  return SplitFile.parse(JSON.parse(readFileSync(file, 'utf8'))).documents;
}

/** KGTUNE_REAL_CORPUS, default ../shared/corpus-real relative to the repository. */
export function realCorpusDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.KGTUNE_REAL_CORPUS ?? path.join(REAL_TEXT_DIR, '../../../shared/corpus-real'));
}

export class MissingCorpusError extends Error {
  readonly type = 'MissingCorpus';
}

/** Ingests one document of the set with the project's pipeline; throws one clear line when it is absent. */
export async function ingestRealDoc(doc: SplitDoc, dir = realCorpusDir()): Promise<IngestedFile> {
  const file = path.join(dir, doc.file);
  if (!existsSync(file)) {
    throw new MissingCorpusError(`real-text corpus file not found: ${file} (set KGTUNE_REAL_CORPUS to the folder holding ${doc.file})`);
  }
  const r = await ingestFile(readFileSync(file), path.basename(file));
  if (r.document.status !== 'ingested') throw new MissingCorpusError(`${doc.file}: ingest status ${r.document.status} (${r.document.reason ?? ''})`);
  return r;
}
