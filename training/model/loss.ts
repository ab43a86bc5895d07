import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../trainer/data.js';
import { type ForwardOptions, type LlamaModel, forwardLogits } from './llama.js';

/**
 * Per-row next-token negative log-likelihood −log softmax(logits)[target], fused: the forward pass is a
 * log-sum-exp and a gather of the target logits (no [N, V] log-probabilities or one-hot matrix), and the gradient
 * is written out as softmax − one-hot, so the backward pass makes ~4 passes over the [N, V] logits instead of
 * autodiff's ~10 through logSoftmax and a one-hot product (vocab 49,152: 25 MB per pass at 128 tokens). The
 * one-hot in the gradient also keeps gather's own gradient (UnsortedSegmentSum, missing on wasm) out of the tape.
 * logits [N, V], targets [N] (int32) → [N].
 */
function targetNll(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Tensor1D {
  const [N, V] = logits.shape;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const lse = tf.logSumExp(x, -1, true); // [N, 1]
    const rows = tf.tensor1d(Int32Array.from({ length: N }, (_, i) => i * V), 'int32'); // [N]: offset of each row in the flattened logits
    const picked = tf.gather(tf.reshape(x, [-1]), tf.add(rows, tf.cast(tf.clipByValue(targets, 0, V - 1), 'int32'))); // [N]
    save([x, lse, targets]);
    return {
      value: tf.sub(tf.reshape(lse, [N]), picked) as tf.Tensor1D, // [N]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, slse, st] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const softmax = tf.exp(tf.sub(sx, slse)); // [N, V]
        return tf.mul(tf.sub(softmax, tf.oneHot(st, V)), tf.reshape(dy, [N, 1])); // [N, V]
      },
    };
  });
  return f(logits) as tf.Tensor1D;
}

/** Mean next-token cross-entropy over masked positions. logits [N, V], targets [N], mask [N] → scalar. */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const nll = targetNll(logits, targets); // [N]
    return tf.div(tf.sum(tf.mul(nll, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}

export function batchLoss(model: LlamaModel, b: Batch, opts: ForwardOptions): tf.Scalar {
  return tf.tidy(() => {
    const B = b.inputs.length;
    const T = b.inputs[0]!.length;
    const ids = tf.tensor2d(b.inputs.flat(), [B, T], 'int32'); // [B, T]
    const logits = tf.reshape(forwardLogits(model, ids, opts), [B * T, model.config.vocabSize]) as tf.Tensor2D; // [B·T, V]
    const targets = tf.tensor1d(b.targets.flat(), 'int32'); // [B·T]
    const mask = tf.tensor1d(b.mask.flat(), 'float32'); // [B·T]
    return maskedCrossEntropy(logits, targets, mask);
  });
}
