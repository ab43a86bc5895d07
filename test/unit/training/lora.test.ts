import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adapterVariables, countParams, createAdapter, deltaWeight, mergeAdapter, unmergeAdapter } from '../../../training/lora/adapter.js';
import { LoraConfigSchema, loraScaling } from '../../../training/lora/config.js';
import { loadAdapter, saveAdapter } from '../../../training/lora/peft.js';
import { readSafetensors } from '../../../training/formats/safetensors.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { maxAbsDiff, microModel, TEST_LORA, tmpDir, useWasm } from './helpers.js';

beforeAll(useWasm);

const ids = () => tf.tensor2d([[1, 4, 9, 16]], [1, 4], 'int32');

describe('LoRA', () => {
  it('scaling: alpha/r, or alpha/√r with rsLoRA', () => {
    expect(loraScaling({ rank: 8, alpha: 16, rsLora: false })).toBe(2);
    expect(loraScaling({ rank: 16, alpha: 16, rsLora: true })).toBe(4);
  });

  it('PEFT init: B zero (adapted model equals base), A bounded by 1/√in; counts', () => {
    const m = microModel();
    const cfg = LoraConfigSchema.parse({ ...TEST_LORA, rank: 2, alpha: 4, targets: ['q', 'v'] });
    const ad = createAdapter(m.config, cfg, 1);
    const q = ad.modules.get('model.layers.0.self_attn.q_proj')!;
    expect(q.A.shape).toEqual([16, 2]);
    expect(q.B.shape).toEqual([2, 16]);
    expect(Math.max(...Array.from(q.A.dataSync(), Math.abs))).toBeLessThanOrEqual(1 / 4);
    expect(Array.from(q.B.dataSync()).every((v) => v === 0)).toBe(true);
    // per layer: q 16·2 + 2·16, v 16·2 + 2·8
    expect(countParams(adapterVariables(ad))).toBe(2 * (64 + 48));
    const a = tf.tidy(() => forwardLogits(m, ids()).dataSync());
    const b = tf.tidy(() => forwardLogits(m, ids(), { lora: ad }).dataSync());
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it('delta = B·A·scaling (hand-computed) and merge/unmerge are inverse, merged logits = adapter logits', () => {
    const m = microModel();
    const ad = createAdapter(m.config, LoraConfigSchema.parse({ ...TEST_LORA, rank: 1, alpha: 3, targets: ['q'] }), 2);
    const q = ad.modules.get('model.layers.0.self_attn.q_proj')!;
    q.B.assign(tf.randomNormal([1, 16], 0, 0.5, 'float32', 9));
    const A = q.A.dataSync();
    const B = q.B.dataSync();
    const d = deltaWeight(q, ad.scaling).arraySync(); // kernel layout [in, out]
    expect(d[2]![5]).toBeCloseTo(3 * A[2]! * B[5]!, 6); // PEFT ΔW[out=5][in=2] = s·B[5]·A[2]
    for (const mod of ad.modules.values()) mod.B.assign(tf.randomNormal(mod.B.shape, 0, 0.3, 'float32', 11));
    const w0 = m.p('model.layers.1.self_attn.q_proj.weight').dataSync().slice();
    const adapted = tf.tidy(() => forwardLogits(m, ids(), { lora: ad }).dataSync());
    mergeAdapter(m, ad);
    const merged = tf.tidy(() => forwardLogits(m, ids(), { lora: ad }).dataSync());
    expect(maxAbsDiff(adapted, merged)).toBeLessThan(1e-5);
    unmergeAdapter(m, ad);
    expect(maxAbsDiff(w0, m.p('model.layers.1.self_attn.q_proj.weight').dataSync())).toBeLessThan(1e-6);
  });

  it('saves in PEFT format (keys, [r,in]/[out,r] shapes, adapter_config.json) and loads back the same logits', async () => {
    const m = microModel();
    const ad = createAdapter(m.config, LoraConfigSchema.parse({ ...TEST_LORA, rank: 2, alpha: 8, targets: ['k', 'down'], rsLora: true }), 3);
    for (const mod of ad.modules.values()) mod.B.assign(tf.randomNormal(mod.B.shape, 0, 0.3, 'float32', 5));
    const dir = await tmpDir();
    await saveAdapter(ad, dir, { baseModel: 'tiny', name: 't' });
    const st = await readSafetensors(path.join(dir, 'adapter_model.safetensors'));
    expect(st.tensors.get('base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight')!.shape).toEqual([2, 16]);
    expect(st.tensors.get('base_model.model.model.layers.1.mlp.down_proj.lora_B.weight')!.shape).toEqual([16, 2]);
    const cfg = JSON.parse(await readFile(path.join(dir, 'adapter_config.json'), 'utf8'));
    expect(cfg).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 8, use_rslora: true, target_modules: ['k_proj', 'down_proj'] });
    const back = await loadAdapter(dir, m.config);
    expect(back.scaling).toBe(ad.scaling);
    const a = tf.tidy(() => forwardLogits(m, ids(), { lora: ad }).dataSync());
    const b = tf.tidy(() => forwardLogits(m, ids(), { lora: back }).dataSync());
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it('refuses to save non-finite weights, naming the adapter', async () => {
    const m = microModel();
    const ad = createAdapter(m.config, LoraConfigSchema.parse({ ...TEST_LORA, rank: 1, targets: ['q'] }), 3);
    ad.modules.get('model.layers.1.self_attn.q_proj')!.B.assign(tf.fill([1, 16], NaN));
    await expect(saveAdapter(ad, await tmpDir(), { baseModel: 'tiny', name: 'acme-v3' })).rejects.toThrow(/adapter "acme-v3".*layers\.1\.self_attn\.q_proj\.lora_B/);
  });
});
