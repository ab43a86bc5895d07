import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnv, projectRoot } from '../../../configs/env.js';
import { nativeAvailable } from '../../../training/native.js';
import { DEVICE_ENV, type DeviceProbeDeps, probeTrainingDevice } from '../../../cli/training-device.js';

const CPU_LOG = 'I external/local_tsl/tsl/cuda/cudart_stub.cc:32] Could not find cuda drivers on your machine, GPU will not be used.\n';
const GPU_LOG = 'I tensorflow/core/common_runtime/gpu/gpu_device.cc:1928] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 14784 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5\n';

function fakes(o: { built?: boolean; gpu?: boolean; log?: string; driver?: string }): DeviceProbeDeps & { probedWith: NodeJS.ProcessEnv[] } {
  const probedWith: NodeJS.ProcessEnv[] = [];
  return {
    probedWith,
    available: () => o.built ?? true,
    probe: async (_home, env) => {
      probedWith.push({ ...env });
      return { tensorflow: '2.16.2', gpu: o.gpu ?? false, log: o.log ?? (o.gpu ? GPU_LOG : CPU_LOG) };
    },
    processEnv: { LD_LIBRARY_PATH: '/opt/other' },
    driver: () => o.driver,
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

  it('no reason in TensorFlow\'s log: the reason says whether an NVIDIA driver is loaded', async () => {
    const none = await probeTrainingDevice(env('tensorflow-gpu'), { allowCpu: true }, fakes({ gpu: false, log: '' }));
    expect(none.reason).toBe('TensorFlow lists no GPU; no NVIDIA kernel driver is loaded (no /proc/driver/nvidia/version)');
    const old = await probeTrainingDevice(env('tensorflow-gpu'), { allowCpu: true }, fakes({ gpu: false, log: '', driver: '470.57.02' }));
    expect(old.reason).toBe('TensorFlow lists no GPU; NVIDIA driver 470.57.02 is loaded');
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

// The real probe: the GPU build loaded in a child process on this machine. Only where it is built and no NVIDIA
// driver is loaded (on a GPU machine the worker would go on to connect to Temporal).
const cpuOnlyWithBuild = nativeAvailable(undefined, 'gpu') && !existsSync('/proc/driver/nvidia/version');
describe.skipIf(!cpuOnlyWithBuild)('`kgtune worker --queue gpu` with the real GPU build on a machine without a GPU', () => {
  it('refuses to start in one line naming --allow-cpu, before connecting to anything', () => {
    // Ports nothing listens on: had the worker gone on to connect, the error would be about Temporal or Neo4j.
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'kgtune'), 'worker', '--queue', 'gpu'], {
      encoding: 'utf8', cwd: projectRoot(), timeout: 60_000,
      env: { ...process.env, KGTUNE_TRAIN_BACKEND: 'tensorflow-gpu', TEMPORAL_PORT: '9', NEO4J_BOLT_PORT: '9' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kgtune: worker: KGTUNE_TRAIN_BACKEND=tensorflow-gpu but TensorFlow sees no GPU \(.+\); .*--allow-cpu/);
  });
});
