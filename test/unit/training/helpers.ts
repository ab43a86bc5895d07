import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../../../training/backend.js';
import { LlamaModel } from '../../../training/model/llama.js';
import { resolveConfig, tinyHfConfig, type HfLlamaConfig } from '../../../training/model/config.js';
import { initParams } from '../../../training/model/weights.js';

export async function useWasm(): Promise<void> {
  await selectBackend('wasm');
}

const made: string[] = [];
// Registered once per test file that imports this module: the folders its tests made go when the file ends.
afterAll(async () => {
  for (const d of made.splice(0)) await rm(d, { recursive: true, force: true });
});

export async function tmpDir(prefix = 'kgtune-train-'): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

/** A very small random model for layer-level tests. */
export function microModel(overrides: Partial<HfLlamaConfig> = {}, seed = 3): LlamaModel {
  const mc = resolveConfig(tinyHfConfig(50, { hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 64, ...overrides }));
  return new LlamaModel(mc, initParams(mc, seed, 0.2));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * The LoRA and trainer settings these tests were written with (the old per-module defaults). The only
 * defaults now are the pipeline's (training/contract.ts), so tests pass these explicitly to train the same way.
 */
export const TEST_LORA = { alpha: 16, dropout: 0.05 } as const;
export const TEST_TRAINER = { batchSize: 8, learningRate: 2e-4, warmupSteps: 10, evalEvery: 0, keepBestValidation: true, checkpointEvery: 0, seed: 0 } as const;
