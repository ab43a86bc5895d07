/**
 * LLM runtimes behind one interface: an OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp
 * server …) over HTTP, or a local GGUF model (llm-local.ts). A call either returns the reply text or
 * throws LlmCallError; `permanent` errors (key refused, unknown model) stop the whole extraction,
 * others are retried per chunk and then counted.
 */
import type { ChatMessage } from './llm-prompt.js';
import { KgtuneError } from '../../configs/pure/errors.js';

export class LlmCallError extends KgtuneError {
  get code(): string { return 'LlmCallError'; }
  get retryable(): boolean { return !this.permanent; }
  constructor(message: string, readonly permanent = false, readonly retryAfterMs?: number) {
    super(message);
  }
}

export interface CompleteOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** JSON schema of the reply, for runtimes that constrain decoding with it. */
  jsonSchema?: object;
}

export interface LlmClient {
  /** Names the model in cache keys (e.g. `openai:qwen2.5-7b`, `gguf:<file sha256>`). */
  readonly modelId: string;
  complete(messages: ChatMessage[], opts: CompleteOptions): Promise<string>;
  close?(): Promise<void>;
}

export interface OpenAiClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8000/v1 (`/chat/completions` is appended). */
  url: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

const PERMANENT_STATUS = new Set([401, 403, 404]);

function retryAfter(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  return Number.isFinite(s) ? Math.min(60_000, Math.max(0, s * 1000)) : undefined;
}

export function createOpenAiClient(o: OpenAiClientOptions): LlmClient {
  const f = o.fetch ?? fetch;
  const endpoint = `${o.url.replace(/\/+$/, '')}/chat/completions`;
  return {
    modelId: `openai:${o.model}`,
    async complete(messages, opts) {
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs);
      let res: Response;
      try {
        res = await f(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) },
          body: JSON.stringify({ model: o.model, messages, temperature: 0, response_format: { type: 'json_object' } }),
          signal,
        });
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        throw new LlmCallError(`LLM endpoint ${endpoint} unreachable: ${(e as Error).message}`);
      }
      if (!res.ok) {
        const detail = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
        const permanent = PERMANENT_STATUS.has(res.status);
        const hint = res.status === 401 || res.status === 403 ? ' (set KGTUNE_LLM_API_KEY on the workers)' : res.status === 404 ? ` (check the url and that model '${o.model}' is served)` : '';
        throw new LlmCallError(`LLM endpoint answered HTTP ${res.status}${hint}: ${detail}`, permanent, retryAfter(res.headers.get('retry-after')));
      }
      const data = (await res.json().catch(() => undefined)) as { choices?: Array<{ message?: { content?: unknown } }> } | undefined;
      const content = data?.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new LlmCallError('LLM endpoint reply has no choices[0].message.content');
      return content;
    },
  };
}
