import * as tf from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

let registered = false;

/**
 * Kernels that copy nothing where tfjs-node would run a TensorFlow op.
 *
 * tfjs-node runs every Cast as a TensorFlow op, a copy even when the dtype does not change — and tfjs' gradients
 * cast their saved inputs to float32 (Multiply's, Div's, …): ~900 same-dtype copies per SmolLM2-135M LoRA step.
 * A same-dtype cast here shares the input's data, as tfjs-node's own Identity kernel does (TensorFlow tensors are
 * immutable, so nothing can tell the two apart); other casts run tfjs-node's kernel.
 */
export function registerNativeKernels(): void {
  if (registered) return;
  const cast = tf.getKernel('Cast', 'tensorflow');
  const reshape = tf.getKernel('Reshape', 'tensorflow');
  if (!cast || !reshape) return; // the native backend is not loaded
  registered = true;
  const share = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo => {
    const x = args.inputs['x'] as tf.TensorInfo;
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  tf.unregisterKernel('Cast', 'tensorflow');
  tf.registerKernel({
    ...cast,
    kernelFunc: (args) => ((args.attrs as { dtype: tf.DataType }).dtype === (args.inputs['x'] as tf.TensorInfo).dtype ? share(args) : cast.kernelFunc(args)),
  });
  // tfjs' Add/Sub gradients reshape dy to the input's shape even when it already has it (~500 per SmolLM2 step),
  // and tfjs-node runs every Reshape as a TensorFlow op with a shape tensor: a reshape to the same shape shares the data
  tf.unregisterKernel('Reshape', 'tensorflow');
  tf.registerKernel({
    ...reshape,
    kernelFunc: (args) => {
      const x = args.inputs['x'] as tf.TensorInfo;
      const shape = (args.attrs as { shape: number[] }).shape;
      const same = shape.length === x.shape.length && shape.every((n, i) => n === x.shape[i]);
      return same ? share(args) : reshape.kernelFunc(args);
    },
  });
}
