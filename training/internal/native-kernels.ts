import * as tf from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

let registered = false;

/**
 * tfjs-node runs every Cast as a TensorFlow op, a copy even when the dtype does not change — and tfjs' gradients
 * cast their saved inputs to float32 (Multiply's, Div's, …): ~900 same-dtype copies per SmolLM2-135M LoRA step.
 * A same-dtype cast here shares the input's data, as tfjs-node's own Identity kernel does (TensorFlow tensors are
 * immutable, so nothing can tell the two apart); other casts run tfjs-node's kernel.
 */
export function registerNativeKernels(): void {
  if (registered) return;
  const stock = tf.getKernel('Cast', 'tensorflow');
  if (!stock) return; // the native backend is not loaded
  registered = true;
  tf.unregisterKernel('Cast', 'tensorflow');
  tf.registerKernel({
    ...stock,
    kernelFunc: (args) => {
      const x = args.inputs['x'] as tf.TensorInfo;
      if ((args.attrs as { dtype: tf.DataType }).dtype !== x.dtype) return stock.kernelFunc(args);
      (args.backend as unknown as RefCounting).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
