/**
 * Which documents a bench reads. A clone is self-contained: by default the repository's own
 * examples/sample-corpus. Real documents come only through KGTUNE_REAL_CORPUS (a folder outside the
 * repository, never copied into it): used when set, and required by `--corpus real`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const REAL_CORPUS_VAR = 'KGTUNE_REAL_CORPUS';

export class BenchInputError extends Error {}

/**
 * `--corpus DIR` wins; `--corpus real` means $KGTUNE_REAL_CORPUS (an error naming the variable when
 * it is not set); otherwise $KGTUNE_REAL_CORPUS when set, else examples/sample-corpus.
 */
export function benchCorpusDir(opts: { arg: string | undefined; env: NodeJS.ProcessEnv; repo: string }): { dir: string; source: string } {
  const real = opts.env[REAL_CORPUS_VAR]?.trim();
  let dir: string;
  let source: string;
  if (opts.arg === 'real') {
    if (!real) throw new BenchInputError(`--corpus real needs ${REAL_CORPUS_VAR}=<folder of real documents> (e.g. ../shared/corpus-real); it is not set`);
    [dir, source] = [path.resolve(opts.repo, real), REAL_CORPUS_VAR];
  } else if (opts.arg) {
    [dir, source] = [path.resolve(opts.arg), '--corpus'];
  } else if (real) {
    [dir, source] = [path.resolve(opts.repo, real), REAL_CORPUS_VAR];
  } else {
    [dir, source] = [path.join(opts.repo, 'examples', 'sample-corpus'), 'default (in the repository)'];
  }
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BenchInputError(`corpus folder not found: ${dir} (from ${source})`);
  return { dir, source };
}

/** Every document file below `dir`, sorted (the corpus's MANIFEST.tsv and README-like .md files left out). */
export function listCorpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listCorpusFiles(p));
    else if (!e.endsWith('.tsv') && !e.endsWith('.md')) out.push(p);
  }
  return out.sort();
}
