import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { TrainingError } from '../errors.js';
import { disposeAll, readSafetensors, writeSafetensors } from '../formats/safetensors.js';
import { type HfLlamaConfig, resolveConfig } from './config.js';
import { LlamaModel } from './llama.js';
import { paramsFromHf, toHfLayout } from './weights.js';

/** Load an HF model folder: config.json + model.safetensors (or sharded model-*.safetensors). */
export async function loadModel(dir: string): Promise<LlamaModel> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'));
  } catch (err) {
    throw new TrainingError('InvalidModelConfig', `cannot read ${path.join(dir, 'config.json')}: ${(err as Error).message}`);
  }
  const config = resolveConfig(raw);
  const files: string[] = [];
  try {
    const index = JSON.parse(await readFile(path.join(dir, 'model.safetensors.index.json'), 'utf8')) as { weight_map: Record<string, string> };
    files.push(...new Set(Object.values(index.weight_map)));
  } catch {
    files.push('model.safetensors');
  }
  const all = new Map<string, tf.Tensor>();
  try {
    for (const f of files) for (const [n, t] of (await readSafetensors(path.join(dir, f))).tensors) all.set(n, t);
    // tied models saved by transformers sometimes also carry lm_head.weight; ignore it then
    return new LlamaModel(config, paramsFromHf(config, all));
  } finally {
    disposeAll(all);
  }
}

/** Save as an HF folder: config.json + model.safetensors (F32, [out, in] linear weights). */
export async function saveModel(model: LlamaModel, dir: string, hfOverrides: Partial<HfLlamaConfig> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const out = new Map<string, tf.Tensor>();
  try {
    for (const [n, v] of model.params) out.set(n, toHfLayout(n, v));
    await assertFinite(out, `model ${dir}`);
    await writeSafetensors(path.join(dir, 'model.safetensors'), out);
  } finally {
    disposeAll(out);
  }
  const hf = { ...model.config.hf, ...hfOverrides, torch_dtype: 'float32' };
  await writeFile(path.join(dir, 'config.json'), JSON.stringify(hf, null, 2));
}

/** Fail loudly, naming what is being saved and the first bad tensor, if any value is NaN/Inf. */
export async function assertFinite(tensors: Map<string, tf.Tensor>, what: string): Promise<void> {
  for (const [n, t] of tensors) {
    const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(t))));
    const isBad = (await bad.data())[0] === 1;
    bad.dispose();
    if (isBad) throw new TrainingError('NonFiniteWeights', `refusing to save ${what}: tensor "${n}" holds NaN or Inf`);
  }
}
