/**
 * The graph stage's contract: zod only, pure (no Node, no driver), so workflows may import it. The
 * `extraction` option of the pipeline input (which extractor builds the graph), the graph activities'
 * payloads, and the LLM extraction statistics they report.
 *
 * The API key of an LLM endpoint never travels in the input (it would be stored in the workflow
 * history): workers read it from KGTUNE_LLM_API_KEY.
 */
import { z } from 'zod';

// ── Options ──────────────────────────────────────────────────────────────────────────────────────

export const LlmExtractionOptions = z.object({
  /** `openai`: an OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp server); `local`: a GGUF file run in-process. Default: `local` when modelPath is set, else `openai`. */
  runtime: z.enum(['openai', 'local']).optional(),
  /** Base URL of the endpoint, e.g. http://127.0.0.1:8000/v1 (openai runtime). */
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8000/v1' }).optional(),
  /** Model name the endpoint serves (openai runtime). */
  model: z.string().min(1).max(200).optional(),
  /** GGUF file readable by the CPU workers (local runtime). */
  modelPath: z.string().min(1).optional(),
  /** Chunks in flight at once. 2: a local model on a 2-core worker gains nothing from more. */
  concurrency: z.number().int().min(1).max(64).default(2),
  /** Requests started in any 60 s window (retries included); what a shared endpoint usually allows. */
  requestsPerMinute: z.number().int().min(1).max(100_000).default(120),
  /** Further attempts per chunk after a failed request or an invalid reply; then the chunk is counted as failed. */
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** Per request. A 135M local model answers a chunk in seconds; a large remote one may take a minute. */
  timeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
}).superRefine((o, ctx) => {
  const runtime = o.runtime ?? (o.modelPath ? 'local' : 'openai');
  if (runtime === 'openai' && (!o.url || !o.model)) {
    ctx.addIssue({ code: 'custom', message: 'the openai runtime needs url and model (or give modelPath for a local GGUF model)' });
  }
  if (runtime === 'local' && !o.modelPath) ctx.addIssue({ code: 'custom', path: ['modelPath'], message: 'the local runtime needs modelPath (a .gguf file)' });
}).transform((o) => ({ ...o, runtime: o.runtime ?? (o.modelPath ? 'local' as const : 'openai' as const) }));
export type LlmExtractionOptions = z.infer<typeof LlmExtractionOptions>;

export const ExtractionOptions = z.object({
  /** `offline` (default, no model), `llm` (only grounded LLM facts), `both` (offline ∪ grounded LLM facts, deduped by fact id). */
  mode: z.enum(['offline', 'llm', 'both']).default('offline'),
  llm: LlmExtractionOptions.optional(),
}).superRefine((o, ctx) => {
  if (o.mode !== 'offline' && !o.llm) ctx.addIssue({ code: 'custom', path: ['llm'], message: `mode '${o.mode}' needs llm: { url, model } or llm: { modelPath }` });
});
export type ExtractionOptions = z.infer<typeof ExtractionOptions>;
export type ExtractionOptionsRaw = z.input<typeof ExtractionOptions>;

// ── Activity payloads ────────────────────────────────────────────────────────────────────────────

/** Why a grounded-extraction triple was dropped (graph/extract/llm-ground.ts). */
export const DROP_REASONS = ['unknownPredicate', 'noEvidence', 'evidenceNotInChunk', 'subjectNotInChunk', 'objectNotInChunk', 'notInEvidence'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export const LlmStats = z.object({
  /** Chunks sent to the model or answered from the cache. */
  chunks: z.number().int(),
  cached: z.number().int(),
  /** Requests made (retries included). */
  calls: z.number().int(),
  retries: z.number().int(),
  /** Chunks without a valid reply after every attempt. */
  failedChunks: z.number().int(),
  triples: z.number().int(),
  grounded: z.number().int(),
  dropped: z.record(z.enum(DROP_REASONS), z.number().int()),
});
export type LlmStats = z.infer<typeof LlmStats>;

export const TenantCorpus = z.object({ tenant: z.string(), corpus: z.string() });
export type TenantCorpus = z.infer<typeof TenantCorpus>;

export const CountChunksResult = z.object({ chunks: z.number().int() });
export type CountChunksResult = z.infer<typeof CountChunksResult>;

/** Chunks [skip, skip+limit) of the corpus; `extraction` absent: offline (histories recorded before the option). */
export const ExtractBatchInput = TenantCorpus.extend({
  industry: z.string(), skip: z.number().int().nonnegative(), limit: z.number().int().positive(),
  extraction: z.custom<ExtractionOptionsRaw>().optional(),
});
export type ExtractBatchInput = z.infer<typeof ExtractBatchInput>;
export const ExtractBatchResult = z.object({ entities: z.number().int(), facts: z.number().int(), llm: LlmStats.optional() });
export type ExtractBatchResult = z.infer<typeof ExtractBatchResult>;

export const CreateSnapshotResult = z.object({ snapshotId: z.string(), facts: z.number().int(), entities: z.number().int() });
export type CreateSnapshotResult = z.infer<typeof CreateSnapshotResult>;
