import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../../training/trainer.js';
import { TrainerConfigSchema } from '../../../training/trainer/config.js';
import type { BatchSource } from '../../../training/trainer/data.js';
import { TEST_TRAINER, useWasm } from './helpers.js';

beforeAll(async () => {
  await useWasm();
});

/** One scalar pulled towards 3 by (w − 3)²; the "validation loss" is best at step 2 and worsens after. */
async function run(loadBestAtEnd: boolean): Promise<{ w: number; steps: number }> {
  const w = tf.variable(tf.scalar(0), true, 'w');
  const source: BatchSource = { batchesPerEpoch: 1, batch: () => ({ inputs: [[0]], targets: [[0]], mask: [[1]], tokens: 1 }) };
  let step = 0;
  const valAt = [5, 1, 2, 3, 4, 6];
  try {
    const r = await runTraining(
      { trainables: new Map([['w', w]]), source, loss: () => tf.tidy(() => tf.square(tf.sub(w, 3)) as tf.Scalar), evaluate: () => valAt[step++]! },
      { config: TrainerConfigSchema.parse({ ...TEST_TRAINER, steps: 6, learningRate: 0.5, warmupSteps: 0, evalEvery: 1, keepBestValidation: loadBestAtEnd }) },
    );
    return { w: (await w.data())[0]!, steps: r.steps };
  } finally {
    w.dispose();
  }
}

describe('best validation weights at the end', () => {
  it('are restored when asked (load_best_model_at_end), the last step\'s kept otherwise', async () => {
    const best = await run(true);
    const last = await run(false);
    expect(best.steps).toBe(6);
    expect(last.steps).toBe(6);
    // w moves towards 3 every step, so the step-2 weights are further from 3 than the step-6 ones
    expect(Math.abs(3 - best.w)).toBeGreaterThan(Math.abs(3 - last.w) + 1e-3);
    expect(last.w).toBeGreaterThan(best.w);
  });
});
