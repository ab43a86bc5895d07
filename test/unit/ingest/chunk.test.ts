import { describe, expect, it } from 'vitest';
import { chunkId, chunkSentences, estimateTokens, ingestFile, splitSentences } from '../../../ingest/index.js';
import { fixture, utf8 } from './fixtures.js';

const texts = (t: string, spans: Array<[number, number]>): string[] => spans.map(([s, e]) => t.slice(s, e));

describe('splitSentences', () => {
  it('splits Chinese on 。！？；… and keeps closing quotes', () => {
    const t = '他说：“今天开会。”大家同意！会议几点？下午三点；地点待定……好的';
    expect(texts(t, splitSentences(t))).toEqual(['他说：“今天开会。”', '大家同意！', '会议几点？', '下午三点；', '地点待定……', '好的']);
  });
  it('splits half-width ! ? ; after Han (as NFKC leaves them)', () => {
    const t = '大家同意!会议几点?下午三点;好';
    expect(texts(t, splitSentences(t))).toEqual(['大家同意!', '会议几点?', '下午三点;', '好']);
  });
  it('splits English, sparing abbreviations, initials and decimals', () => {
    const t = 'Dr. Smith paid $3.50 for it. J. R. Tolkien wrote books, e.g. The Hobbit. Is it? Yes!  Done';
    expect(texts(t, splitSentences(t))).toEqual(['Dr. Smith paid $3.50 for it.', 'J. R. Tolkien wrote books, e.g. The Hobbit.', 'Is it?', 'Yes!', 'Done']);
  });
  it('ends a sentence at every line break and trims whitespace', () => {
    const t = '  标题一  \n\n正文第一句。正文第二句\n';
    expect(texts(t, splitSentences(t))).toEqual(['标题一', '正文第一句。', '正文第二句']);
  });
});

describe('estimateTokens', () => {
  it('counts a CJK char as 1 and an English word as 1.3', () => {
    expect(estimateTokens('大模型')).toBe(3);
    expect(estimateTokens('hello world')).toBeCloseTo(2.6);
  });
});

describe('chunkSentences', () => {
  const sentence = (i: number): string => `第${'一二三四五六七八九十'[i % 10]}句话讲述公司业务的发展情况和未来规划。`;
  const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join('');
  const spans = splitSentences(text);

  it('packs whole sentences within the budget, with offsets that slice the page', () => {
    const chunks = chunkSentences(text, spans, { maxTokens: 64, overlapSentences: 1 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(64);
      const sub = text.slice(c.start, c.end);
      for (const [s, e] of c.sentences) expect(sub.slice(s, e)).toMatch(/^第.句话.*。$/);
      expect(c.sentences[0]?.[0]).toBe(0);
      expect(c.sentences[c.sentences.length - 1]?.[1]).toBe(c.end - c.start);
    }
  });

  it('overlaps N sentences between neighbours and covers every sentence', () => {
    const chunks = chunkSentences(text, spans, { maxTokens: 64, overlapSentences: 1 });
    for (let i = 1; i < chunks.length; i++) {
      const prev = chunks[i - 1]!;
      const lastPrev = prev.sentences[prev.sentences.length - 1]!;
      expect(chunks[i]!.start).toBe(prev.start + lastPrev[0]);
    }
    expect(chunks[0]!.start).toBe(spans[0]![0]);
    expect(chunks[chunks.length - 1]!.end).toBe(spans[spans.length - 1]![1]);
    const none = chunkSentences(text, spans, { maxTokens: 64, overlapSentences: 0 });
    for (let i = 1; i < none.length; i++) expect(none[i]!.start).toBeGreaterThanOrEqual(none[i - 1]!.end);
  });

  it('cuts a sentence longer than the budget', () => {
    const long = '很长'.repeat(300);
    const chunks = chunkSentences(long, splitSentences(long), { maxTokens: 100, overlapSentences: 1 });
    expect(chunks.length).toBe(6);
    expect(chunks.map((c) => long.slice(c.start, c.end)).join('')).toBe(long);
  });

  it('rejects a nonsense budget with a typed error', () => {
    expect(() => chunkSentences(text, spans, { maxTokens: 0 })).toThrow(expect.objectContaining({ type: 'IngestInvalidOptions' }));
  });
});

describe('chunk records from ingestFile', () => {
  it('chunk text === page.slice(start, end), ids as in the model, page numbers 1-based', async () => {
    const r = await ingestFile(fixture('zh-report.pdf'), 'zh-report.pdf', { chunk: { maxTokens: 40, overlapSentences: 1 } });
    expect(r.document.status).toBe('ingested');
    expect(new Set(r.chunks.map((c) => c.page))).toEqual(new Set([1, 2, 3]));
    for (const c of r.chunks) {
      const page = r.pages[c.page - 1]!;
      expect(c.text).toBe(page.slice(c.start, c.end));
      expect(c.id).toBe(chunkId(r.document.sha256, c.page, c.start, c.end));
      expect(c.id).toMatch(/^[0-9a-f]{32}$/);
      for (const [s, e] of c.sentences) {
        expect(e).toBeLessThanOrEqual(c.text.length);
        expect(s).toBeLessThan(e);
      }
    }
    expect(r.chunks.every((c) => c.lang === 'zh')).toBe(true);
  });

  it('marks lang per chunk', async () => {
    const r = await ingestFile(utf8('The robot arm moves boxes all day long.\n我们使用 PyTorch and TensorFlow 训练大模型。\n公司围绕大模型开展业务。'), 'x.txt', { chunk: { maxTokens: 16, overlapSentences: 0 } });
    expect(r.chunks.map((c) => c.lang)).toEqual(['en', 'mixed', 'zh']);
  });
});

describe('a 100 KB "word" (regression: it became one 100,097-character chunk)', () => {
  it('counts long letter runs as many tokens, so chunks stay within the budget', async () => {
    expect(estimateTokens('a'.repeat(4000))).toBe(1000);
    expect(estimateTokens('word')).toBeCloseTo(1.3);
    const { document, chunks } = await ingestFile(utf8(`Intro sentence. ${'x'.repeat(100_000)} Outro sentence.`), 'long-word.txt');
    expect(document.status).toBe('ingested');
    expect(chunks.length).toBeGreaterThan(50);
    expect(Math.max(...chunks.map((c) => c.text.length))).toBeLessThanOrEqual(1100);
  });
});
