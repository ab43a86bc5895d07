/**
 * The optional native backend: @tensorflow/tfjs-node built by `kgtune setup native` into
 * KGTUNE_HOME/cache/tfjs-node, against the TensorFlow C library of a PyPI `tensorflow-cpu` wheel
 * (tfjs-node's own install script downloads libtensorflow from Google's CDN, which is not reachable).
 * This file only knows where that build lives and how to load it; `services/native-backend.ts` builds it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { envValue, projectRoot } from '../configs/env.js';
import { TrainingError } from './errors.js';

/** The wheel the C library comes from: 2.12–2.17 export the C and eager C APIs from libtensorflow_cc.so.2. */
export const TENSORFLOW_WHEEL = { dist: 'tensorflow-cpu', version: '2.16.2' } as const;

/** KGTUNE_HOME as configs/env.ts resolves it (relative to the repository root). */
function defaultHome(): string {
  return path.resolve(projectRoot(), envValue('KGTUNE_HOME'));
}

/** The folder `kgtune setup native` fills: its own package.json and node_modules. */
export function nativeRoot(home: string = defaultHome()): string {
  return path.join(home, 'cache', 'tfjs-node');
}

/** The built @tensorflow/tfjs-node package inside nativeRoot. */
export function nativePackageDir(home?: string): string {
  return path.join(nativeRoot(home), 'node_modules', '@tensorflow', 'tfjs-node');
}

/** Path of the compiled addon (`lib/napi-v<N>/tfjs_binding.node`), or undefined when not built. */
export function nativeBinding(home?: string): string | undefined {
  const lib = path.join(nativePackageDir(home), 'lib');
  if (!existsSync(lib)) return undefined;
  for (const d of readdirSync(lib).filter((n) => n.startsWith('napi-v')).sort().reverse()) {
    const f = path.join(lib, d, 'tfjs_binding.node');
    if (existsSync(f)) return f;
  }
  return undefined;
}

/** True when `kgtune setup native` has built the addon for the tfjs version in use. */
export function nativeAvailable(home?: string): boolean {
  return nativeBinding(home) !== undefined && nativeVersion(home) === tf.version.tfjs;
}

function nativeVersion(home?: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(nativePackageDir(home), 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

let loaded = false;

/**
 * Loads the native build (registers the `tensorflow` backend). tfjs-node resolves @tensorflow/tfjs
 * through symlinks to this project's copy, so kernels, gradients and tensors are shared with it.
 */
export async function loadNative(home?: string): Promise<void> {
  if (loaded) return;
  const version = nativeVersion(home);
  if (!nativeBinding(home) || !version) {
    throw new TrainingError('BackendUnavailable', `backend "tensorflow" needs @tensorflow/tfjs-node, which is not built in ${nativeRoot(home)}. Run \`kgtune setup native\`, or use KGTUNE_TRAIN_BACKEND=wasm.`);
  }
  if (version !== tf.version.tfjs) {
    throw new TrainingError('BackendUnavailable', `the native build is @tensorflow/tfjs-node ${version} but @tensorflow/tfjs is ${tf.version.tfjs}: run \`kgtune setup native --force\``);
  }
  // TensorFlow logs oneDNN/CPU-feature notices at INFO on start; keep warnings and errors.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';
  try {
    await import(pathToFileURL(path.join(nativePackageDir(home), 'dist', 'index.js')).href);
  } catch (err) {
    throw new TrainingError('BackendUnavailable', `@tensorflow/tfjs-node in ${nativeRoot(home)} failed to load (${(err as Error).message.split('\n')[0]}). Run \`kgtune setup native --force\`, or use KGTUNE_TRAIN_BACKEND=wasm.`);
  }
  loaded = true;
}
