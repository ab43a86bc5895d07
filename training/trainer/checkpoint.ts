import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { TrainingError } from '../errors.js';
import { disposeAll, readSafetensors, writeSafetensors } from '../formats/safetensors.js';

export const TrainerStateSchema = z.object({
  step: z.number().int().nonnegative(),
  adamT: z.number().int().nonnegative(),
  /** Micro-batches consumed: the data position (batches are a pure function of seed and index). */
  dataPosition: z.number().int().nonnegative(),
  losses: z.array(z.object({ step: z.number().int(), train: z.number(), val: z.number().optional() })),
  bestVal: z.number().nullable(),
  evalsWithoutImprovement: z.number().int().nonnegative(),
  config: z.record(z.string(), z.unknown()),
});
export type TrainerState = z.infer<typeof TrainerStateSchema>;

export const STATE_FILE = 'trainer_state.json';
export const PARAMS_FILE = 'trainable.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';

export async function saveCheckpoint(dir: string, state: TrainerState, params: Map<string, tf.Tensor>, optimizer: Map<string, tf.Tensor>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeSafetensors(path.join(dir, PARAMS_FILE), params);
  await writeSafetensors(path.join(dir, OPTIMIZER_FILE), optimizer);
  // the state file last: its presence marks a complete checkpoint
  await writeFile(path.join(dir, STATE_FILE), JSON.stringify(state, null, 1));
}

export interface LoadedCheckpoint {
  state: TrainerState;
  params: Map<string, tf.Tensor>;
  optimizer: Map<string, tf.Tensor>;
  dispose(): void;
}

export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, STATE_FILE), 'utf8'));
  } catch (err) {
    throw new TrainingError('InvalidCheckpoint', `no readable ${STATE_FILE} in ${dir}: ${(err as Error).message}`);
  }
  const state = TrainerStateSchema.parse(raw);
  const params = (await readSafetensors(path.join(dir, PARAMS_FILE))).tensors;
  const optimizer = (await readSafetensors(path.join(dir, OPTIMIZER_FILE))).tensors;
  return { state, params, optimizer, dispose: () => (disposeAll(params), disposeAll(optimizer)) };
}
