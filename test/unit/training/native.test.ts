import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { defaultBackend, selectBackend } from '../../../training/backend.js';
import { nativeAvailable, nativeRoot } from '../../../training/native.js';
import { expectBatchEqualsWasm, expectTrainingEqualsWasm } from './native-equivalence.js';

const built = nativeAvailable();
if (!built) console.log(`native backend tests skipped: @tensorflow/tfjs-node is not built in ${nativeRoot()} (run \`kgtune setup native\`)`);

describe.skipIf(!built)('native backend (tfjs-node built by `kgtune setup native`)', () => {
  afterAll(async () => {
    await selectBackend('wasm');
  });

  it('is the default backend when built, and reports its TensorFlow version', async () => {
    vi.stubEnv('KGTUNE_TRAIN_BACKEND', '');
    expect(defaultBackend()).toBe('tensorflow');
    vi.stubEnv('KGTUNE_TRAIN_BACKEND', 'wasm');
    expect(defaultBackend()).toBe('wasm');
    vi.unstubAllEnvs();
    const info = await selectBackend('tensorflow');
    expect(info.name).toBe('tensorflow');
    expect(info.tensorflow).toMatch(/^2\.\d+\.\d+/);
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('a same-dtype cast shares its input\'s data (no TensorFlow copy); other casts still convert', async () => {
    await selectBackend('tensorflow');
    const x = tf.tensor1d([1.5, -2.25, 3]);
    const before = (tf.memory() as { numDataBuffers: number }).numDataBuffers;
    const same = tf.cast(x, 'float32');
    expect((tf.memory() as { numDataBuffers: number }).numDataBuffers).toBe(before); // the data is shared, not copied
    x.dispose();
    expect(Array.from(same.dataSync())).toEqual([1.5, -2.25, 3]); // and outlives its source
    const ints = tf.cast(same, 'int32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([same, ints]);
  });

  it('a reshape to the same shape shares its input\'s data; other reshapes still reshape', async () => {
    await selectBackend('tensorflow');
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const before = (tf.memory() as { numDataBuffers: number }).numDataBuffers;
    const same = tf.reshape(x, [2, 3]);
    expect((tf.memory() as { numDataBuffers: number }).numDataBuffers).toBe(before);
    x.dispose();
    expect(same.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const other = tf.reshape(same, [3, 2]);
    expect(other.arraySync()).toEqual([[1, 2], [3, 4], [5, 6]]);
    const inferred = tf.reshape(same, [-1]);
    expect(inferred.shape).toEqual([6]);
    tf.dispose([same, other, inferred]);
  });

  it('logits, loss and gradients (LoRA with dropout + base) equal wasm within float tolerance', async () => {
    await expectBatchEqualsWasm('tensorflow');
  });

  it('six full-parameter training steps give the same losses as wasm', async () => {
    await expectTrainingEqualsWasm('tensorflow');
  });
});
