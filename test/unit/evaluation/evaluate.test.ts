import { describe, expect, it } from 'vitest';
import { EvaluationError, competitorsFromFacts, evaluate, findGroup } from '../../../evaluation/index.js';
import type { EvaluateProgress } from '../../../evaluation/index.js';
import { example } from './fixtures.js';

const examples = [
  example({ id: 'p1', type: 'fact_qa', lang: 'zh', split: 'test_paraphrase', output: '深圳', gold: ['深圳'], factIds: ['f1'] }),
  example({ id: 'p2', type: 'fact_qa', lang: 'en', split: 'test_paraphrase', output: 'Berlin', gold: ['Berlin'], factIds: ['f2'] }),
  example({ id: 'p3', type: 'refusal', lang: 'zh', split: 'test_paraphrase', output: '资料中没有相关信息。' }),
  example({ id: 'h1', type: 'true_false', lang: 'en', split: 'test_heldout', output: 'No, it is in Berlin.', label: false }),
  example({ id: 'h2', type: 'fact_qa', lang: 'zh', split: 'test_heldout', output: '北京', gold: ['北京'], factIds: ['f3'] }),
  example({ id: 't1', type: 'fact_qa', lang: 'zh', split: 'train', output: '不评估', gold: ['不评估'] }),
];

/** Answers keyed by prompt ("Q <id>"). */
function fake(answers: Record<string, string>, calls: string[][]) {
  return async (prompts: string[]) => {
    calls.push(prompts);
    return prompts.map((p) => answers[p.slice(2)] ?? '');
  };
}

describe('evaluate', () => {
  it('scores base and adapter per split × lang × type, with roll-ups and deltas', async () => {
    const baseCalls: string[][] = [];
    const adapterCalls: string[][] = [];
    const progress: EvaluateProgress[] = [];
    const report = await evaluate({
      examples,
      generateBase: fake({ p1: '广州', p2: 'Munich', p3: '在深圳。', h1: 'Yes.', h2: '上海' }, baseCalls),
      generateAdapter: fake({ p1: '深圳', p2: 'Berlin and Munich', p3: '资料中没有相关信息', h1: 'No.', h2: '北京' }, adapterCalls),
      perplexityBase: 20,
      perplexityAdapter: 21,
      competitors: { f2: ['Munich'] },
      batchSize: 2,
      onProgress: (p) => progress.push(p),
      now: () => new Date('2025-01-01T00:00:00Z'),
    });
    // train examples are not evaluated; batches of at most 2
    expect(report.examples.map((e) => e.id)).toEqual(['p1', 'p2', 'p3', 'h1', 'h2']);
    expect(baseCalls.map((c) => c.length)).toEqual([2, 2, 1]);
    expect(adapterCalls.map((c) => c.length)).toEqual([2, 2, 1]);
    expect(progress.at(-1)).toEqual({ model: 'adapter', done: 5, total: 5 });
    expect(progress.filter((p) => p.model === 'base').map((p) => p.done)).toEqual([0, 2, 4, 5]);

    const para = findGroup(report, { split: 'test_paraphrase' })!;
    expect(para.n).toBe(3);
    // base: no exact matches; adapter: p1 and p3 exact, p2 not (extra words)
    expect(para.base.values.exactMatch).toBe(0);
    expect(para.adapter.values.exactMatch).toBeCloseTo(2 / 3, 12);
    expect(para.delta.exactMatch).toBeCloseTo(2 / 3, 12);
    // faithfulness over p1, p2: adapter p1 yes, p2 names the competitor Munich → 1/2
    expect(para.adapter.counts.faithfulness).toBe(2);
    expect(para.adapter.values.faithfulness).toBe(0.5);
    expect(para.base.values.refusalAccuracy).toBe(0);
    expect(para.adapter.values.refusalAccuracy).toBe(1);
    expect(para.adapter.values.trueFalseAccuracy).toBeNull();

    const tf = findGroup(report, { split: 'test_heldout', lang: 'en', type: 'true_false' })!;
    expect(tf.base.values.trueFalseAccuracy).toBe(0);
    expect(tf.adapter.values.trueFalseAccuracy).toBe(1);

    const zhFact = findGroup(report, { split: 'all', lang: 'zh', type: 'fact_qa' })!;
    expect(zhFact.n).toBe(2);
    expect(zhFact.adapter.values.exactMatch).toBe(1);

    expect(findGroup(report, {})!.n).toBe(5);
    expect(report.perplexity.relativeIncrease).toBeCloseTo(0.05, 12);
    expect(report.createdAt).toBe('2025-01-01T00:00:00.000Z');
  });

  it('fails loudly when a generator returns the wrong number of answers', async () => {
    const bad = async (p: string[]) => p.slice(1);
    await expect(evaluate({ examples, generateBase: bad, generateAdapter: bad })).rejects.toBeInstanceOf(EvaluationError);
  });

  it('competitorsFromFacts: other objects of the same subject and predicate', () => {
    const m = competitorsFromFacts([
      { id: 'a', subjectId: 's', predicate: 'LOCATED_IN', object: '深圳' },
      { id: 'b', subjectId: 's', predicate: 'LOCATED_IN', object: '东莞' },
      { id: 'c', subjectId: 's', predicate: 'FOUNDED_BY', object: '任正非' },
    ]);
    expect(m.get('a')).toEqual(['东莞']);
    expect(m.get('b')).toEqual(['深圳']);
    expect(m.get('c')).toEqual([]);
  });
});
