import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import { Predicate } from '../../../graph/index.js';
import { chunks, pack } from './helpers.js';

const run = (...texts: string[]) => extractOffline({ tenant: 't', chunks: chunks(...texts), pack }, { cooccurrence: false }).facts;

describe('every predicate the offline extractor makes can be stored', () => {
  it('attribute keys in the document\'s own words (Chinese, dates, units) pass the store\'s check', () => {
    const facts = run(
      '星澜科技股份有限公司2024年营收达到12.5亿元，同比增长三成。',
      '当时发布的GPT-3拥有1750亿个参数，是此前最大模型的十倍。',
      'OpenAI于2024年5月发布了GPT-4o。',
    );
    const attrs = facts.filter((f) => f.predicate.startsWith('ATTR:'));
    expect(attrs.length).toBeGreaterThanOrEqual(3);
    for (const f of facts) expect(Predicate.safeParse(f.predicate).success, f.predicate).toBe(true);
  });

  it('the sample corpus: no fact the store would refuse (the demo failed on ATTR:2023年净利润 before)', async () => {
    // the sample corpus's sources (its PDFs and DOCX are made from them): the text the demo extracts from
    const dir = path.resolve(import.meta.dirname, '../../../examples/sample-corpus-src');
    const texts: string[] = [];
    for (const f of (await readdir(dir)).sort()) if (/\.(txt|md)$/.test(f)) texts.push(await readFile(path.join(dir, f), 'utf8'));
    expect(texts.length).toBeGreaterThan(0);
    const bad = run(...texts).map((f) => f.predicate).filter((p) => !Predicate.safeParse(p).success);
    expect(bad).toEqual([]);
  });

  it('still refuses what is not a predicate', () => {
    for (const p of ['located_in', 'ATTR:', 'ATTR: x', 'ATTR:x ', 'ATTR:a\nb', 'ATTR:a\u0000b', `ATTR:${'x'.repeat(129)}`]) expect(Predicate.safeParse(p).success, JSON.stringify(p)).toBe(false);
    for (const p of ['LOCATED_IN', 'ATTR:price', 'ATTR:2025年3月31日商誉', 'ATTR:每股收益(元/股)', 'ATTR:Total assets']) expect(Predicate.safeParse(p).success, p).toBe(true);
  });
});
