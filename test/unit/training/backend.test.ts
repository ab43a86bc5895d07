import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../training/backend.js';
import { parseFortunes } from '../../../training/base-text.js';
import { nativeAvailable } from '../../../training/native.js';

describe('backend selection', () => {
  it('wasm loads offline with SIMD and has the gather gradient kernel', async () => {
    const info = await selectBackend('wasm');
    expect(info).toEqual({ name: 'wasm', simd: true });
    expect(tf.getBackend()).toBe('wasm');
    const e = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    const g = tf.variableGrads(() => tf.sum(tf.gather(e, tf.tensor1d([2, 0, 2], 'int32'))) as tf.Scalar, [e]).grads[e.name]!;
    expect(g.arraySync()).toEqual([[1, 1], [0, 0], [2, 2]]);
  });

  // With the native build present, native.test.ts covers the `tensorflow` backend instead.
  it.skipIf(nativeAvailable())('tensorflow (tfjs-node) absent: a typed, explanatory error naming the setup command', async () => {
    await expect(selectBackend('tensorflow')).rejects.toMatchObject({ type: 'BackendUnavailable', message: expect.stringMatching(/@tensorflow\/tfjs-node.*kgtune setup native/) });
    await selectBackend('wasm');
  });
});

describe('base text parsing', () => {
  it('splits fortune entries and drops terminal colour codes', () => {
    const esc = String.fromCharCode(27);
    const raw = `要有礼貌\n\n请保持礼貌。\n\n${esc}[33m    -- Debian ${esc}[32m《行为准则》${esc}[m\n%\nshort\n%\nA riddle: what has keys but no locks?\n`;
    expect(parseFortunes(raw)).toEqual(['要有礼貌\n\n请保持礼貌。\n\n-- Debian 《行为准则》', 'A riddle: what has keys but no locks?']);
  });
});
