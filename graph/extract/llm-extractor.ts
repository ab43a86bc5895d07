/** Builds the LLM extractor a pipeline's `extraction.llm` asks for (worker side: the API key comes from the environment). */
import path from 'node:path';
import type { LlmExtractionOptions } from '../contract.js';
import { createLlmExtractor } from './llm.js';
import type { LlmStats } from './llm.js';
import { createLocalClient } from './llm-local.js';
import type { Extractor } from './types.js';

export interface LlmExtractorDeps {
  /** KGTUNE_HOME: the reply cache lives in its cache/llm-extract. */
  home: string;
  /** KGTUNE_LLM_API_KEY of the worker, sent as a bearer token to an OpenAI-compatible endpoint. */
  apiKey?: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, stats: LlmStats) => void;
}

export async function llmExtractorFor(o: LlmExtractionOptions, deps: LlmExtractorDeps): Promise<{ extractor: Extractor; close(): Promise<void> }> {
  const client = o.runtime === 'local'
    ? await createLocalClient({ modelPath: o.modelPath!, concurrency: o.concurrency })
    : undefined;
  const extractor = createLlmExtractor({
    ...(client ? { client } : { url: o.url, model: o.model, apiKey: deps.apiKey }),
    concurrency: o.concurrency, requestsPerMinute: o.requestsPerMinute, maxRetries: o.maxRetries, timeoutMs: o.timeoutMs,
    cacheDir: path.join(deps.home, 'cache', 'llm-extract'), signal: deps.signal, onProgress: deps.onProgress,
  });
  return { extractor, close: async () => { await client?.close?.(); } };
}
