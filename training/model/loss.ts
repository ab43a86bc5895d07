import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../trainer/data.js';
import { type ForwardOptions, type LlamaModel, forwardLogits } from './llama.js';

/**
 * Mean next-token cross-entropy over masked positions. The target log-probability is picked with a
 * one-hot product rather than gather (gather's gradient is UnsortedSegmentSum, slow or missing on wasm).
 */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const V = logits.shape[1];
    const logp = tf.logSoftmax(logits, -1); // [N, V]
    const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(targets, V)), -1)); // [N]
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
