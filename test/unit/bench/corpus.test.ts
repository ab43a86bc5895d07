/** Benches read the repository's own data by default; real documents only through KGTUNE_REAL_CORPUS. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchCorpusDir, BenchInputError } from '../../../bench/corpus.js';
import { projectRoot } from '../../../configs/env.js';

const repo = projectRoot();
const real = mkdtempSync(path.join(tmpdir(), 'kgtune-real-'));
afterAll(() => rmSync(real, { recursive: true, force: true }));

describe('bench corpus', () => {
  it('defaults to examples/sample-corpus inside the repository', () => {
    const r = benchCorpusDir({ arg: undefined, env: {}, repo });
    expect(r.dir).toBe(path.join(repo, 'examples', 'sample-corpus'));
    expect(path.relative(repo, r.dir).startsWith('..')).toBe(false);
  });

  it('reads KGTUNE_REAL_CORPUS when set, and --corpus DIR over both', () => {
    expect(benchCorpusDir({ arg: undefined, env: { KGTUNE_REAL_CORPUS: real }, repo }).dir).toBe(real);
    expect(benchCorpusDir({ arg: 'real', env: { KGTUNE_REAL_CORPUS: real }, repo }).dir).toBe(real);
    const tiny = path.join(repo, 'examples', 'tiny-corpus');
    expect(benchCorpusDir({ arg: tiny, env: { KGTUNE_REAL_CORPUS: real }, repo }).dir).toBe(tiny);
  });

  it('`--corpus real` without the variable, or a missing folder, is one line naming what to set', () => {
    expect(() => benchCorpusDir({ arg: 'real', env: {}, repo })).toThrow(BenchInputError);
    expect(() => benchCorpusDir({ arg: 'real', env: {}, repo })).toThrow(/^--corpus real needs KGTUNE_REAL_CORPUS=<folder of real documents>.*it is not set$/);
    expect(() => benchCorpusDir({ arg: undefined, env: { KGTUNE_REAL_CORPUS: path.join(real, 'nope') }, repo })).toThrow(/corpus folder not found: .*nope \(from KGTUNE_REAL_CORPUS\)/);
  });
});
