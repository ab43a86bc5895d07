/**
 * Is an exported GGUF the model kgtune trained? Greedy decoding of the same prompt ids with
 * llama.cpp (node-llama-cpp, from the exported file) and with kgtune's own generation
 * (training/generate.ts, base + adapter unmerged), compared token by token.
 */
import path from 'node:path';
import type * as NodeLlamaCpp from 'node-llama-cpp';
import { type GenerationModel, generateIds } from '../generate.js';
import { disposeAdapter } from '../lora/adapter.js';
import { loadAdapter } from '../lora/peft.js';
import { loadModel } from '../model/io.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { TrainingError } from '../errors.js';

export interface GreedyRow {
  prompt: string;
  /** Prompt ids fed to both runtimes (kgtune's: BOS first unless the text starts with it). */
  promptIds: number[];
  /** The prompt text tokenized by kgtune (tokenizer.json) and by llama.cpp (GGUF metadata), without BOS. */
  textIds: number[];
  llamaCppTextIds: number[];
  kgtune: number[];
  llamaCpp: number[];
  /** Index of the first differing generated token; -1 when identical. */
  firstDiff: number;
}

export interface GreedyComparison {
  rows: GreedyRow[];
  /** Generated tokens compared (over all prompts, up to the shorter output) and how many agreed before the first difference. */
  tokens: number;
  agreed: number;
  identical: boolean;
  tokenizationIdentical: boolean;
}

/**
 * Greedy continuation of each prompt's ids by llama.cpp from `ggufFile`; it ends at any token
 * llama.cpp counts as end of generation (returned in `eog`, to cut the other side the same way).
 */
export async function llamaCppGreedy(ggufFile: string, prompts: { text: string; ids: number[] }[], o: { maxNewTokens: number; vocabSize: number; threads?: number; lora?: string }): Promise<{ generated: number[][]; tokenized: number[][]; eog: Set<number> }> {
  let nlc: typeof NodeLlamaCpp;
  try {
    nlc = await import('node-llama-cpp');
  } catch (e) {
    throw new TrainingError('InvalidCheckpoint', `node-llama-cpp could not be loaded (${(e as Error).message}); run npm ci`);
  }
  const llama = await nlc.getLlama({ gpu: false, build: 'never', logLevel: nlc.LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path.resolve(ggufFile) });
  try {
    const longest = Math.max(...prompts.map((p) => p.ids.length)) + o.maxNewTokens + 8;
    const context = await model.createContext({ contextSize: Math.max(64, longest), sequences: 1, threads: o.threads ?? 1, ...(o.lora ? { lora: { adapters: [{ filePath: path.resolve(o.lora) }] } } : {}) });
    try {
      const generated: number[][] = [];
      const tokenized: number[][] = [];
      for (const p of prompts) {
        tokenized.push(model.tokenize(p.text, true).map(Number));
        const seq = context.getSequence();
        try {
          const out: number[] = [];
          if (o.maxNewTokens > 0) {
            for await (const t of seq.evaluate(p.ids as NodeLlamaCpp.Token[], { temperature: 0 })) {
              if (model.isEogToken(t)) break;
              out.push(Number(t));
              if (out.length >= o.maxNewTokens) break;
            }
          }
          generated.push(out);
        } finally {
          await seq.dispose();
        }
      }
      const eog = new Set<number>();
      for (let t = 0; t < o.vocabSize; t++) if (model.isEogToken(t as NodeLlamaCpp.Token)) eog.add(t);
      return { generated, tokenized, eog };
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}

/** Greedy outputs of kgtune (base + adapter) and llama.cpp (the exported GGUF, or a base GGUF + `loraFile`) on the same prompt ids. */
export async function compareGreedy(o: { baseDir: string; adapterDir: string; ggufFile: string; loraFile?: string; prompts: string[]; maxNewTokens: number }): Promise<GreedyComparison> {
  const model = await loadModel(o.baseDir);
  const tokenizer = await Tokenizer.load(path.join(o.baseDir, 'tokenizer.json'));
  const adapter = await loadAdapter(o.adapterDir, model.config);
  let ours: { prompts: number[][]; generated: number[][] };
  try {
    const gm: GenerationModel = { model, tokenizer, adapter };
    // one prompt at a time: no left padding, so both runtimes see exactly the same positions
    const each = o.prompts.map((p) => generateIds(gm, [p], { maxNewTokens: o.maxNewTokens, greedy: true }));
    ours = { prompts: each.map((e) => e.prompts[0]!), generated: each.map((e) => e.generated[0]!) };
  } finally {
    disposeAdapter(adapter);
    model.dispose();
  }
  const theirs = await llamaCppGreedy(o.ggufFile, o.prompts.map((text, i) => ({ text, ids: ours.prompts[i]! })), { maxNewTokens: o.maxNewTokens, vocabSize: model.config.vocabSize, lora: o.loraFile });
  let tokens = 0;
  let agreed = 0;
  const rows = o.prompts.map((prompt, i) => {
    // kgtune stops at eos only; cut it where llama.cpp ends generation (e.g. <|endoftext|> as well as <|im_end|>)
    const cut = ours.generated[i]!.findIndex((t) => theirs.eog.has(t));
    const a = cut < 0 ? ours.generated[i]! : ours.generated[i]!.slice(0, cut);
    const b = theirs.generated[i]!;
    let firstDiff = -1;
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      if (a[k] !== b[k]) {
        firstDiff = k;
        break;
      }
    }
    tokens += Math.min(a.length, b.length);
    agreed += firstDiff < 0 ? Math.min(a.length, b.length) : firstDiff;
    return { prompt, promptIds: ours.prompts[i]!, textIds: tokenizer.encode(prompt), llamaCppTextIds: theirs.tokenized[i]!, kgtune: a, llamaCpp: b, firstDiff };
  });
  return {
    rows,
    tokens,
    agreed,
    identical: rows.every((r) => r.firstDiff < 0),
    tokenizationIdentical: rows.every((r) => r.textIds.join() === r.llamaCppTextIds.join()),
  };
}
