/**
 * The optional native backends: @tensorflow/tfjs-node (`kgtune setup native`, from the PyPI `tensorflow-cpu`
 * wheel) and @tensorflow/tfjs-node-gpu (`kgtune setup gpu`, from the CUDA-enabled PyPI `tensorflow` wheel and
 * the `nvidia-*-cu12` wheels it names), each built into KGTUNE_HOME/cache (their own install scripts download
 * libtensorflow from Google's CDN, which is not reachable). This file only knows where a build lives and how to
 * load it; `services/native-backend.ts` builds it. One process loads at most one of them (both register the
 * tfjs backend `tensorflow` and bring their own TensorFlow).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { envValue, projectRoot, setEnvDefault } from '../configs/env.js';
import { TrainingError } from './errors.js';

export type NativeFlavor = 'cpu' | 'gpu';

/** TensorFlow 2.12–2.17 wheels export the C and eager C APIs from libtensorflow_cc.so.2; both flavors use one version. */
const TF_VERSION = '2.16.2';

/** Per flavor: the npm package, the wheel its C library comes from, its folder in KGTUNE_HOME/cache, its setup command. */
export const NATIVE_FLAVORS = {
  cpu: { pkg: '@tensorflow/tfjs-node', wheel: { dist: 'tensorflow-cpu', version: TF_VERSION }, dir: 'tfjs-node', setup: 'kgtune setup native', backend: 'tensorflow' },
  gpu: { pkg: '@tensorflow/tfjs-node-gpu', wheel: { dist: 'tensorflow', version: TF_VERSION }, dir: 'tfjs-node-gpu', setup: 'kgtune setup gpu', backend: 'tensorflow-gpu' },
} as const;

/** The wheel the CPU build's C library comes from. */
export const TENSORFLOW_WHEEL = NATIVE_FLAVORS.cpu.wheel;

/** KGTUNE_HOME as configs/env.ts resolves it (relative to the repository root). */
function defaultHome(): string {
  return path.resolve(projectRoot(), envValue('KGTUNE_HOME'));
}

/** The folder a setup command fills: its own package.json and node_modules. */
export function nativeRoot(home: string = defaultHome(), flavor: NativeFlavor = 'cpu'): string {
  return path.join(home, 'cache', NATIVE_FLAVORS[flavor].dir);
}

/** The built package (@tensorflow/tfjs-node or -gpu) inside nativeRoot. */
export function nativePackageDir(home?: string, flavor: NativeFlavor = 'cpu'): string {
  return path.join(nativeRoot(home, flavor), 'node_modules', ...NATIVE_FLAVORS[flavor].pkg.split('/'));
}

/** Path of the compiled addon (`lib/napi-v<N>/tfjs_binding.node`), or undefined when not built. */
export function nativeBinding(home?: string, flavor: NativeFlavor = 'cpu'): string | undefined {
  const lib = path.join(nativePackageDir(home, flavor), 'lib');
  if (!existsSync(lib)) return undefined;
  for (const d of readdirSync(lib).filter((n) => n.startsWith('napi-v')).sort().reverse()) {
    const f = path.join(lib, d, 'tfjs_binding.node');
    if (existsSync(f)) return f;
  }
  return undefined;
}

/** True when the setup command has built the addon for the tfjs version in use. */
export function nativeAvailable(home?: string, flavor: NativeFlavor = 'cpu'): boolean {
  return nativeBinding(home, flavor) !== undefined && nativeVersion(home, flavor) === tf.version.tfjs;
}

/**
 * The CUDA/cuDNN library folders of the GPU build (`deps/nvidia/<name>/lib`, laid out like site-packages so the
 * RUNPATH `$ORIGIN/../nvidia/…/lib` in libtensorflow finds them), for LD_LIBRARY_PATH: the loader reads that
 * variable once at process start, so a process that loads the GPU build must be started with it.
 */
export function cudaLibraryDirs(home?: string): string[] {
  const nvidia = path.join(nativePackageDir(home, 'gpu'), 'deps', 'nvidia');
  if (!existsSync(nvidia)) return [];
  return readdirSync(nvidia).sort().map((n) => path.join(nvidia, n, 'lib')).filter((d) => existsSync(d));
}

/** `current` (a LD_LIBRARY_PATH value) with the GPU build's CUDA folders in front, each once. */
export function withCudaLibraryPath(current: string | undefined, home?: string): string {
  const dirs = cudaLibraryDirs(home);
  const rest = (current ?? '').split(path.delimiter).filter((d) => d !== '' && !dirs.includes(d));
  return [...dirs, ...rest].join(path.delimiter);
}

function nativeVersion(home?: string, flavor: NativeFlavor = 'cpu'): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(nativePackageDir(home, flavor), 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

let loaded: NativeFlavor | undefined;

/**
 * Loads a native build (registers the tfjs backend `tensorflow`). The package resolves @tensorflow/tfjs
 * through symlinks to this project's copy, so kernels, gradients and tensors are shared with it.
 */
export async function loadNative(home?: string, flavor: NativeFlavor = 'cpu'): Promise<void> {
  if (loaded === flavor) return;
  const { pkg, setup, backend } = NATIVE_FLAVORS[flavor];
  if (loaded) {
    throw new TrainingError('BackendUnavailable', `backend "${backend}" cannot load in a process that already loaded "${NATIVE_FLAVORS[loaded].backend}" (one TensorFlow per process): set KGTUNE_TRAIN_BACKEND to one of them`);
  }
  const version = nativeVersion(home, flavor);
  if (!nativeBinding(home, flavor) || !version) {
    throw new TrainingError('BackendUnavailable', `backend "${backend}" needs ${pkg}, which is not built in ${nativeRoot(home, flavor)}. Run \`${setup}\`, or use KGTUNE_TRAIN_BACKEND=wasm.`);
  }
  if (version !== tf.version.tfjs) {
    throw new TrainingError('BackendUnavailable', `the native build is ${pkg} ${version} but @tensorflow/tfjs is ${tf.version.tfjs}: run \`${setup} --force\``);
  }
  // TensorFlow logs oneDNN/CPU-feature notices at INFO on start; keep warnings and errors.
  setEnvDefault('TF_CPP_MIN_LOG_LEVEL', '1');
  try {
    await import(pathToFileURL(path.join(nativePackageDir(home, flavor), 'dist', 'index.js')).href);
  } catch (err) {
    throw new TrainingError('BackendUnavailable', `${pkg} in ${nativeRoot(home, flavor)} failed to load (${(err as Error).message.split('\n')[0]}). Run \`${setup} --force\`, or use KGTUNE_TRAIN_BACKEND=wasm.`);
  }
  loaded = flavor;
}
