import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../../configs/env.js';
import { DEVICE_ENV, type DeviceProbeDeps, probeTrainingDevice } from '../../../cli/training-device.js';

const CPU_LOG = 'I external/local_tsl/tsl/cuda/cudart_stub.cc:32] Could not find cuda drivers on your machine, GPU will not be used.\n';
const GPU_LOG = 'I tensorflow/core/common_runtime/gpu/gpu_device.cc:1928] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 14784 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5\n';

function fakes(o: { built?: boolean; gpu?: boolean }): DeviceProbeDeps & { probedWith: NodeJS.ProcessEnv[] } {
  const probedWith: NodeJS.ProcessEnv[] = [];
  return {
    probedWith,
    available: () => o.built ?? true,
    probe: async (_home, env) => {
      probedWith.push({ ...env });
      return { tensorflow: '2.16.2', gpu: o.gpu ?? false, log: o.gpu ? GPU_LOG : CPU_LOG };
    },
    processEnv: { LD_LIBRARY_PATH: '/opt/other' },
  };
}

describe('the training device a kgtune-gpu worker reports at start (fakes for the probe)', () => {
  const env = (backend?: string) => loadEnv({ KGTUNE_HOME: '/tmp/kgtune-device-test', ...(backend ? { KGTUNE_TRAIN_BACKEND: backend } : {}) });

  it('tensorflow-gpu with a GPU: names it, puts the CUDA folders first on LD_LIBRARY_PATH and records the device for child processes', async () => {
    const deps = fakes({ gpu: true });
    const d = await probeTrainingDevice(env('tensorflow-gpu'), {}, deps);
    expect(d).toMatchObject({ kind: 'gpu', name: 'GPU 0: Tesla T4', memoryMiB: 14784 });
    expect(deps.probedWith[0]!.LD_LIBRARY_PATH!.split(path.delimiter).at(-1)).toBe('/opt/other');
    expect(JSON.parse(deps.processEnv[DEVICE_ENV]!)).toEqual(d);
  });

  it('tensorflow-gpu without a GPU: one line naming --allow-cpu; with --allow-cpu: CPU fallback', async () => {
    await expect(probeTrainingDevice(env('tensorflow-gpu'), {}, fakes({ gpu: false }))).rejects.toThrow(/sees no GPU.*--allow-cpu/);
    const d = await probeTrainingDevice(env('tensorflow-gpu'), { allowCpu: true }, fakes({ gpu: false }));
    expect(d).toMatchObject({ kind: 'cpu', backend: 'tensorflow-gpu', reason: expect.stringMatching(/^Could not find cuda drivers/) });
  });

  it('tensorflow-gpu not built: one line naming `kgtune setup gpu`, nothing probed', async () => {
    const deps = fakes({ built: false });
    await expect(probeTrainingDevice(env('tensorflow-gpu'), {}, deps)).rejects.toThrow(/not built in .*tfjs-node-gpu: run `kgtune setup gpu`/);
    expect(deps.probedWith).toEqual([]);
  });

  it('a CPU backend is reported as CPU without loading TensorFlow', async () => {
    const deps = fakes({});
    expect(await probeTrainingDevice(env('wasm'), {}, deps)).toEqual({ kind: 'cpu', backend: 'wasm', name: 'CPU' });
    expect(deps.probedWith).toEqual([]);
    expect(deps.processEnv.LD_LIBRARY_PATH).toBe('/opt/other');
  });
});
