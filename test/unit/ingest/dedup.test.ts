import { describe, expect, it } from 'vitest';
import { estimateJaccard, ingestCorpusLocal, ingestFile, minhashSignature, NearDuplicateIndex } from '../../../ingest/index.js';
import { techNewsCorpus } from './corpus.js';
import { fixture, utf8 } from './fixtures.js';

const [a, b, c] = techNewsCorpus(3, 40, 7) as [string, string, string];
const edited = a.replace('据报道', '据媒体报道').replace(/。/, '！').slice(0, -20) + '以上内容仅供参考。';

describe('MinHash / LSH', () => {
  it('estimates Jaccard: high for an edited copy, low for another text', () => {
    expect(estimateJaccard(minhashSignature(a), minhashSignature(edited))).toBeGreaterThan(0.8);
    expect(estimateJaccard(minhashSignature(a), minhashSignature(b))).toBeLessThan(0.5);
  });

  it('indexes and reports near-duplicates only', () => {
    const idx = new NearDuplicateIndex();
    expect(idx.check('a', a)).toBeUndefined();
    expect(idx.check('b', b)).toBeUndefined();
    expect(idx.check('a2', edited)).toBe('a');
    expect(idx.check('c', c)).toBeUndefined();
    expect(idx.size).toBe(3);
  });
});

describe('corpus dedup', () => {
  it('the same bytes under another name change nothing: one document, one alias, same chunk ids', async () => {
    const pdf = fixture('zh-report.pdf');
    const first = await ingestFile(pdf, 'report.pdf');
    const again = await ingestFile(pdf, 'copy of report (1).pdf');
    expect(again.document.sha256).toBe(first.document.sha256);
    expect(again.chunks).toEqual(first.chunks);
    const corpus = await ingestCorpusLocal(
      [
        { name: 'report.pdf', bytes: pdf },
        { name: 'copy of report (1).pdf', bytes: new Uint8Array(pdf) },
      ],
      { discover: false },
    );
    expect(corpus.documents).toHaveLength(1);
    expect(corpus.aliases).toEqual([{ name: 'copy of report (1).pdf', sha256: first.document.sha256 }]);
    expect(corpus.chunks).toEqual(first.chunks);
  });

  it('near-duplicate documents are linked, not stored twice; near-duplicate chunks are marked', async () => {
    const shared = '公司治理结构健全，内部控制有效，董事会认为报告期内不存在重大缺陷，审计机构出具了标准无保留意见的审计报告。';
    const corpus = await ingestCorpusLocal(
      [
        { name: 'a.txt', bytes: utf8(a) },
        { name: 'a-edited.txt', bytes: utf8(edited) },
        { name: 'b.txt', bytes: utf8(`${shared}\n${b}`) },
        { name: 'c.txt', bytes: utf8(`${shared}\n${c}`) },
      ],
      { discover: false, chunk: { maxTokens: 64 } },
    );
    const byName = Object.fromEntries(corpus.documents.map((d) => [d.name, d]));
    expect(byName['a-edited.txt']).toMatchObject({ status: 'duplicate', duplicateOf: byName['a.txt']?.sha256 });
    expect(byName['b.txt']?.status).toBe('ingested');
    expect(byName['c.txt']?.status).toBe('ingested');
    expect(corpus.chunks.some((ch) => ch.docSha256 === byName['a-edited.txt']?.sha256)).toBe(false);
    const cFirst = corpus.chunks.find((ch) => ch.docSha256 === byName['c.txt']?.sha256 && ch.text.startsWith('公司治理'));
    const bFirst = corpus.chunks.find((ch) => ch.docSha256 === byName['b.txt']?.sha256 && ch.text.startsWith('公司治理'));
    expect(cFirst?.duplicateOf).toBe(bFirst?.id);
  });
});
