/**
 * Self-distillation pairs for a real base: general prompts (examples/general-prompts.json, written for kgtune and
 * disjoint from the evaluation's general questions) answered by the base itself — its chat template, greedy,
 * DISTILL_MAX_NEW_TOKENS — and trained on beside the documents' pairs, so the adapter keeps the base's answers to
 * general questions instead of replying to them with the refusal it learns for made-up entities.
 *
 * The answers depend only on the base (its sha256), the backend, the prompts and the decoding, so they are
 * generated once and cached under KGTUNE_HOME, content-addressed by the sha256 of exactly those: one record per
 * decoding batch (batched greedy decoding is reproducible batch for batch), written to a temporary file and renamed
 * into place, so a retried training attempt resumes where the last one stopped and two writers never leave half a
 * record. A record that does not parse or whose key does not match is ignored and recomputed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { jsonAs, writeFileAtomic } from '../configs/artifact-file.js';
import { sha256Hex } from '../configs/hash.js';
import { selectBackend, type BackendName } from './backend.js';
import { DISTILL_MAX_NEW_TOKENS } from './contract.js';
import { TrainingError } from './errors.js';
import { generateIds } from './generate.js';
import { loadForGeneration } from './index.js';
import { chatPrompt, type ChatPair } from './tokenizer/chat.js';

export const GENERAL_PROMPTS_FILE = 'general-prompts.json';
/** Prompts per decoding batch (one cache record each). */
export const DISTILL_BATCH = 8;

export const GeneralPromptSchema = z.object({ prompt: z.string().min(1), lang: z.enum(['en', 'zh']) }).strict();
export type GeneralPrompt = z.infer<typeof GeneralPromptSchema>;
export const GeneralPromptFileSchema = z.object({ name: z.string(), description: z.string(), prompts: z.array(GeneralPromptSchema).min(1) }).strict();

/** The prompt file's prompts and the sha256 of the prompts (the cache key's part). */
export async function loadGeneralPrompts(file: string): Promise<{ prompts: GeneralPrompt[]; sha256: string }> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new TrainingError('InvalidDistillPrompts', `cannot read the distillation prompts ${file}: ${err.code ?? err.message}`);
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new TrainingError('InvalidDistillPrompts', `${file} is not JSON: ${(err as Error).message}`);
  }
  const r = GeneralPromptFileSchema.safeParse(raw);
  if (!r.success) throw new TrainingError('InvalidDistillPrompts', `${file}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
  return { prompts: r.data.prompts, sha256: sha256Hex(JSON.stringify(r.data.prompts.map((p) => p.prompt))) };
}

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);
export const DistillDecoding = z.object({ maxNewTokens: z.number().int().positive(), greedy: z.literal(true), batch: z.number().int().positive() }).strict();
export type DistillDecoding = z.infer<typeof DistillDecoding>;

/** What a distillation cache entry is keyed on: everything the base's answers depend on. */
export interface DistillKeyParts {
  baseSha256: string;
  backend: string;
  promptsSha256: string;
  decoding: DistillDecoding;
}

/** The cache key of one base's answers to one prompt file: sha256 of the canonical JSON of its parts. */
export function distillCacheKey(k: DistillKeyParts): string {
  HEX64.parse(k.baseSha256);
  HEX64.parse(k.promptsSha256);
  const d = DistillDecoding.parse(k.decoding);
  return sha256Hex(JSON.stringify({ version: 1, kind: 'distill', baseSha256: k.baseSha256, backend: k.backend, promptsSha256: k.promptsSha256, decoding: { maxNewTokens: d.maxNewTokens, greedy: d.greedy, batch: d.batch } }));
}

const BatchRecord = z.object({
  version: z.literal(1),
  key: HEX64,
  batch: z.number().int().nonnegative(),
  prompts: z.array(z.string()),
  answers: z.array(z.string()),
  /** The answer reached maxNewTokens without an end-of-sequence token. */
  truncated: z.array(z.boolean()),
}).refine((r) => r.answers.length === r.prompts.length && r.truncated.length === r.prompts.length, 'one answer per prompt');
type BatchRecord = z.infer<typeof BatchRecord>;

/** Index of the last sentence end (. ! ? 。！？), -1 if none: a full stop after a digit ends a list marker ("3."), not a sentence. */
function lastSentenceEnd(a: string): number {
  for (let i = a.length - 1; i >= 0; i--) {
    const c = a[i]!;
    if ('!?。！？'.includes(c) || (c === '.' && !/\d/.test(a[i - 1] ?? ''))) return i;
  }
  return -1;
}

/**
 * Whether an answer is a degenerate loop (the same words over and over: "美食！美食！美食！…"): fewer than half of
 * its character 6-grams are distinct. A base's loops are not what the adapter should keep.
 */
export function repetitive(answer: string): boolean {
  const s = answer.replace(/\s+/gu, ' ');
  const chars = [...s];
  if (chars.length < 24) return false;
  const grams = new Set<string>();
  for (let i = 0; i + 6 <= chars.length; i++) grams.add(chars.slice(i, i + 6).join(''));
  return grams.size < 0.5 * (chars.length - 5);
}

/**
 * The answer trained on: trimmed; one cut at maxNewTokens ends at its last full sentence (a cut answer would teach
 * the adapter to stop mid-sentence), or is dropped when it has none. Dropped too: empty answers, echoes of the
 * prompt (the base repeating the question) and degenerate loops (`repetitive`).
 */
export function finishedAnswer(answer: string, truncated: boolean, prompt?: string): string | undefined {
  let a = answer.trim();
  if (truncated) {
    const end = lastSentenceEnd(a);
    if (end < 0) return undefined;
    a = a.slice(0, end + 1).trim();
  }
  if (a.length === 0 || repetitive(a)) return undefined;
  if (prompt !== undefined && a.replace(/\s+/gu, '').startsWith(prompt.replace(/\s+/gu, ''))) return undefined;
  return a;
}

export interface DistillOptions {
  baseDir: string;
  /** The base's sha256 (its catalogue folder's name); without it the answers are generated but not cached. */
  baseSha256?: string;
  prompts: readonly GeneralPrompt[];
  promptsSha256: string;
  /** `<home>/cache/distill`. */
  cacheDir: string;
  backend?: BackendName;
  maxNewTokens?: number;
  batch?: number;
  /** After each decoding step and batch: for heartbeats and visible progress. */
  onProgress?: (p: { answered: number; of: number; cached: number }) => void;
}

export interface DistillResult {
  pairs: ChatPair[];
  /** Prompts answered in total, from the cache and generated now. */
  prompts: number;
  /** Of those, from the cache. */
  cached: number;
  /** Answers dropped (empty, or cut with no full sentence). */
  dropped: number;
  key?: string;
}

/** The base's answers to the general prompts as instruction pairs: cached, or generated now (and cached). */
export async function distillPairs(o: DistillOptions): Promise<DistillResult> {
  const decoding = DistillDecoding.parse({ maxNewTokens: o.maxNewTokens ?? DISTILL_MAX_NEW_TOKENS, greedy: true, batch: o.batch ?? DISTILL_BATCH });
  const texts = o.prompts.map((p) => p.prompt);
  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += decoding.batch) batches.push(texts.slice(i, i + decoding.batch));
  // the backend is part of the key (greedy answers may differ between backends by rounding): select it up front
  const b = await selectBackend(o.backend);
  const backend = b.tensorflow ? `${b.name}@${b.tensorflow}` : b.name;
  const key = o.baseSha256 ? distillCacheKey({ baseSha256: o.baseSha256, backend, promptsSha256: o.promptsSha256, decoding }) : undefined;
  let gm: Awaited<ReturnType<typeof loadForGeneration>> | undefined;
  let cached = 0;
  let answered = 0;
  const records: BatchRecord[] = [];
  try {
    for (const [n, prompts] of batches.entries()) {
      const file = key ? path.join(o.cacheDir, key, `${n}.json`) : undefined;
      let rec = file && key ? await readRecord(file, key, n, prompts) : undefined;
      if (rec) cached += prompts.length;
      else {
        gm ??= await loadForGeneration({ baseDir: o.baseDir, backend: o.backend });
        const loaded = gm;
        const chat = prompts.map((p) => chatPrompt(loaded.tokenizer, { instruction: p }));
        const out = generateIds(loaded, chat, { maxNewTokens: decoding.maxNewTokens, greedy: true, onStep: () => o.onProgress?.({ answered, of: texts.length, cached }) });
        rec = {
          version: 1, key: key ?? '0'.repeat(64), batch: n, prompts,
          answers: out.generated.map((ids) => loaded.tokenizer.decode(ids)),
          truncated: out.generated.map((ids) => ids.length >= decoding.maxNewTokens),
        };
        if (file) await writeRecord(file, rec);
      }
      records.push(rec);
      answered += prompts.length;
      o.onProgress?.({ answered, of: texts.length, cached });
    }
  } finally {
    gm?.dispose();
  }
  const pairs: ChatPair[] = [];
  let dropped = 0;
  for (const r of records) {
    r.prompts.forEach((p, i) => {
      const a = finishedAnswer(r.answers[i]!, r.truncated[i]!, p);
      if (a === undefined) dropped++;
      else pairs.push({ instruction: p, output: a });
    });
  }
  return { pairs, prompts: texts.length, cached, dropped, ...(key ? { key } : {}) };
}

async function readRecord(file: string, key: string, batch: number, prompts: readonly string[]): Promise<BatchRecord | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const r = jsonAs(text, BatchRecord);
  if (r === undefined || r.key !== key || r.batch !== batch) return undefined;
  return r.prompts.length === prompts.length && r.prompts.every((p, i) => p === prompts[i]) ? r : undefined;
}

async function writeRecord(dest: string, record: BatchRecord): Promise<void> {
  // same key ⇒ same inputs: replacing a record another process wrote is harmless and atomic
  await writeFileAtomic(dest, `${JSON.stringify(record)}\n`);
}
