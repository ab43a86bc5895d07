import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createAdapter, disposeAdapter } from '../../../training/lora/adapter.js';
import { LoraConfigSchema } from '../../../training/lora/config.js';
import { saveAdapter } from '../../../training/lora/peft.js';
import { type HfLlamaConfig, resolveConfig, tinyHfConfig } from '../../../training/model/config.js';
import { saveModel } from '../../../training/model/io.js';
import { LlamaModel } from '../../../training/model/llama.js';
import { initParams } from '../../../training/model/weights.js';

export const SMOL_STYLE = path.resolve(import.meta.dirname, '../../fixtures/tokenizer/smollm2-style');
export const BUILTIN_TOK = path.resolve(import.meta.dirname, '../../fixtures/tokenizer/builtin');

/**
 * A tiny random llama in the shape llama.cpp runs (byte-level BPE tokenizer of the SmolLM2 kind,
 * GQA, tied embeddings) and a LoRA adapter whose B is random, so the adapter changes the outputs.
 * Weights with std 0.2 give peaked logits: greedy decoding has no near-ties for float noise to flip.
 */
export async function tinyBaseAndAdapter(dir: string, o: { tokenizerDir?: string; config?: Partial<HfLlamaConfig>; seed?: number } = {}): Promise<{ baseDir: string; adapterDir: string }> {
  const baseDir = path.join(dir, 'base');
  const adapterDir = path.join(dir, 'adapter');
  const tokDir = o.tokenizerDir ?? SMOL_STYLE;
  const tokCfg = JSON.parse(await import('node:fs/promises').then((f) => f.readFile(path.join(tokDir, 'tokenizer.json'), 'utf8'))) as { model: { vocab: Record<string, number> }; added_tokens: { id: number }[] };
  const vocab = [...Object.values(tokCfg.model.vocab), ...tokCfg.added_tokens.map((a) => a.id)].reduce((a, b) => Math.max(a, b), 0) + 1; // no spread: real vocabularies exceed the call-stack limit
  const mc = resolveConfig(tinyHfConfig(vocab, { hidden_size: 64, intermediate_size: 96, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 128, rms_norm_eps: 1e-5, bos_token_id: 1, eos_token_id: 2, pad_token_id: 2, ...o.config }));
  const model = new LlamaModel(mc, initParams(mc, o.seed ?? 5, 0.2, 0.5));
  const adapter = createAdapter(mc, LoraConfigSchema.parse({ rank: 4, alpha: 8, dropout: 0 }), 11);
  try {
    let k = 0;
    for (const m of adapter.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.3, 'float32', 100 + k++));
    await saveModel(model, baseDir);
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) await copyFile(path.join(tokDir, f), path.join(baseDir, f));
    await saveAdapter(adapter, adapterDir, { baseModel: baseDir, name: 'test' });
  } finally {
    disposeAdapter(adapter);
    model.dispose();
  }
  return { baseDir, adapterDir };
}
