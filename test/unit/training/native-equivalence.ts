/** The native backends' equivalence checks against wasm (native.test.ts, native-gpu.test.ts): one batch and a few steps. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { type BackendName, selectBackend } from '../../../training/backend.js';
import { adapterVariables, createAdapter, disposeAdapter } from '../../../training/lora/adapter.js';
import { LoraConfigSchema } from '../../../training/lora/config.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { batchLoss } from '../../../training/model/loss.js';
import { runTraining } from '../../../training/trainer.js';
import { TrainerConfigSchema } from '../../../training/trainer/config.js';
import { type Batch, packedSource } from '../../../training/trainer/data.js';
import { maxAbsDiff, microModel, TEST_TRAINER } from './helpers.js';

const BATCH: Batch = {
  inputs: [[3, 9, 14, 20, 7, 31, 44, 5], [11, 2, 8, 40, 22, 17, 6, 30]],
  targets: [[9, 14, 20, 7, 31, 44, 5, 12], [2, 8, 40, 22, 17, 6, 30, 19]],
  mask: [[0, 0, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 0]],
  tokens: 14,
};

/** Logits, LoRA loss and LoRA + base gradients of one batch on `backend`, as plain arrays. */
export async function oneBatch(backend: BackendName): Promise<{ logits: Float32Array; loss: number; grads: Float32Array[] }> {
  await selectBackend(backend);
  const m = microModel({}, 11);
  const adapter = createAdapter(m.config, LoraConfigSchema.parse({ rank: 4, alpha: 8, dropout: 0.1 }), 2);
  // B starts at zero (PEFT init): give it values so the LoRA path contributes to logits and gradients.
  for (const v of adapterVariables(adapter)) v.assign(tf.tidy(() => tf.add(v, tf.randomUniform(v.shape, -0.2, 0.2, 'float32', 5))));
  const logits = tf.tidy(() => forwardLogits(m, tf.tensor2d(BATCH.inputs.flat(), [2, 8], 'int32'), { lora: adapter }));
  const vars = [...adapterVariables(adapter), ...m.params.values()];
  const { value, grads } = tf.variableGrads(() => batchLoss(m, BATCH, { lora: adapter, trainBase: true, dropoutSeed: 7 }), vars);
  const out = { logits: logits.dataSync() as Float32Array, loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync() as Float32Array) };
  tf.dispose([logits, value, ...Object.values(grads)]);
  disposeAdapter(adapter);
  m.dispose();
  return out;
}

export async function trainLosses(backend: BackendName): Promise<number[]> {
  await selectBackend(backend);
  const m = microModel({}, 5);
  const docs = Array.from({ length: 20 }, (_, i) => Array.from({ length: 30 }, (_, j) => ((i * 7 + j * 3) % 45) + 3));
  const r = await runTraining(
    { trainables: m.params, source: packedSource(docs, 16, 2, 2, 0), loss: (b) => batchLoss(m, b, { trainBase: true }), afterUpdate: () => m.invalidateCaches() },
    { config: TrainerConfigSchema.parse({ ...TEST_TRAINER, steps: 6, batchSize: 2, seqLen: 16, learningRate: 1e-2, warmupSteps: 1 }) },
  );
  m.dispose();
  return r.losses.map((l) => l.train);
}

/** Logits, loss and LoRA + base gradients of `backend` equal wasm's within float tolerance. */
export async function expectBatchEqualsWasm(backend: BackendName): Promise<void> {
  const w = await oneBatch('wasm');
  const n = await oneBatch(backend);
  expect(maxAbsDiff(n.logits, w.logits)).toBeLessThan(1e-4);
  expect(Math.abs(n.loss - w.loss)).toBeLessThan(1e-5);
  expect(n.grads.length).toBe(w.grads.length);
  for (let i = 0; i < w.grads.length; i++) {
    const scale = Math.max(1e-3, ...Array.from(w.grads[i]!, Math.abs));
    expect(maxAbsDiff(n.grads[i]!, w.grads[i]!) / scale).toBeLessThan(1e-4);
  }
}

/** Six full-parameter training steps on `backend` give wasm's losses within 1e-4. */
export async function expectTrainingEqualsWasm(backend: BackendName): Promise<void> {
  const w = await trainLosses('wasm');
  const n = await trainLosses(backend);
  expect(n.length).toBe(6);
  for (let i = 0; i < 6; i++) expect(Math.abs(n[i]! - w[i]!)).toBeLessThan(1e-4);
  expect(n[5]!).toBeLessThan(n[0]!);
}
