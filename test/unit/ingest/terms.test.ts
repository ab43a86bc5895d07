import { describe, expect, it } from 'vitest';
import { discoverTerms, parseUserDict, Segmenter, sharedSegmenter } from '../../../ingest/index.js';
import { techNewsCorpus } from './corpus.js';

describe('Segmenter (@node-rs/jieba)', () => {
  it('splits unknown domain terms with the stock dictionary', () => {
    expect(sharedSegmenter().cut('科大讯飞和英伟达都在做大模型', false)).toEqual(['科大', '讯', '飞', '和', '英', '伟达', '都', '在', '做', '大', '模型']);
  });

  it('keeps user-dictionary terms whole, with their POS tags', () => {
    const seg = Segmenter.create(parseUserDict('# industry pack\n科大讯飞 nt\n英伟达 1000 nt\n大模型\n'));
    expect(seg.cut('科大讯飞和英伟达都在做大模型', false)).toEqual(['科大讯飞', '和', '英伟达', '都', '在', '做', '大模型']);
    const tags = Object.fromEntries(seg.tag('科大讯飞发布大模型').map((t) => [t.word, t.tag]));
    expect(tags).toMatchObject({ 科大讯飞: 'nt', 大模型: 'nz', 发布: 'v' });
  });

  it('keeps tenants apart and the shared segmenter read-only', () => {
    Segmenter.create([{ term: '星河智能' }]);
    expect(sharedSegmenter().cut('星河智能', false)).not.toEqual(['星河智能']);
    expect(() => sharedSegmenter().addTerms([{ term: 'x' }])).toThrow(expect.objectContaining({ type: 'IngestInvalidOptions' }));
  });
});

describe('discoverTerms', () => {
  const texts = techNewsCorpus();

  it('finds 科大讯飞, 英伟达 and 大模型 from the corpus alone', () => {
    const seg = Segmenter.create();
    const terms = discoverTerms(texts, { segmenter: seg });
    const found = terms.map((t) => t.term);
    expect(found).toEqual(expect.arrayContaining(['科大讯飞', '英伟达', '大模型']));
    // fragments of those words are not terms
    for (const frag of ['科大讯', '大讯飞', '伟达', '模型的', '讯飞']) expect(found).not.toContain(frag);
    // words the dictionary already has are not "new"
    expect(found).not.toContain('华为');
    for (const t of terms) expect(t.freq).toBeGreaterThanOrEqual(5);
  });

  it('adding the discovered terms makes the segmenter keep them whole', () => {
    const seg = Segmenter.create();
    const terms = discoverTerms(texts, { segmenter: seg });
    seg.addTerms(terms.map((t) => ({ term: t.term })));
    expect(seg.cut('科大讯飞和英伟达都在做大模型', false)).toEqual(['科大讯飞', '和', '英伟达', '都', '在', '做', '大模型']);
  });

  it('returns nothing for text without Han characters or below the frequency floor', () => {
    expect(discoverTerms(['only English text here'])).toEqual([]);
    expect(discoverTerms(['科大讯飞发布了大模型。'])).toEqual([]);
  });
});

describe('ingestCorpusLocal: discovered terms feed the corpus segmenter', () => {
  it('stores the terms and segments with them', async () => {
    const { ingestCorpusLocal } = await import('../../../ingest/index.js');
    const files = techNewsCorpus(10, 30, 3).map((t, i) => ({ name: `news-${i}.txt`, bytes: new Uint8Array(Buffer.from(t, 'utf8')) }));
    const corpus = await ingestCorpusLocal(files);
    expect(corpus.terms.map((t) => t.term)).toEqual(expect.arrayContaining(['科大讯飞', '英伟达', '大模型']));
    expect(corpus.segmenter.userTerms()).toEqual(expect.arrayContaining(['科大讯飞', '英伟达', '大模型']));
    expect(corpus.segmenter.cut('英伟达的大模型', false)).toEqual(['英伟达', '的', '大模型']);
  });
});
