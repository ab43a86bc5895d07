/**
 * The base's side of an evaluation, computed once: the base's answers (plain and with retrieval
 * evidence), its general-question answers and its general-text perplexity depend only on the base's
 * sha256, the backend, the decoding settings and the prompts — not on the adapter. Every adapter
 * evaluated on the same base and questions (a re-run demo, an MLOps re-evaluation, a settings sweep)
 * reuses them and pays only for the adapter's share.
 *
 * Content-addressed: a record's file name is the sha256 of everything that decides its result
 * (kind, base sha256, backend, decoding, batch, the prompts or texts in order), so a changed prompt,
 * decoding budget or base is a different key and never a stale hit. One batch of generate() is one
 * record (batched greedy decoding is only reproducible batch for batch), which also lets a retried
 * evaluation resume where the last attempt stopped. Writes go to a temporary file and are renamed into
 * place (a crash never leaves half a record; writing the same key twice is harmless). A record that
 * does not parse or whose key does not match is ignored and recomputed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { jsonAs, writeFileAtomic } from '../configs/artifact-file.js';
import { sha256Hex } from '../configs/hash.js';
import { PERPLEXITY_MAX_TOKENS } from '../training/index.js';

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);

/** What a cached base computation ran on; the adapter is not part of it by construction. */
export const AnswerCacheContext = z.object({
  /** sha256 of the base (its folder name in the catalogue: bases are content-addressed and immutable). */
  baseSha256: HEX64,
  /** The tfjs backend (tensorflow, wasm, cpu …): greedy answers may differ between backends by rounding. */
  backend: z.string().min(1),
});
export type AnswerCacheContext = z.infer<typeof AnswerCacheContext>;

export const CachedDecoding = z.object({ maxNewTokens: z.number().int().positive(), greedy: z.literal(true) });
export type CachedDecoding = z.infer<typeof CachedDecoding>;

const GenerateRecord = AnswerCacheContext.extend({
  version: z.literal(1),
  kind: z.literal('generate'),
  key: HEX64,
  decoding: CachedDecoding,
  prompts: z.array(z.string()),
  answers: z.array(z.string()),
}).refine((r) => r.answers.length === r.prompts.length, 'one answer per prompt');

const PerplexityRecord = AnswerCacheContext.extend({
  /** 2: the scored window (`maxTokens`) is part of the key; version-1 records are misses. */
  version: z.literal(2),
  kind: z.literal('perplexity'),
  key: HEX64,
  textsSha256: HEX64,
  /** Tokens scored per text (training's PERPLEXITY_MAX_TOKENS when the record was made). */
  maxTokens: z.number().int().positive(),
  texts: z.number().int().nonnegative(),
  perplexity: z.number().positive(),
});

/** The key of a record: sha256 of the canonical JSON of everything its result depends on. */
export function answerCacheKey(kind: 'generate' | 'perplexity', ctx: AnswerCacheContext, detail: unknown): string {
  const c = AnswerCacheContext.parse(ctx);
  return sha256Hex(JSON.stringify({ version: 1, kind, baseSha256: c.baseSha256, backend: c.backend, detail }));
}

/** A folder of cached base computations: `<dir>/<2 hex>/<64 hex>.json`. */
export class LocalAnswerCache {
  hits = 0;
  misses = 0;
  constructor(readonly dir: string) {}

  file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${HEX64.parse(key)}.json`);
  }

  /** The base's answers to one batch of prompts: from the cache, or computed and stored. */
  async answers(ctx: AnswerCacheContext, decoding: CachedDecoding, prompts: readonly string[], compute: (prompts: string[]) => Promise<string[]> | string[]): Promise<string[]> {
    const d = CachedDecoding.parse({ maxNewTokens: decoding.maxNewTokens, greedy: decoding.greedy });
    const key = answerCacheKey('generate', ctx, { decoding: d, prompts });
    const hit = await this.read(key, GenerateRecord);
    if (hit !== undefined && hit.prompts.every((p, i) => p === prompts[i]) && hit.prompts.length === prompts.length) {
      this.hits++;
      return hit.answers;
    }
    this.misses++;
    const answers = await compute([...prompts]);
    await this.write(key, GenerateRecord.parse({ version: 1, kind: 'generate', key, ...ctx, decoding: d, prompts: [...prompts], answers }));
    return answers;
  }

  /** The base's perplexity on general texts: from the cache, or computed and stored. */
  async perplexity(ctx: AnswerCacheContext, texts: readonly string[], compute: () => Promise<number> | number): Promise<number> {
    const textsSha256 = sha256Hex(JSON.stringify(texts));
    const maxTokens = PERPLEXITY_MAX_TOKENS;
    const key = answerCacheKey('perplexity', ctx, { textsSha256, maxTokens });
    const hit = await this.read(key, PerplexityRecord);
    if (hit !== undefined && hit.textsSha256 === textsSha256 && hit.maxTokens === maxTokens) {
      this.hits++;
      return hit.perplexity;
    }
    this.misses++;
    const value = await compute();
    await this.write(key, PerplexityRecord.parse({ version: 2, kind: 'perplexity', key, ...ctx, textsSha256, maxTokens, texts: texts.length, perplexity: value }));
    return value;
  }

  private async read<S extends z.ZodType<{ key: string }>>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const text = await readFile(this.file(key), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const record = jsonAs(text, schema);
    return record?.key === key ? record : undefined;
  }

  private async write(key: string, record: unknown): Promise<void> {
    // same key ⇒ same inputs: replacing a record another process wrote is harmless and atomic
    await writeFileAtomic(this.file(key), `${JSON.stringify(record)}\n`);
  }
}

/** Greedy answers in batches, each batch through the cache (the batch size is part of what is reproduced). */
export async function cachedBatches(cache: LocalAnswerCache, ctx: AnswerCacheContext, decoding: CachedDecoding, prompts: readonly string[], batchSize: number, compute: (prompts: string[]) => Promise<string[]> | string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < prompts.length; i += batchSize) out.push(...(await cache.answers(ctx, decoding, prompts.slice(i, i + batchSize), compute)));
  return out;
}
