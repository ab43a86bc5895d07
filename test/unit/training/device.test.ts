import { describe, expect, it } from 'vitest';
import { assertDeviceAllowed, DeviceError, deviceFromProbe, deviceLine, gpuDevicesFromLog, noGpuReason, splitTrainedOn, trainedOn } from '../../../training/contract.js';

// TensorFlow 2.16's own log lines (TF_CPP_MIN_LOG_LEVEL=0), as printed on a GPU machine and on this CPU-only one.
const GPU_LOG = [
  '2026-12-04 12:00:00.000001: I external/local_tsl/tsl/cuda/cudart_stub.cc:32] loaded cudart',
  '2026-12-04 12:00:01.123456: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1928] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 21770 MB memory:  -> device: 0, name: NVIDIA A10G, pci bus id: 0000:00:1e.0, compute capability: 8.6',
  '2026-12-04 12:00:01.223456: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1928] Created device /job:localhost/replica:0/task:0/device:GPU:1 with 14784 MB memory:  -> device: 1, name: Tesla T4, pci bus id: 0000:00:1f.0, compute capability: 7.5',
].join('\n');
const CPU_LOG = '2026-12-04 12:00:00.000001: I external/local_tsl/tsl/cuda/cudart_stub.cc:32] Could not find cuda drivers on your machine, GPU will not be used.\n';

describe('training device from TensorFlow\'s log', () => {
  it('reads every GPU TensorFlow created, with name and memory', () => {
    expect(gpuDevicesFromLog(GPU_LOG)).toEqual([
      { index: 0, name: 'NVIDIA A10G', memoryMiB: 21770 },
      { index: 1, name: 'Tesla T4', memoryMiB: 14784 },
    ]);
    expect(gpuDevicesFromLog(CPU_LOG)).toEqual([]);
  });

  it('names the GPU, the CPU fallback with TensorFlow\'s reason, or a CPU backend', () => {
    const gpu = deviceFromProbe('tensorflow-gpu', { gpu: true, log: GPU_LOG });
    expect(gpu).toEqual({ kind: 'gpu', backend: 'tensorflow-gpu', name: 'GPU 0: NVIDIA A10G', memoryMiB: 21770 });
    expect(deviceLine(gpu)).toBe('GPU 0: NVIDIA A10G (21770 MiB)');
    const fallback = deviceFromProbe('tensorflow-gpu', { gpu: false, log: CPU_LOG });
    expect(deviceLine(fallback)).toBe('CPU fallback (Could not find cuda drivers on your machine, GPU will not be used.)');
    expect(deviceLine(deviceFromProbe('tensorflow-gpu', { gpu: false, log: '' }))).toBe('CPU fallback (TensorFlow lists no GPU)');
    expect(deviceLine(deviceFromProbe('wasm'))).toBe('CPU');
    expect(noGpuReason('W … failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected')).toMatch(/^failed call to cuInit/);
  });

  it('a GPU asked for and missing fails in one line unless --allow-cpu; CPU backends always pass', () => {
    const fallback = deviceFromProbe('tensorflow-gpu', { gpu: false, log: CPU_LOG });
    expect(() => assertDeviceAllowed(fallback, false)).toThrow(DeviceError);
    expect(() => assertDeviceAllowed(fallback, false)).toThrow(/^worker: KGTUNE_TRAIN_BACKEND=tensorflow-gpu but TensorFlow sees no GPU \(Could not find cuda drivers.*--allow-cpu/);
    try {
      assertDeviceAllowed(fallback, false);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
    expect(() => assertDeviceAllowed(fallback, true)).not.toThrow();
    expect(() => assertDeviceAllowed(deviceFromProbe('tensorflow-gpu', { gpu: true, log: GPU_LOG }), false)).not.toThrow();
    expect(() => assertDeviceAllowed(deviceFromProbe('wasm'), false)).not.toThrow();
  });

  it('a run records backend and device; the worker\'s probe counts only for its own backend', () => {
    const probed = JSON.stringify(deviceFromProbe('tensorflow-gpu', { gpu: true, log: GPU_LOG }));
    expect(trainedOn('tensorflow-gpu', probed)).toBe('tensorflow-gpu · GPU 0: NVIDIA A10G (21770 MiB)');
    expect(trainedOn('wasm', probed)).toBe('wasm · CPU');
    expect(trainedOn('tensorflow', undefined)).toBe('tensorflow · CPU');
    expect(trainedOn('tensorflow-gpu', 'not json')).toBe('tensorflow-gpu · device not probed (not trained by a kgtune-gpu worker)');
    expect(splitTrainedOn('tensorflow-gpu · GPU 0: NVIDIA A10G (21770 MiB)')).toEqual({ backend: 'tensorflow-gpu', device: 'GPU 0: NVIDIA A10G (21770 MiB)' });
    expect(splitTrainedOn('wasm')).toEqual({ backend: 'wasm' });
  });
});
