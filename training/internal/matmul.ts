import * as tf from '@tensorflow/tfjs';

/**
 * matMul whose gradients use explicit transposes. Autodiff's stock gradient calls matMul with
 * transposeA/transposeB, which is 10–35× slower on the wasm backend (ENVIRONMENT.md).
 * Works for rank ≥ 2 (batched over leading dims, equal batch shapes).
 */
function swapLast(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(t, perm);
}

const mmBoth = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b), // [..., M, N]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy, swapLast(sb)), tf.matMul(swapLast(sa), dy)]; // [..., M, K], [..., K, N]
    },
  };
});

/**
 * a·b with both gradients via explicit transposes. a [..., M, K], b [..., K, N] → [..., M, N]. On the native
 * TensorFlow backend a plain matMul: its transposeA/B gradients are fast there, and the customGrad would add an
 * Identity per output and keep extra copies until the backward pass (see mmFrozen).
 */
export function mm(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (tf.getBackend() === 'tensorflow') return tf.matMul(a, b); // [..., M, N]
  return mmBoth(a, b);
}

/** a·bᵀ: a [..., M, K], b [..., N, K] → [..., M, N]. Native: matMul reading b transposed (no copy); else mm of an explicit transpose. */
export function mmT(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (tf.getBackend() === 'tensorflow') return tf.matMul(a, b, false, true); // [..., M, N]
  return mmBoth(a, swapLast(b));
}

/**
 * x·w where w is frozen (a LoRA base weight): only x gets a gradient, so no dW is computed.
 * x [N, K], w [K, N'] → [N, N']. On the native TensorFlow backend a plain matMul: autodiff only
 * differentiates towards the trained variables (so no dW), its dx uses transposeB (fast there, no
 * copy of w), and a customGrad would keep an extra copy of every output until the backward pass
 * (tfjs wraps customGrad outputs in an Identity; ~40 % of the saved activations of SmolLM2-135M).
 * On wasm/cpu the gradient uses an explicit transpose, as transposeB is slow there.
 */
export function mmFrozen(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() === 'tensorflow') return tf.matMul(x, w); // [N, N']
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xx = args[0] as tf.Tensor2D;
    return {
      value: tf.matMul(xx, w) as tf.Tensor2D, // [N, N']
      gradFunc: (dy: tf.Tensor2D) => tf.matMul(dy, tf.transpose(w)), // [N, K]
    };
  });
  return f(x) as tf.Tensor2D;
}
