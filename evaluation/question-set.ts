import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ExampleType } from '../synthesis/index.js';
import { EvaluationError } from './errors.js';
import type { EvalExample } from './evaluate.js';

/**
 * A question set written by hand from a corpus's documents — not from the synthesis templates —
 * with its answer key: the independent paraphrase test (split `test_independent`). Files are
 * `<name>.questions.json` in a folder (examples/answer-keys/ for the shipped corpora).
 */
export const QuestionItemSchema = z
  .object({
    id: z.string().min(1),
    lang: z.enum(['zh', 'en']),
    type: ExampleType,
    question: z.string().min(1),
    /** The canonical answer sentence (unanswerable: omitted, any refusal is right). */
    answer: z.string().min(1).optional(),
    /** Further canonical forms counted as exact matches (the short answer, the other unit spelling). */
    accept: z.array(z.string().min(1)).default([]),
    /** Objects a faithful answer must assert (a list: all of them). */
    gold: z.array(z.string().min(1)).default([]),
    /** true_false: whether the statement asked about is true. */
    label: z.boolean().optional(),
    /** Unanswerable: why the documents cannot answer. */
    refusalKind: z.enum(['absent_entity', 'absent_relation']).optional(),
    /** Documents (file names) that state the answer. */
    sources: z.array(z.string()).default([]),
    /** How the question departs from the templates: word order, synonym, names the document or period, needs a reasoning step… */
    style: z.array(z.string()).default([]),
  })
  .superRefine((q, ctx) => {
    if (q.type === 'refusal' && q.refusalKind === undefined) ctx.addIssue({ code: 'custom', message: `${q.id}: an unanswerable question needs refusalKind` });
    if (q.type !== 'refusal' && q.answer === undefined) ctx.addIssue({ code: 'custom', message: `${q.id}: an answerable question needs answer` });
    if (q.type === 'true_false' && q.label === undefined) ctx.addIssue({ code: 'custom', message: `${q.id}: a true/false question needs label` });
    if (q.type !== 'refusal' && q.type !== 'true_false' && q.gold.length === 0) ctx.addIssue({ code: 'custom', message: `${q.id}: an answerable question needs gold objects` });
  });
export type QuestionItem = z.infer<typeof QuestionItemSchema>;

export const QuestionSetSchema = z.object({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Entity names the corpus's graph must hold for the set to apply to it (all of them). */
  anchors: z.array(z.string().min(1)).min(1),
  /** The documents the questions were written from. */
  writtenFrom: z.array(z.string()).default([]),
  questions: z.array(QuestionItemSchema).min(1),
}).superRefine((s, ctx) => {
  const seen = new Set<string>();
  for (const q of s.questions) {
    if (seen.has(q.id)) ctx.addIssue({ code: 'custom', message: `duplicate question id ${q.id}` });
    seen.add(q.id);
  }
});
export type QuestionSet = z.infer<typeof QuestionSetSchema>;

export const QUESTION_SET_SUFFIX = '.questions.json';
const REFUSAL: Record<'zh' | 'en', string> = { zh: '资料中没有相关信息。', en: 'The documents do not say.' };

/** Every `*.questions.json` in `dir`, validated; a missing folder gives none; a bad file fails with one line naming it. */
export async function loadQuestionSets(dir: string): Promise<QuestionSet[]> {
  const names = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  const out: QuestionSet[] = [];
  for (const f of names.filter((n) => n.endsWith(QUESTION_SET_SUFFIX)).sort()) {
    const file = path.join(dir, f);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new EvaluationError(`question set ${file} is not valid JSON: ${(e as Error).message}`, 'InvalidInput');
    }
    const r = QuestionSetSchema.safeParse(raw);
    if (!r.success) throw new EvaluationError(`question set ${file}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`.trim()).join('; ')}`, 'InvalidInput');
    out.push(r.data);
  }
  return out;
}

function key(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** True when every anchor of the set is part of some entity name or alias of the graph (so the set was written for this corpus). */
export function questionSetMatches(set: QuestionSet, entityNames: Iterable<string>): boolean {
  const names = [...entityNames].map(key);
  return set.anchors.every((a) => names.some((n) => n.includes(key(a))));
}

/** The set's questions as examples of split test_independent. */
export function questionSetExamples(set: QuestionSet): EvalExample[] {
  return set.questions.map((q) => ({
    id: `${set.name}:${q.id}`,
    type: q.type,
    lang: q.lang,
    split: 'test_independent' as const,
    instruction: q.question,
    input: '',
    output: q.answer ?? REFUSAL[q.lang],
    answers: q.accept,
    gold: q.gold,
    factIds: [],
    chunkIds: [],
    citations: [],
    templateId: `independent:${set.name}`,
    ...(q.label === undefined ? {} : { label: q.label }),
    ...(q.refusalKind === undefined ? {} : { refusalKind: q.refusalKind }),
  }));
}
