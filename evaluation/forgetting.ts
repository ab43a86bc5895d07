import { z } from 'zod';
import { EvaluationError } from './errors.js';
import type { GeneralQaReport } from './report.js';
import { normalizeAnswer } from './text.js';

/**
 * General text for the forgetting check, guaranteed disjoint from what the base was pretrained on
 * and what training replays: the texts of `all` past the pretraining prefix, minus any text (after
 * trimming) that also occurs in `pretrain` or `replay`. `all` must start with `pretrain` (both come
 * from one ordered source); otherwise the content filter alone decides.
 */
export function disjointGeneralText(all: readonly string[], pretrain: readonly string[], replay: readonly string[], n: number): string[] {
  const seen = new Set([...pretrain, ...replay].map((t) => t.trim()));
  const prefix = pretrain.every((t, i) => all[i] === t) ? pretrain.length : 0;
  const out: string[] = [];
  for (const t of all.slice(prefix)) {
    if (out.length >= n) break;
    const k = t.trim();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  return out;
}

/**
 * New-token budget for answers: the longest reference in tokens, plus a quarter and 4 tokens of
 * slack, so that a correct answer is never cut short (a fixed 40 truncated 10 of 62 references).
 */
export function answerTokenBudget(references: readonly string[], countTokens: (s: string) => number, room: number): number {
  if (references.length === 0) return Math.max(1, Math.min(16, room));
  const longest = Math.max(...references.map(countTokens));
  const want = Math.ceil(longest * 1.25) + 4;
  if (room < longest + 1) throw new EvaluationError(`the longest reference needs ${longest + 1} new tokens but the model has room for ${room}: shorten the prompts or use a longer context`, 'InvalidInput');
  return Math.min(want, room);
}

/**
 * A general question the base answers well (hook for a real base: a file next to the base model,
 * e.g. "What is the capital of France?" → Paris), scored before and after fine-tuning.
 */
export const GeneralQuestionSchema = z.object({
  question: z.string().min(1),
  lang: z.enum(['zh', 'en']),
  /** Any of these, contained in the answer, counts as right. */
  accept: z.array(z.string().min(1)).min(1),
});
export type GeneralQuestion = z.infer<typeof GeneralQuestionSchema>;

function right(q: GeneralQuestion, answer: string): boolean {
  const a = normalizeAnswer(answer, q.lang);
  return q.accept.some((x) => a.includes(normalizeAnswer(x, q.lang)));
}

/** Base vs adapter accuracy on general questions, and how many the base got right that the adapter now gets wrong. */
export function scoreGeneralQa(questions: readonly GeneralQuestion[], baseAnswers: readonly string[], adapterAnswers: readonly string[]): GeneralQaReport {
  if (baseAnswers.length !== questions.length || adapterAnswers.length !== questions.length) {
    throw new EvaluationError(`general questions: ${questions.length} questions but ${baseAnswers.length} base and ${adapterAnswers.length} adapter answers`, 'GenerationMismatch');
  }
  let b = 0;
  let a = 0;
  let forgotten = 0;
  questions.forEach((q, i) => {
    const rb = right(q, baseAnswers[i]!);
    const ra = right(q, adapterAnswers[i]!);
    if (rb) b++;
    if (ra) a++;
    if (rb && !ra) forgotten++;
  });
  const n = questions.length;
  return { n, base: n === 0 ? 0 : b / n, adapter: n === 0 ? 0 : a / n, forgotten };
}
