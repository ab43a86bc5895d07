/**
 * Local runtime: a GGUF model run in-process by node-llama-cpp, its output constrained by a grammar
 * built from the reply's JSON schema. node-llama-cpp is imported lazily: nothing loads it unless a
 * pipeline asks for `runtime: local`. The loaded model is kept per path for the worker's life.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type * as NodeLlamaCpp from 'node-llama-cpp';
import { LlmExtractionError } from '../errors.js';
import { LlmCallError } from './llm-client.js';
import type { LlmClient } from './llm-client.js';

export interface LocalClientOptions {
  modelPath: string;
  /** Parallel sequences of the context (chunks decoded at once). */
  concurrency?: number;
  /** Context per sequence: the prompt (ontology + chunk) plus the reply. */
  contextSize?: number;
  /** Reply budget per chunk. */
  maxTokens?: number;
  /**
   * CPU threads of the context. 1: llama.cpp's worker threads spin on barriers, and on a busy 2-core
   * machine (load 12) 2 threads did not finish 30 tokens in 2 minutes while 1 thread answered in ~1 s.
   */
  threads?: number;
}

type Nlc = typeof NodeLlamaCpp;
type LoadedModel = Awaited<ReturnType<Awaited<ReturnType<Nlc['getLlama']>>['loadModel']>>;

interface Loaded { nlc: Nlc; llama: Awaited<ReturnType<Nlc['getLlama']>>; model: LoadedModel; digest: string }
const loaded = new Map<string, Promise<Loaded>>();

/** sha256 of the file's first and last MiB and its size: identifies the weights for the cache without reading 100s of MB. */
function fileDigest(file: string): string {
  const size = fs.statSync(file).size;
  const h = createHash('sha256').update(String(size));
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 1 << 20));
    fs.readSync(fd, buf, 0, buf.length, 0);
    h.update(buf);
    fs.readSync(fd, buf, 0, buf.length, Math.max(0, size - buf.length));
    h.update(buf);
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex').slice(0, 16);
}

async function load(modelPath: string): Promise<Loaded> {
  const abs = path.resolve(modelPath);
  if (!fs.existsSync(abs)) throw new LlmExtractionError(`local LLM model not found: ${abs} (extraction.llm.modelPath must be a .gguf file readable by the CPU workers)`, true);
  let p = loaded.get(abs);
  if (!p) {
    p = (async () => {
      let nlc: Nlc;
      try {
        nlc = await import('node-llama-cpp');
      } catch (e) {
        throw new LlmExtractionError(`node-llama-cpp could not be loaded (${(e as Error).message}); run npm ci`, true);
      }
      const llama = await nlc.getLlama({ gpu: false, build: 'never', logLevel: nlc.LlamaLogLevel.error });
      try {
        const model = await llama.loadModel({ modelPath: abs });
        return { nlc, llama, model, digest: fileDigest(abs) };
      } catch (e) {
        throw new LlmExtractionError(`cannot load the GGUF model ${abs}: ${(e as Error).message}`, true);
      }
    })();
    p.catch(() => loaded.delete(abs));
    loaded.set(abs, p);
  }
  return p;
}

export async function createLocalClient(o: LocalClientOptions): Promise<LlmClient> {
  const m = await load(o.modelPath);
  const sequences = Math.max(1, o.concurrency ?? 1);
  const context = await m.model.createContext({ contextSize: o.contextSize ?? 4096, sequences, threads: o.threads ?? 1 });
  const grammars = new Map<string, Promise<Awaited<ReturnType<typeof m.llama.createGrammarForJsonSchema>>>>();
  return {
    modelId: `gguf:${path.basename(o.modelPath)}:${m.digest}`,
    async complete(messages, opts) {
      const schemaKey = JSON.stringify(opts.jsonSchema ?? {});
      let g = grammars.get(schemaKey);
      if (!g) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema is built by replyJsonSchema and checked by zod on the way out
        g = m.llama.createGrammarForJsonSchema((opts.jsonSchema ?? { type: 'object' }) as any);
        grammars.set(schemaKey, g);
      }
      const grammar = await g;
      const sequence = context.getSequence();
      const session = new m.nlc.LlamaChatSession({ contextSequence: sequence, systemPrompt: messages.find((x) => x.role === 'system')?.content ?? '' });
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs);
      try {
        const user = messages.filter((x) => x.role === 'user').map((x) => x.content).join('\n');
        return await session.prompt(user, { grammar, maxTokens: o.maxTokens ?? 1024, temperature: 0, signal });
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        throw new LlmCallError(`local model failed on a chunk: ${(e as Error).message}`);
      } finally {
        session.dispose({ disposeSequence: false });
        await sequence.dispose();
      }
    },
    async close() {
      await context.dispose();
    },
  };
}
