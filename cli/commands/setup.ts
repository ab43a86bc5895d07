import type { KgtuneEnv } from '../../configs/env.js';
import { provisionNativeBackend } from '../../services/native-backend.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';

/**
 * `kgtune setup native [--force]`: opt-in, one time. Builds @tensorflow/tfjs-node from source against the
 * TensorFlow C library of the PyPI tensorflow-cpu wheel into KGTUNE_HOME/cache/tfjs-node; training then
 * uses the `tensorflow` backend by default (KGTUNE_TRAIN_BACKEND overrides).
 */
export async function setupCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const { values, positionals } = parse(args, { force: { type: 'boolean' } });
  if (positionals[0] !== 'native' || positionals.length !== 1) throw new UsageError('usage: kgtune setup native [--force]');
  await provisionNativeBackend(env, { force: values.force, log: (l) => console.log(l) });
  console.log('training now defaults to the native `tensorflow` backend (set KGTUNE_TRAIN_BACKEND=wasm to opt out)');
  return 0;
}
