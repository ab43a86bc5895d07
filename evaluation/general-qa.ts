/**
 * The forgetting check by questions, for a real base: examples/general-questions.json holds general
 * questions with answer keys; `kgtune base general-qa <id>` records, per base, the ones it answers
 * right (examples/general-questions/<id>.json), and the evaluation asks those again of the base and of
 * base + adapter. A record belongs to one base (its sha256) and one question file (its sha256).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EvaluationError } from './errors.js';
import { generalAnswerRight, type GeneralQaRecord, GeneralQaRecordSchema, GeneralQuestionFileSchema, type GeneralQuestion } from './forgetting.js';

export const GENERAL_QUESTIONS_FILE = 'general-questions.json';
export const GENERAL_QA_RECORDS_DIR = 'general-questions';

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new EvaluationError(`cannot read ${file}: ${err.code ?? err.message}`, 'InvalidInput');
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new EvaluationError(`${file} is not JSON: ${(err as Error).message}`, 'InvalidInput');
  }
}

/** The question file's questions and the sha256 of its bytes (a record names the file it was made from). */
export async function loadGeneralQuestions(file: string): Promise<{ questions: GeneralQuestion[]; sha256: string }> {
  const raw = await readJson(file);
  const parsed = GeneralQuestionFileSchema.safeParse(raw);
  if (!parsed.success) throw new EvaluationError(`${file}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`, 'InvalidInput');
  return { questions: parsed.data.questions, sha256: createHash('sha256').update(await readFile(file)).digest('hex') };
}

/** The record of one base's answers: right ones kept, the others dropped (each with the base's answer). */
export function recordGeneralQa(base: { id: string; sha256: string }, questionsSha256: string, questions: readonly GeneralQuestion[], answers: readonly string[], maxNewTokens: number): GeneralQaRecord {
  if (answers.length !== questions.length) throw new EvaluationError(`general questions: ${questions.length} questions but ${answers.length} answers`, 'GenerationMismatch');
  const kept: GeneralQaRecord['kept'] = [];
  const dropped: GeneralQaRecord['dropped'] = [];
  questions.forEach((q, i) => (generalAnswerRight(q, answers[i]!) ? kept : dropped).push({ ...q, answer: answers[i]! }));
  return { base: base.id, sha256: base.sha256, questionsSha256, decoding: { greedy: true, maxNewTokens }, kept, dropped };
}

/** The file a base's record is written to: `<dir>/<id>.json` (id made file-safe). */
export function generalQaRecordFile(dir: string, id: string): string {
  return path.join(dir, `${id.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`);
}

/** The record for this base sha256 and question file, if one was made (records for other bases or files are ignored). */
export async function findGeneralQaRecord(dir: string, baseSha256: string, questionsSha256: string): Promise<GeneralQaRecord | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const r = GeneralQaRecordSchema.safeParse(await readJson(path.join(dir, name)));
    if (!r.success) throw new EvaluationError(`${path.join(dir, name)}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`, 'InvalidInput');
    if (r.data.sha256 === baseSha256 && r.data.questionsSha256 === questionsSha256) return r.data;
  }
  return undefined;
}
