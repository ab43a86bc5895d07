/**
 * Exports of base + LoRA adapter for serving: a merged Hugging Face folder (W + B·A·alpha/r folded
 * in; transformers/vLLM load it without PEFT) and a merged GGUF (llama.cpp, Ollama, node-llama-cpp).
 */
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type BackendName, selectBackend } from '../backend.js';
import { disposeAdapter, mergeAdapter } from '../lora/adapter.js';
import { loadAdapter } from '../lora/peft.js';
import { loadModel, saveModel } from '../model/io.js';
import type { LlamaModel } from '../model/llama.js';
import { isLinearName, toHfLayout } from '../model/weights.js';
import { tokenizerMetadata, tokenizerMetadataFromGguf, writeModelGguf } from './gguf-llama.js';

/** Tokenizer and generation files of an HF folder that a merged export carries over unchanged. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'special_tokens_map.json', 'chat_template.jinja'] as const;

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** The base with the adapter folded into its weights (W += s·B·A); the caller disposes it. */
export async function loadMerged(baseDir: string, adapterDir: string): Promise<LlamaModel> {
  const model = await loadModel(baseDir);
  try {
    const adapter = await loadAdapter(adapterDir, model.config);
    try {
      mergeAdapter(model, adapter);
    } finally {
      disposeAdapter(adapter);
    }
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}

/** Merged HF folder: config.json + model.safetensors (F32) + the base's own tokenizer and generation files. */
export async function exportMergedHf(o: { baseDir: string; adapterDir: string; outDir: string; backend?: BackendName }): Promise<{ files: string[] }> {
  await selectBackend(o.backend);
  const model = await loadMerged(o.baseDir, o.adapterDir);
  try {
    await saveModel(model, o.outDir);
  } finally {
    model.dispose();
  }
  const files = ['config.json', 'model.safetensors'];
  for (const f of TOKENIZER_FILES) {
    if (!(await exists(path.join(o.baseDir, f)))) continue;
    await copyFile(path.join(o.baseDir, f), path.join(o.outDir, f));
    files.push(f);
  }
  return { files };
}

const readJson = async (file: string): Promise<unknown> => (await exists(file) ? JSON.parse(await readFile(file, 'utf8')) as unknown : undefined);

/**
 * Merged GGUF (architecture llama, qwen2 or qwen3; F32 or F16), or the base alone when `adapterDir` is not given. `sourceGguf`: the GGUF the base was converted from,
 * whose tokenizer metadata is copied as is; otherwise it is built from tokenizer.json.
 */
export async function exportMergedGguf(o: { baseDir: string; adapterDir?: string; outFile: string; dtype?: 'f32' | 'f16'; name?: string; sourceGguf?: string; backend?: BackendName }): Promise<{ file: string }> {
  await selectBackend(o.backend);
  // without an adapter: the base alone, for llama.cpp to apply a GGUF LoRA adapter on (gguf-lora.ts)
  const model = o.adapterDir ? await loadMerged(o.baseDir, o.adapterDir) : await loadModel(o.baseDir);
  try {
    const c = model.config;
    const tokenizer = o.sourceGguf
      ? await tokenizerMetadataFromGguf(o.sourceGguf, c.vocabSize)
      : tokenizerMetadata(await readJson(path.join(o.baseDir, 'tokenizer.json')), await readJson(path.join(o.baseDir, 'tokenizer_config.json')), c.vocabSize);
    await mkdir(path.dirname(o.outFile), { recursive: true });
    const names = [...model.params.keys()];
    await writeModelGguf(o.outFile, {
      config: c,
      names,
      shapeOf: (n) => {
        const s = model.params.get(n)!.shape;
        return isLinearName(n) ? [s[1]!, s[0]!] : [...s]; // kernel [in, out] → HF [out, in]
      },
      valuesOf: (n) => {
        const t = tf.tidy(() => toHfLayout(n, model.params.get(n)!)); // HF layout [out, in]
        const v = t.dataSync() as Float32Array;
        t.dispose();
        return v;
      },
      tokenizer,
      name: o.name ?? path.basename(o.outFile, '.gguf'),
      dtype: o.dtype ?? 'f16',
    });
    return { file: o.outFile };
  } finally {
    model.dispose();
  }
}
