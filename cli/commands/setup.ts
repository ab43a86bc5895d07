import type { KgtuneEnv } from '../../configs/env.js';
import { provisionGpuBackend } from '../../services/gpu-backend.js';
import { provisionNativeBackend } from '../../services/native-backend.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';

/**
 * `kgtune setup native|gpu [--force]`: opt-in, one time. `native` builds @tensorflow/tfjs-node against the
 * TensorFlow C library of the PyPI tensorflow-cpu wheel into KGTUNE_HOME/cache/tfjs-node; `gpu` builds
 * @tensorflow/tfjs-node-gpu against the CUDA-enabled tensorflow wheel and its nvidia-*-cu12 wheels into
 * KGTUNE_HOME/cache/tfjs-node-gpu. Training then defaults to `tensorflow` after `native`; the GPU build is used
 * when asked for by KGTUNE_TRAIN_BACKEND=tensorflow-gpu.
 */
export async function setupCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const { values, positionals } = parse(args, { force: { type: 'boolean' } });
  const what = positionals[0];
  if ((what !== 'native' && what !== 'gpu') || positionals.length !== 1) throw new UsageError('usage: kgtune setup native|gpu [--force]');
  const log = (l: string) => console.log(l);
  if (what === 'native') {
    await provisionNativeBackend(env, { force: values.force, log });
    console.log('training now defaults to the native `tensorflow` backend (set KGTUNE_TRAIN_BACKEND=wasm to opt out)');
    return 0;
  }
  await provisionGpuBackend(env, { force: values.force, log });
  console.log('start a GPU worker with `KGTUNE_TRAIN_BACKEND=tensorflow-gpu kgtune worker --queue gpu` (it refuses to start without a GPU unless --allow-cpu)');
  return 0;
}
