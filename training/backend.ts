import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs'; // the full package: registers the gradients (tfjs-core alone has none)
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TrainingError } from './errors.js';
import { registerWasmKernels } from './internal/wasm-kernels.js';

export type BackendName = 'wasm' | 'cpu' | 'tensorflow';

export interface BackendInfo {
  name: BackendName;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
}

let current: BackendInfo | undefined;
const require = createRequire(import.meta.url);

/** The folder holding the .wasm binaries, so the backend loads offline from node_modules. */
function wasmDir(): string {
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // entry is …/tfjs-backend-wasm/dist/<bundle>.js; the binaries sit next to it.
  return path.dirname(entry) + path.sep;
}

/**
 * Select and initialise a tfjs backend once per process. Default: env KGTUNE_TRAIN_BACKEND, else wasm
 * (SIMD matMul is ~35× faster than the pure-JS cpu backend here). `tensorflow` needs @tensorflow/tfjs-node,
 * which is loaded only if installed.
 */
export async function selectBackend(requested?: BackendName): Promise<BackendInfo> {
  const name = requested ?? (process.env.KGTUNE_TRAIN_BACKEND as BackendName | undefined) ?? 'wasm';
  if (current && current.name === name) return current;
  if (name === 'tensorflow') {
    try {
      // Dynamic, untyped: the package is optional and absent on most machines.
      const modName = '@tensorflow/tfjs-node';
      await import(modName);
    } catch (err) {
      throw new TrainingError(
        'BackendUnavailable',
        `backend "tensorflow" needs @tensorflow/tfjs-node, which is not installed or failed to load ` +
          `(${(err as Error).message.split('\n')[0]}). Use KGTUNE_TRAIN_BACKEND=wasm, or build tfjs-node (see ENVIRONMENT.md).`,
      );
    }
  }
  if (name === 'wasm') {
    if (!current) setWasmPaths(wasmDir());
    registerWasmKernels();
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new TrainingError('BackendUnavailable', `tfjs backend "${name}" failed to initialise`);
  await tf.ready();
  const info: BackendInfo = { name };
  if (name === 'wasm') info.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  current = info;
  return info;
}

/** The backend selected so far (undefined before `selectBackend`). */
export function currentBackend(): BackendInfo | undefined {
  return current;
}
