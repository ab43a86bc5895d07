/**
 * LLM extractor behind the Extractor interface. Per chunk (not a duplicate): cache lookup (chunk
 * text hash + model + prompt version), else one call through the concurrency and rate limits, with
 * up to `maxRetries` further attempts on a failed call or an invalid reply; a chunk that still fails
 * is counted, never failing the batch (only a permanent endpoint error — key refused, model unknown —
 * stops it). Every triple is grounded (llm-ground.ts) or dropped and counted by reason; the pack's
 * relation allow-list applies. Results are assembled in chunk order, so concurrency does not change them.
 */
import type { ChunkRecord } from '../../ingest/index.js';
import { LlmExtractionError } from '../errors.js';
import { sha256Hex } from '../internal/ids.js';
import { nameKey } from '../internal/normalize.js';
import { Resolver } from '../resolve/index.js';
import { compilePack } from './internal/compile.js';
import { sentencesOf } from './internal/sentences.js';
import { cacheKey, LlmCache } from './llm-cache.js';
import { createOpenAiClient, LlmCallError } from './llm-client.js';
import type { LlmClient } from './llm-client.js';
import { groundTriple } from './llm-ground.js';
import type { LlmStats } from '../contract.js';
import { mapPool, RateLimiter, realClock } from './llm-limit.js';
import type { Clock } from './llm-limit.js';
import { buildPrompt, parseReply, PROMPT_VERSION, systemPrompt } from './llm-prompt.js';
import { replyJsonSchema } from './llm-schema.js';
import type { LlmTriple } from './llm-schema.js';
import { assembleFacts } from './offline.js';
import { canonicalLiteral } from './relations.js';
import type { ExtractInput, ExtractResult, Extractor, RawFact } from './types.js';

export { buildPrompt, parseReply, PROMPT_VERSION } from './llm-prompt.js';
export type { ChatMessage } from './llm-prompt.js';
export { LlmReply, LlmTriple } from './llm-schema.js';

export type { LlmStats } from '../contract.js';

export function emptyLlmStats(): LlmStats {
  return {
    chunks: 0, cached: 0, calls: 0, retries: 0, failedChunks: 0, triples: 0, grounded: 0,
    dropped: { unknownPredicate: 0, noEvidence: 0, evidenceNotInChunk: 0, subjectNotInChunk: 0, objectNotInChunk: 0, notInEvidence: 0 },
  };
}

export interface LlmOptions {
  /** A runtime; or `url` + `model` for an OpenAI-compatible endpoint. */
  client?: LlmClient;
  url?: string;
  model?: string;
  apiKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  concurrency?: number;
  requestsPerMinute?: number;
  maxRetries?: number;
  /** First back-off after a failed attempt, doubled per attempt (capped at 30 s); a Retry-After header wins. */
  retryDelayMs?: number;
  /** Reply cache folder (KGTUNE_HOME/cache/llm-extract); none → no cache. */
  cacheDir?: string;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called after each chunk (for heartbeats). */
  onProgress?: (done: number, total: number, stats: LlmStats) => void;
}

interface ChunkOutcome { triples?: LlmTriple[] }

function clientOf(opts: LlmOptions): LlmClient {
  if (opts.client) return opts.client;
  if (!opts.url || !opts.model) throw new LlmExtractionError('LLM extractor: give url and model (or a client)', true);
  return createOpenAiClient({ url: opts.url, model: opts.model, apiKey: opts.apiKey, fetch: opts.fetch });
}

export function createLlmExtractor(opts: LlmOptions): Extractor {
  const client = clientOf(opts);
  const clock = opts.clock ?? realClock;
  const limiter = new RateLimiter(opts.requestsPerMinute ?? 120, clock);
  const cache = opts.cacheDir ? new LlmCache(opts.cacheDir) : undefined;
  const maxRetries = opts.maxRetries ?? 2;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const baseDelay = opts.retryDelayMs ?? 1000;

  return {
    name: 'llm',
    async extract(input: ExtractInput): Promise<ExtractResult> {
      const cp = compilePack(input.pack);
      const stats = emptyLlmStats();
      const relations = input.pack.relationTypes.filter((r) => r.name !== 'RELATED_TO');
      const entityTypes = input.pack.entityTypes.map((t) => t.name);
      const objectTypes = [...new Set([...entityTypes, ...relations.flatMap((r) => r.objectTypes)])];
      const jsonSchema = replyJsonSchema(entityTypes, objectTypes, relations.map((r) => r.name));
      const promptVersion = `${PROMPT_VERSION}:${sha256Hex(systemPrompt(input.pack)).slice(0, 16)}`;
      const chunks = input.chunks.filter((c) => !c.duplicateOf);
      let done = 0;

      const ask = async (chunk: ChunkRecord): Promise<ChunkOutcome> => {
        const key = cacheKey(chunk.text, client.modelId, promptVersion);
        const hit = await cache?.get(key);
        if (hit) { stats.cached++; return { triples: hit }; }
        for (let attempt = 0; attempt <= maxRetries; attempt++) {
          if (attempt > 0) stats.retries++;
          let wait = 0;
          try {
            await limiter.acquire(opts.signal);
            stats.calls++;
            const triples = parseReply(await client.complete(buildPrompt(chunk, input.pack), { signal: opts.signal, timeoutMs, jsonSchema }));
            if (triples) {
              await cache?.put(key, { model: client.modelId, prompt: promptVersion, triples });
              return { triples };
            }
          } catch (e) {
            if (opts.signal?.aborted) throw e;
            if (e instanceof LlmCallError && e.permanent) throw new LlmExtractionError(e.message, true);
            if (!(e instanceof LlmCallError)) throw e;
            wait = e.retryAfterMs ?? 0;
          }
          if (attempt < maxRetries) await clock.sleep(Math.max(wait, Math.min(30_000, baseDelay * 2 ** attempt)), opts.signal);
        }
        stats.failedChunks++;
        return {};
      };

      const outcomes = await mapPool(chunks, opts.concurrency ?? 2, async (chunk) => {
        const r = await ask(chunk);
        stats.chunks++;
        opts.onProgress?.(++done, chunks.length, stats);
        return r;
      });

      const resolver = new Resolver(input.tenant);
      for (const e of input.known ?? []) resolver.seed(e);
      const raws: RawFact[] = [];
      chunks.forEach((chunk, i) => {
        const triples = outcomes[i]!.triples ?? [];
        if (!triples.length) return;
        const sentences = sentencesOf(chunk);
        const chunkKey = nameKey(chunk.text);
        for (const t of triples) {
          stats.triples++;
          const rel = cp.relationByName.get(t.predicate);
          if (!rel || t.predicate === 'RELATED_TO') { stats.dropped.unknownPredicate++; continue; }
          const g = groundTriple(t, sentences, chunkKey);
          if (!g.ok) { stats.dropped[g.reason]++; continue; }
          stats.grounded++;
          const literal = rel.objectTypes.every((ty) => cp.literalPatterns.has(ty) || ty === 'Text');
          const subjectType = rel.subjectTypes.includes(t.subjectType) ? t.subjectType : rel.subjectTypes[0]!;
          const objectType = rel.objectTypes.includes(t.objectType) ? t.objectType : rel.objectTypes[0]!;
          resolver.observe(t.subject, subjectType, 1, chunk.id);
          if (!literal) resolver.observe(t.object, objectType, 1, chunk.id);
          raws.push({
            subject: { text: t.subject, type: subjectType }, predicate: rel.name,
            object: { text: literal ? canonicalLiteral(t.object, objectType) : t.object, type: objectType, literal },
            sentence: g.sentence, confidence: 0.7, via: 'llm',
          });
        }
      });
      const facts = assembleFacts(input.tenant, raws, resolver);
      const used = new Set(facts.flatMap((f) => [f.subjectId, f.objectId ?? '']));
      return {
        entities: resolver.entities().filter((e) => used.has(e.id)),
        facts,
        stats: {
          sentences: 0, patternFacts: 0, attributeFacts: 0, tableFacts: 0, cooccurrenceFacts: 0, merges: 0,
          llmDropped: stats.failedChunks, llmCalls: stats.calls, llm: stats,
        },
      };
    },
  };
}
