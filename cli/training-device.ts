/**
 * The training device of a worker that polls kgtune-gpu: probed once at start (a child process loads the build,
 * so this process never loads TensorFlow), reported in the start-up line, the healthcheck and every model card.
 */
import { readFileSync } from 'node:fs';
import { processEnv, type KgtuneEnv } from '../configs/env.js';
import { probeNativeBuild, type NativeProbe } from '../services/native-backend.js';
import { defaultBackend, assertDeviceAllowed, DeviceError, deviceFromProbe, NO_GPU_LISTED, type TrainingDevice, nativeAvailable, nativeRoot, withCudaLibraryPath } from '../training/index.js';

/** Variable through which activity child processes learn the device their worker probed (JSON, TrainingDeviceSchema). */
export const DEVICE_ENV = 'KGTUNE_TRAINING_DEVICE';

export interface DeviceProbeDeps {
  available: (home: string) => boolean;
  probe: (home: string, env: NodeJS.ProcessEnv) => Promise<NativeProbe>;
  /** The process environment to read and extend (activity child processes inherit it). */
  processEnv: NodeJS.ProcessEnv;
  /** The loaded NVIDIA kernel driver's version line (/proc/driver/nvidia/version), undefined when none is loaded. */
  driver: () => string | undefined;
}

function nvidiaDriver(): string | undefined {
  try {
    return /NVRM version:.*?(\d+\.\d+(\.\d+)?)/.exec(readFileSync('/proc/driver/nvidia/version', 'utf8'))?.[1] ?? 'unknown version';
  } catch {
    return undefined;
  }
}

const realDeps: DeviceProbeDeps = {
  available: (home) => nativeAvailable(home, 'gpu'),
  probe: (home, env) => probeNativeBuild(home, 'gpu', env),
  processEnv: processEnv(),
  driver: nvidiaDriver,
};

/**
 * The device this worker trains on; throws one line when tensorflow-gpu is asked for and either not built or
 * without a GPU (unless `allowCpu`). With tensorflow-gpu, puts the CUDA folders on LD_LIBRARY_PATH for the
 * activity child processes, and records the device in KGTUNE_TRAINING_DEVICE for their model cards.
 */
export async function probeTrainingDevice(env: KgtuneEnv, opts: { allowCpu?: boolean } = {}, deps: DeviceProbeDeps = realDeps): Promise<TrainingDevice> {
  const backend = env.KGTUNE_TRAIN_BACKEND ?? defaultBackend();
  let device: TrainingDevice;
  if (backend !== 'tensorflow-gpu') device = deviceFromProbe(backend);
  else {
    if (!deps.available(env.home)) {
      throw new DeviceError(`worker: KGTUNE_TRAIN_BACKEND=tensorflow-gpu needs @tensorflow/tfjs-node-gpu, which is not built in ${nativeRoot(env.home, 'gpu')}: run \`kgtune setup gpu\``);
    }
    deps.processEnv.LD_LIBRARY_PATH = withCudaLibraryPath(deps.processEnv.LD_LIBRARY_PATH, env.home);
    device = deviceFromProbe(backend, await deps.probe(env.home, deps.processEnv));
    if (device.kind === 'cpu' && device.reason === NO_GPU_LISTED) {
      const driver = deps.driver();
      device.reason = `${NO_GPU_LISTED}; ${driver ? `NVIDIA driver ${driver} is loaded` : 'no NVIDIA kernel driver is loaded (no /proc/driver/nvidia/version)'}`;
    }
  }
  assertDeviceAllowed(device, opts.allowCpu ?? false);
  deps.processEnv[DEVICE_ENV] = JSON.stringify(device);
  return device;
}
