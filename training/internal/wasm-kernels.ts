import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

let registered = false;

/**
 * The wasm backend lacks `UnsortedSegmentSum`, which is gather's gradient (embedding updates in
 * full-parameter training). This JS kernel reads the inputs from the wasm heap and sums rows.
 */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  const existing = tf.getKernel('UnsortedSegmentSum', 'wasm');
  if (existing) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const wasm = backend as BackendWasm;
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (wasm, kgtune kernel): float32 only, got ${x.dtype}`);
      const xs = wasm.readSync(x.dataId) as Float32Array;
      const ids = wasm.readSync(segmentIds.dataId) as Int32Array | Float32Array;
      const nIds = ids.length;
      const rowSize = nIds === 0 ? 0 : xs.length / nIds; // segmentIds index the leading dims of x
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const out = new Float32Array(numSegments * rowSize);
      for (let i = 0; i < nIds; i++) {
        const seg = ids[i]!;
        if (seg < 0 || seg >= numSegments) continue;
        const src = i * rowSize;
        const dst = seg * rowSize;
        for (let j = 0; j < rowSize; j++) out[dst + j]! += xs[src + j]!;
      }
      return wasm.makeOutput(outShape, 'float32', undefined, out);
    },
  });
}
