import { describe, expect, it } from 'vitest';
import { bootstrapMean, bootstrapPairedDiff, evaluate, faithfulness, findGroup, negatedIn, reportToMarkdown, scoreAnswer } from '../../../evaluation/index.js';
import { example } from './fixtures.js';

describe('strict exact match', () => {
  it('is against the canonical answer: naming the gold object alone is not an exact match', () => {
    const e = example({ id: 'a', type: 'fact_qa', lang: 'zh', split: 'test_paraphrase', output: '星河精工成立于2006年。', gold: ['2006年'] });
    expect(scoreAnswer(e, '2006年').exactMatch).toBe(0);
    expect(scoreAnswer(e, '星河精工成立于2006年').exactMatch).toBe(1);
    // …but the faithfulness metric credits it
    expect(scoreAnswer(e, '2006年').faithfulness).toBe(1);
  });

  it('a list needs all its items; one item is not an exact match', () => {
    const e = example({ id: 'l', type: 'list', lang: 'en', split: 'test_paraphrase', output: 'Xinghe is certified to ISO 9001, ISO 14001 and ISO 45001.', gold: ['ISO 9001', 'ISO 14001', 'ISO 45001'] });
    expect(scoreAnswer(e, 'ISO 9001').exactMatch).toBe(0);
    expect(scoreAnswer(e, 'ISO 9001 and ISO 14001').exactMatch).toBe(0);
    expect(scoreAnswer(e, 'It holds ISO 45001, ISO 9001 and ISO 14001.').exactMatch).toBe(1);
    expect(scoreAnswer(e, 'It holds ISO 45001, ISO 9001 but not ISO 14001.').exactMatch).toBe(0);
  });

  it('true/false is scored on the verdict, not on matching a gold string', () => {
    const e = example({ id: 't', type: 'true_false', lang: 'en', split: 'test_heldout', output: 'No, the XR-80 was released in 2023.', gold: ['False'], label: false });
    expect(scoreAnswer(e, 'False').exactMatch).toBe(1);
    expect(scoreAnswer(e, 'True').exactMatch).toBe(0);
    expect(scoreAnswer(e, 'It was released in 2023.').exactMatch).toBe(0);
  });

  it('an unanswerable question is an exact match when declined in any wording; an answerable one declined counts as over-refusal', () => {
    const u = example({ id: 'u', type: 'refusal', lang: 'en', split: 'test_heldout', output: 'The documents do not say.' });
    expect(scoreAnswer(u, 'No information about that is in the documents; the documents do not mention it.')).toMatchObject({ exactMatch: 1, refusalAccuracy: 1 });
    expect(scoreAnswer(u, 'It is in Yunlan.')).toMatchObject({ exactMatch: 0, refusalAccuracy: 0 });
    expect(scoreAnswer(u, 'x').overRefusal).toBeUndefined();
    const a = example({ id: 'a', type: 'fact_qa', lang: 'zh', split: 'test_heldout', output: '云澜市', gold: ['云澜市'] });
    expect(scoreAnswer(a, '资料中没有相关信息。')).toMatchObject({ overRefusal: 1, exactMatch: 0, faithfulness: 0 });
    expect(scoreAnswer(a, '云澜市').overRefusal).toBe(0);
  });
});

describe('faithfulness detects negation and contradiction', () => {
  it('"Not CNC-7" does not assert CNC-7', () => {
    expect(faithfulness('Not CNC-7.', ['CNC-7'], [], 'en')).toBe(0);
    expect(faithfulness("It isn't the CNC-7.", ['CNC-7'], [], 'en')).toBe(0);
    expect(faithfulness('The CNC-7, rather than the CNC-5M.', ['CNC-7'], ['CNC-5M'], 'en')).toBe(0); // names a competitor
    expect(faithfulness('It is the CNC-7.', ['CNC-7'], [], 'en')).toBe(1);
    expect(faithfulness('不是CNC-7。', ['CNC-7'], [], 'zh')).toBe(0);
    expect(faithfulness('XR-200并非由星河传动生产', ['星河传动'], [], 'zh')).toBe(0);
    expect(faithfulness('XG-12由星河传动生产。', ['星河传动'], [], 'zh')).toBe(1);
    expect(faithfulness('星河精工不仅生产XR-200', ['XR-200'], [], 'zh')).toBe(1);
  });

  it('a negation the reference shares is not a contradiction ("不超过5%")', () => {
    expect(faithfulness('误差不超过5%', ['5%'], [], 'zh', '误差不超过5%。')).toBe(1);
    expect(faithfulness('The price is not RMB 3,600.', ['RMB 3,600'], [], 'en', 'The XG-12 is priced at RMB 3,600.')).toBe(0);
    expect(negatedIn('price is not rmb 3 600', 'rmb 3 600', 'en')).toBe(true);
  });

  it('a refusal is not faithful to an answerable question', () => {
    expect(faithfulness('The documents do not say whether it is CNC-7.', ['CNC-7'], [], 'en')).toBe(0);
  });
});

describe('bootstrap intervals', () => {
  it('are seeded (same input, same interval), bracket the mean and narrow with n', () => {
    const small = Array.from({ length: 10 }, (_, i) => (i < 5 ? 1 : 0));
    const big = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const a = bootstrapMean(small, 'k')!;
    expect(bootstrapMean(small, 'k')).toEqual(a);
    expect(a[0]).toBeLessThan(0.5);
    expect(a[1]).toBeGreaterThan(0.5);
    const b = bootstrapMean(big, 'k')!;
    expect(b[1] - b[0]).toBeLessThan((a[1] - a[0]) / 3);
    expect(bootstrapMean([], 'k')).toBeNull();
    expect(bootstrapMean([1, 1, 1], 'k')).toEqual([1, 1]);
  });

  it('paired differences of identical systems are exactly zero', () => {
    const xs = [1, 0, 1, 1, 0];
    expect(bootstrapPairedDiff(xs, xs, 'p')).toEqual([0, 0]);
    expect(() => bootstrapPairedDiff([1], [1, 0], 'p')).toThrow(/equal lengths/);
  });

  it('every metric in a report carries n and an interval, and n < 30 is warned about', async () => {
    const ex = Array.from({ length: 12 }, (_, i) => example({ id: `p${i}`, type: 'fact_qa', lang: 'en', split: 'test_paraphrase', output: `a${i}`, gold: [`a${i}`] }));
    const r = await evaluate({ examples: ex, generateBase: async (p) => p.map(() => 'x'), generateAdapter: async (p) => p.map((q, i) => (i % 2 === 0 ? `a${q.slice(3)}` : 'y')) });
    const g = findGroup(r, { split: 'test_paraphrase' })!;
    expect(g.adapter.counts.exactMatch).toBe(12);
    expect(g.adapter.values.exactMatch).toBe(0.5);
    const [lo, hi] = g.adapter.intervals.exactMatch!;
    expect(lo).toBeLessThan(0.5);
    expect(hi).toBeGreaterThan(0.5);
    expect(g.gains.base!.intervals.exactMatch).not.toBeNull();
    expect(r.warnings.join('\n')).toContain('test_paraphrase: only 12 questions (n < 30)');
    expect(r.warnings.join('\n')).toContain('the lookup baseline did not run');
    expect(reportToMarkdown(r)).toContain('12 ⚠');
  });
});
