/**
 * The GPU build (`kgtune setup gpu`: tfjs-node-gpu on the CUDA tensorflow wheel). On a machine without a GPU,
 * TensorFlow runs its CPU kernels, so this checks the build, its loading and its numerics, not the GPU itself.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultBackend, selectBackend } from '../../../training/backend.js';
import { nativeAvailable, nativeRoot } from '../../../training/native.js';
import { expectBatchEqualsWasm, expectTrainingEqualsWasm } from './native-equivalence.js';

const built = nativeAvailable(undefined, 'gpu');
if (!built) console.log(`GPU backend tests skipped: @tensorflow/tfjs-node-gpu is not built in ${nativeRoot(undefined, 'gpu')} (run \`kgtune setup gpu\`)`);

describe.skipIf(!built)('GPU backend (tfjs-node-gpu built by `kgtune setup gpu`), on whatever device TensorFlow finds', () => {
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it('is never the implicit default; loads as tfjs `tensorflow` and reports its TensorFlow version and device use', async () => {
    if (!process.env.KGTUNE_TRAIN_BACKEND) expect(defaultBackend()).not.toBe('tensorflow-gpu');
    const info = await selectBackend('tensorflow-gpu');
    expect(info.name).toBe('tensorflow-gpu');
    expect(info.tensorflow).toBe('2.16.2');
    expect(tf.getBackend()).toBe('tensorflow');
    const usesGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean; isGPUPackage?: boolean });
    expect(usesGpu.isGPUPackage).toBe(true);
    console.log(`GPU backend tests run on ${usesGpu.isUsingGpuDevice ? 'a GPU' : 'the CPU (no GPU here)'}`);
  });

  it('logits, loss and gradients (LoRA with dropout + base) equal wasm within float tolerance', async () => {
    await expectBatchEqualsWasm('tensorflow-gpu');
  });

  it('six full-parameter training steps give the same losses as wasm within 1e-4', async () => {
    await expectTrainingEqualsWasm('tensorflow-gpu');
  });
});
