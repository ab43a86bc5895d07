import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { TrainingError } from '../errors.js';
import { disposeAll, readSafetensors, writeSafetensors } from '../formats/safetensors.js';
import type { ModelConfig } from '../model/config.js';
import { assertFinite } from '../model/io.js';
import { type LoraAdapter, type LoraModule, moduleDims } from './adapter.js';
import { LORA_TARGETS, type LoraConfig, type LoraTarget, loraScaling } from './config.js';
import { peftModule } from '../contract.js';

/** PEFT's adapter_config.json (the fields kgtune writes and reads; others pass through). */
const PeftConfigSchema = z.looseObject({
  peft_type: z.literal('LORA'),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  lora_dropout: z.number().default(0),
  target_modules: z.union([z.array(z.string()), z.string()]),
  use_rslora: z.boolean().default(false),
  fan_in_fan_out: z.boolean().default(false),
  bias: z.string().default('none'),
  rank_pattern: z.record(z.string(), z.number()).default({}),
  alpha_pattern: z.record(z.string(), z.number()).default({}),
});

const PREFIX = 'base_model.model.';

/** PEFT key of a LoRA matrix: base_model.model.<module>.lora_A.weight ([r, in]) / lora_B.weight ([out, r]). */
export function peftKey(module: string, which: 'A' | 'B'): string {
  return `${PREFIX}${module}.lora_${which}.weight`;
}

export async function saveAdapter(adapter: LoraAdapter, dir: string, opts: { baseModel: string; name: string; extra?: Record<string, unknown> }): Promise<void> {
  const tensors = new Map<string, tf.Tensor>();
  try {
    for (const m of adapter.modules.values()) {
      tensors.set(peftKey(m.name, 'A'), tf.transpose(m.A)); // [r, in]
      tensors.set(peftKey(m.name, 'B'), tf.transpose(m.B)); // [out, r]
    }
    await assertFinite(tensors, `adapter "${opts.name}"`);
    await mkdir(dir, { recursive: true });
    await writeSafetensors(path.join(dir, 'adapter_model.safetensors'), tensors);
  } finally {
    disposeAll(tensors);
  }
  const c = adapter.config;
  const peft = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: opts.baseModel,
    r: c.rank,
    lora_alpha: c.alpha,
    lora_dropout: c.dropout,
    target_modules: c.targets.map(peftModule),
    use_rslora: c.rsLora,
    fan_in_fan_out: false,
    bias: 'none',
    init_lora_weights: true,
    inference_mode: true,
    modules_to_save: null,
    rank_pattern: {},
    alpha_pattern: {},
    ...opts.extra,
  };
  await writeFile(path.join(dir, 'adapter_config.json'), JSON.stringify(peft, null, 2));
}

/** Load a PEFT LoRA adapter folder (kgtune- or PEFT-written) for a model of config `mc`. */
export async function loadAdapter(dir: string, mc: ModelConfig): Promise<LoraAdapter> {
  const parsed = PeftConfigSchema.safeParse(JSON.parse(await readFile(path.join(dir, 'adapter_config.json'), 'utf8')));
  if (!parsed.success) throw new TrainingError('InvalidCheckpoint', `${dir}/adapter_config.json is not a PEFT LoRA config: ${parsed.error.issues[0]?.message}`);
  const pc = parsed.data;
  if (pc.fan_in_fan_out) throw new TrainingError('InvalidCheckpoint', 'fan_in_fan_out adapters (GPT-2 Conv1D) are not supported');
  if (Object.keys(pc.rank_pattern).length || Object.keys(pc.alpha_pattern).length) throw new TrainingError('InvalidCheckpoint', 'rank_pattern/alpha_pattern adapters are not supported');
  const file = await readSafetensors(path.join(dir, 'adapter_model.safetensors'));
  const modules = new Map<string, LoraModule>();
  const targets = new Set<LoraTarget>();
  try {
    for (const [key, t] of file.tensors) {
      const m = /^base_model\.model\.(.+)\.lora_A(?:\.default)?\.weight$/.exec(key);
      if (!m) continue;
      const name = m[1]!;
      const target = LORA_TARGETS.find((t) => name.endsWith(`.${peftModule(t)}`));
      if (target === undefined) throw new TrainingError('InvalidCheckpoint', `adapter targets unsupported module ${name}`);
      const bT = file.tensors.get(key.replace('lora_A', 'lora_B'));
      if (!bT) throw new TrainingError('InvalidCheckpoint', `adapter has ${key} but no lora_B`);
      const [inDim, outDim] = moduleDims(mc, target);
      if (t.shape.join() !== `${pc.r},${inDim}` || bT.shape.join() !== `${outDim},${pc.r}`) {
        throw new TrainingError('InvalidCheckpoint', `${name}: lora_A [${t.shape}] / lora_B [${bT.shape}] do not fit r=${pc.r}, in=${inDim}, out=${outDim}`);
      }
      targets.add(target);
      const A = tf.tidy(() => tf.transpose(t)); // [in, r]
      const B = tf.tidy(() => tf.transpose(bT)); // [r, out]
      modules.set(name, { name, A: tf.variable(A, true), B: tf.variable(B, true) });
      A.dispose();
      B.dispose();
    }
  } finally {
    disposeAll(file.tensors);
  }
  if (modules.size === 0) throw new TrainingError('InvalidCheckpoint', `${dir}/adapter_model.safetensors holds no lora_A/lora_B weights`);
  const config: LoraConfig = { rank: pc.r, alpha: pc.lora_alpha, dropout: pc.lora_dropout, targets: LORA_TARGETS.filter((t) => targets.has(t)), rsLora: pc.use_rslora };
  return { config, scaling: loraScaling(config), modules, merged: false };
}
