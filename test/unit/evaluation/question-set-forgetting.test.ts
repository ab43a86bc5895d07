import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDirs } from '../tmp-dirs.js';
import { answerTokenBudget, disjointGeneralText, loadQuestionSets, questionSetExamples, questionSetMatches, scoreAnswer, scoreGeneralQa } from '../../../evaluation/index.js';

const tmp = tmpDirs('kgtune-qs-');

const SET = {
  name: 'demo',
  anchors: ['星河精工', 'Xinghe Precision Co., Ltd.'],
  questions: [
    { id: 'q1', lang: 'en', type: 'fact_qa', question: 'Which city is Xinghe based in?', answer: 'Xinghe is headquartered in Yunlan.', accept: ['Yunlan'], gold: ['Yunlan'] },
    { id: 'q2', lang: 'zh', type: 'refusal', question: '星河精工的首席财务官是谁？', refusalKind: 'absent_relation' },
    { id: 'q3', lang: 'en', type: 'true_false', question: 'Is the XR-80 older than the XC-9?', answer: 'No: the XR-80 came out in 2023, the XC-9 in 2022.', label: false },
  ],
};

describe('independent question sets', () => {
  it('load from *.questions.json, apply to a graph holding every anchor, and become test_independent examples', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'demo.questions.json'), JSON.stringify(SET));
    await writeFile(path.join(dir, 'notes.md'), 'not a set');
    const [set] = await loadQuestionSets(dir);
    expect(set!.questions).toHaveLength(3);
    expect(questionSetMatches(set!, ['星河精工股份有限公司', 'Xinghe Precision Co., Ltd.', 'XR-80'])).toBe(true);
    expect(questionSetMatches(set!, ['星河精工'])).toBe(false);
    const ex = questionSetExamples(set!);
    expect(ex.map((e) => [e.id, e.split, e.type])).toEqual([['demo:q1', 'test_independent', 'fact_qa'], ['demo:q2', 'test_independent', 'refusal'], ['demo:q3', 'test_independent', 'true_false']]);
    // the short form listed in accept is an exact match, as is the sentence
    expect(scoreAnswer(ex[0]!, 'Yunlan').exactMatch).toBe(1);
    expect(scoreAnswer(ex[0]!, 'Hechuan').exactMatch).toBe(0);
    expect(scoreAnswer(ex[1]!, '资料中没有提到。').refusalAccuracy).toBe(1);
    expect(scoreAnswer(ex[2]!, 'No.').exactMatch).toBe(1);
    expect(await loadQuestionSets(path.join(dir, 'absent'))).toEqual([]);
  });

  it('a bad file fails with one line naming the file and the problem', async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'bad.questions.json'), JSON.stringify({ ...SET, questions: [{ id: 'x', lang: 'en', type: 'fact_qa', question: 'Q?' }] }));
    await expect(loadQuestionSets(dir)).rejects.toThrow(/bad\.questions\.json: .*x: an answerable question needs answer/);
    await writeFile(path.join(dir, 'bad.questions.json'), '{');
    await expect(loadQuestionSets(dir)).rejects.toThrow(/not valid JSON/);
  });

  it('the shipped sample-corpus set is valid, bilingual, ≥ 40 questions, with unanswerable ones', async () => {
    const sets = await loadQuestionSets(path.resolve('examples/answer-keys'));
    const s = sets.find((x) => x.name === 'sample-corpus-independent')!;
    expect(s.questions.length).toBeGreaterThanOrEqual(40);
    expect(new Set(s.questions.map((q) => q.lang))).toEqual(new Set(['zh', 'en']));
    expect(s.questions.filter((q) => q.type === 'refusal').length).toBeGreaterThanOrEqual(8);
    expect(s.questions.filter((q) => q.type === 'refusal').map((q) => q.refusalKind)).toEqual(expect.arrayContaining(['absent_entity', 'absent_relation']));
    // the key is consistent: every canonical answer scores as right, and every gold object is in it
    for (const e of questionSetExamples(s)) {
      const sc = scoreAnswer(e, e.output);
      expect([e.id, sc.exactMatch]).toEqual([e.id, 1]);
      if (sc.faithfulness !== undefined) expect([e.id, sc.faithfulness]).toEqual([e.id, 1]);
      for (const a of e.answers ?? []) if (e.type !== 'list') expect([e.id, a, scoreAnswer(e, a).exactMatch]).toEqual([e.id, a, 1]);
    }
  });
});

describe('forgetting check', () => {
  it('general text is disjoint from pretraining and replay, even when the pretraining prefix overshoots the budget', () => {
    const all = ['a', 'b', 'c', 'd', 'e', 'f', 'c', 'g'];
    const pretrain = ['a', 'b', 'c']; // loaded with a char budget that ended mid-round
    const replay = ['a', 'b', 'c', 'e'];
    const held = disjointGeneralText(all, pretrain, replay, 10);
    expect(held).toEqual(['d', 'f', 'g']);
    for (const t of held) expect([...pretrain, ...replay]).not.toContain(t);
    expect(disjointGeneralText(all, pretrain, replay, 2)).toEqual(['d', 'f']);
    // not a prefix: content alone decides
    expect(disjointGeneralText(['x', 'a', 'y'], ['a'], [], 5)).toEqual(['x', 'y']);
  });

  it('the answer budget comes from the longest reference, with slack, within the room left', () => {
    const count = (s: string) => s.split(' ').length;
    expect(answerTokenBudget(['one two', 'a b c d e f g h'], count, 100)).toBe(14);
    expect(answerTokenBudget(['a b c d e f g h'], count, 10)).toBe(10);
    expect(() => answerTokenBudget(['a b c d e f g h'], count, 5)).toThrow(/needs 9 new tokens/);
  });

  it('general questions are scored before and after, counting what was forgotten', () => {
    const qs = [
      { question: 'Capital of France?', lang: 'en' as const, accept: ['Paris'] },
      { question: '中国的首都是哪里？', lang: 'zh' as const, accept: ['北京'] },
      { question: '2+2?', lang: 'en' as const, accept: ['4', 'four'] },
    ];
    expect(scoreGeneralQa(qs, ['Paris.', '北京。', 'five'], ['It is Paris', '上海', 'Four'])).toEqual({ n: 3, base: 2 / 3, adapter: 2 / 3, forgotten: 1 });
    expect(() => scoreGeneralQa(qs, ['x'], ['y'])).toThrow(/3 questions but 1 base/);
  });
});
