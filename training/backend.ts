import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs'; // the full package: registers the gradients (tfjs-core alone has none)
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from './errors.js';
import { registerNativeKernels } from './internal/native-kernels.js';
import { registerWasmKernels } from './internal/wasm-kernels.js';
import { loadNative, nativeAvailable } from './native.js';
import { envValue } from '../configs/env.js';

/** kgtune's backend names; `tensorflow` and `tensorflow-gpu` are both tfjs' `tensorflow` backend, from different builds. */
export type BackendName = 'wasm' | 'cpu' | 'tensorflow' | 'tensorflow-gpu';

export interface BackendInfo {
  name: BackendName;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** tensorflow(-gpu) only: the TensorFlow C library's version (`TF_Version()`). */
  tensorflow?: string;
}

let current: BackendInfo | undefined;
let wasmPathsSet = false;
const require = createRequire(import.meta.url);

/** The folder holding the .wasm binaries, so the backend loads offline from node_modules. */
function wasmDir(): string {
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // entry is …/tfjs-backend-wasm/dist/<bundle>.js; the binaries sit next to it.
  return path.dirname(entry) + path.sep;
}

/**
 * The default backend: env KGTUNE_TRAIN_BACKEND, else `tensorflow` when `kgtune setup native` has built
 * @tensorflow/tfjs-node (native TensorFlow kernels, all cores), else wasm (SIMD matMul is ~35× faster than
 * the pure-JS cpu backend here). `tensorflow-gpu` is never implicit: a worker is asked for a GPU by
 * KGTUNE_TRAIN_BACKEND=tensorflow-gpu, and then refuses to start without one (cli/training-device.ts).
 */
export function defaultBackend(): BackendName {
  const fromEnv = envValue('KGTUNE_TRAIN_BACKEND');
  if (fromEnv) return fromEnv;
  return nativeAvailable() ? 'tensorflow' : 'wasm';
}

/**
 * Select and initialise a tfjs backend once per process (`defaultBackend()` when none is requested).
 * `tensorflow` needs the native build of @tensorflow/tfjs-node (`kgtune setup native`), `tensorflow-gpu` that of
 * @tensorflow/tfjs-node-gpu (`kgtune setup gpu`; the process must start with its CUDA folders in LD_LIBRARY_PATH).
 */
export async function selectBackend(requested?: BackendName): Promise<BackendInfo> {
  const name = requested ?? defaultBackend();
  if (current && current.name === name) return current;
  if (name === 'tensorflow') await loadNative(undefined, 'cpu');
  if (name === 'tensorflow-gpu') await loadNative(undefined, 'gpu');
  if (name === 'tensorflow' || name === 'tensorflow-gpu') registerNativeKernels();
  if (name === 'wasm') {
    if (!wasmPathsSet) setWasmPaths(wasmDir());
    wasmPathsSet = true;
    registerWasmKernels();
  }
  const ok = await tf.setBackend(name === 'tensorflow-gpu' ? 'tensorflow' : name);
  if (!ok) throw new TrainingError('BackendUnavailable', `tfjs backend "${name}" failed to initialise`);
  await tf.ready();
  const info: BackendInfo = { name };
  if (name === 'wasm') info.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  if (name === 'tensorflow' || name === 'tensorflow-gpu') {
    const version = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding?.TF_Version;
    if (version) info.tensorflow = version;
  }
  current = info;
  return info;
}

/** The backend selected so far (undefined before `selectBackend`). */
export function currentBackend(): BackendInfo | undefined {
  return current;
}
