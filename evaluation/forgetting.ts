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
 * A general question a real base answers well (examples/general-questions.json: facts any
 * encyclopaedia has, e.g. "What is the capital of France?" → Paris), scored before and after fine-tuning.
 */
export const GeneralQuestionSchema = z.object({
  question: z.string().min(1),
  lang: z.enum(['zh', 'en']),
  /** Any of these in the answer counts as right (Latin words and numbers only as whole words: "0" is not in "100"). */
  accept: z.array(z.string().min(1)).min(1),
});
export type GeneralQuestion = z.infer<typeof GeneralQuestionSchema>;

/** The question file: the whole set with its answer keys. */
export const GeneralQuestionFileSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  questions: z.array(GeneralQuestionSchema).min(1),
});

/**
 * What `kgtune base general-qa` records for one base (examples/general-questions/<id>.json): the
 * questions it answered right (kept for the forgetting check) and the ones it did not, with its answers.
 */
export const GeneralQaRecordSchema = z.object({
  base: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  questionsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  decoding: z.object({ greedy: z.literal(true), maxNewTokens: z.number().int().positive() }),
  kept: z.array(GeneralQuestionSchema.extend({ answer: z.string() })),
  dropped: z.array(GeneralQuestionSchema.extend({ answer: z.string() })),
});
export type GeneralQaRecord = z.infer<typeof GeneralQaRecordSchema>;

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether the answer states one of the accepted forms (normalised; Latin/digit forms as whole words).
 * The question's own words are cut out first: echoing "三角形有几条边" does not answer 三.
 */
export function generalAnswerRight(q: GeneralQuestion, answer: string): boolean {
  const asked = normalizeAnswer(q.question, q.lang);
  const a = asked === '' ? normalizeAnswer(answer, q.lang) : normalizeAnswer(answer, q.lang).split(asked).join(' ');
  return q.accept.some((x) => {
    const k = normalizeAnswer(x, q.lang);
    if (k === '') return false;
    if (!/^[\p{Script=Latin}\p{N}\s]+$/u.test(k)) return a.includes(k);
    return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(k)}(?![\\p{L}\\p{N}])`, 'u').test(a);
  });
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
    const rb = generalAnswerRight(q, baseAnswers[i]!);
    const ra = generalAnswerRight(q, adapterAnswers[i]!);
    if (rb) b++;
    if (ra) a++;
    if (rb && !ra) forgotten++;
  });
  const n = questions.length;
  return { n, base: n === 0 ? 0 : b / n, adapter: n === 0 ? 0 : a / n, forgotten };
}
