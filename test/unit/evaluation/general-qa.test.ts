import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDirs } from '../tmp-dirs.js';
import {
  findGeneralQaRecord, generalAnswerRight, generalQaRecordFile, loadGeneralQuestions, recordGeneralQa, scoreGeneralQa, type GeneralQuestion,
} from '../../../evaluation/index.js';
import { projectRoot } from '../../../configs/env.js';

const tmp = tmpDirs('kgtune-gqa-');

const FREEZE: GeneralQuestion = { question: 'What is the freezing point of water in degrees Celsius?', lang: 'en', accept: ['0', 'zero'] };
const TRIANGLE: GeneralQuestion = { question: '三角形有几条边？', lang: 'zh', accept: ['三', '3'] };
const PARIS: GeneralQuestion = { question: 'What is the capital of France?', lang: 'en', accept: ['Paris'] };

describe('general questions (forgetting on a real base)', () => {
  it('numbers and Latin words count only as whole words; echoing the question answers nothing', () => {
    expect(generalAnswerRight(FREEZE, 'It is 0 degrees.')).toBe(true);
    expect(generalAnswerRight(FREEZE, 'Water boils at 100 degrees.')).toBe(false);
    expect(generalAnswerRight(PARIS, 'The capital of France is Paris.')).toBe(true);
    expect(generalAnswerRight(PARIS, 'Parisian cafés are famous.')).toBe(false);
    expect(generalAnswerRight(TRIANGLE, '三角形有几条边？ The word is repeated.')).toBe(false);
    expect(generalAnswerRight(TRIANGLE, '三角形有三条边。')).toBe(true);
  });

  it('a record keeps the questions the base answered right; the evaluation finds it by base and question-file sha256', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'general-questions.json');
    await writeFile(file, JSON.stringify({ name: 't', questions: [PARIS, FREEZE, TRIANGLE] }));
    const set = await loadGeneralQuestions(file);
    const sha = 'a'.repeat(64);
    const rec = recordGeneralQa({ id: 'smol', sha256: sha }, set.sha256, set.questions, ['Paris.', '100', '三角形有几条边'], 32);
    expect(rec.kept.map((q) => q.question)).toEqual([PARIS.question]);
    expect(rec.dropped).toHaveLength(2);
    const records = path.join(dir, 'general-questions');
    await mkdir(records);
    await writeFile(generalQaRecordFile(records, 'smol'), JSON.stringify(rec));
    expect((await findGeneralQaRecord(records, sha, set.sha256))?.kept).toHaveLength(1);
    expect(await findGeneralQaRecord(records, 'b'.repeat(64), set.sha256)).toBeUndefined();
    // a changed question file makes the old record stale
    expect(await findGeneralQaRecord(records, sha, 'c'.repeat(64))).toBeUndefined();
    const report = scoreGeneralQa(rec.kept, ['Paris'], ['I do not know']);
    expect(report).toEqual({ n: 1, base: 1, adapter: 0, forgotten: 1 });
  });

  it('bad files fail with one line naming the file', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'general-questions.json');
    await writeFile(file, JSON.stringify({ name: 't', questions: [{ question: 'x', lang: 'fr', accept: ['y'] }] }));
    await expect(loadGeneralQuestions(file)).rejects.toThrow(/general-questions\.json: questions\.0\.lang/);
    await expect(loadGeneralQuestions(path.join(dir, 'none.json'))).rejects.toThrow(/cannot read .*none\.json: ENOENT/);
  });

  it('the shipped set has English and Chinese questions, and the shipped SmolLM2 record matches it', async () => {
    const file = path.join(projectRoot(), 'examples', 'general-questions.json');
    const set = await loadGeneralQuestions(file);
    expect(set.questions.filter((q) => q.lang === 'en').length).toBeGreaterThanOrEqual(30);
    expect(set.questions.filter((q) => q.lang === 'zh').length).toBeGreaterThanOrEqual(30);
    const rec = JSON.parse(await readFile(path.join(projectRoot(), 'examples', 'general-questions', 'smollm2-135m-instruct.json'), 'utf8')) as { questionsSha256: string; kept: Array<GeneralQuestion & { answer: string }> };
    expect(rec.questionsSha256).toBe(set.sha256);
    for (const q of rec.kept) expect(generalAnswerRight(q, q.answer)).toBe(true);
  });
});
