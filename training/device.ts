/**
 * The device a training worker runs on, as TensorFlow reports it. Pure: the probe itself (a child process that
 * loads the build, services/native-backend.ts) is the caller's; these functions read its result.
 */
import { z } from 'zod';
import { KgtuneError } from '../configs/pure/errors.js';

export const TrainingDeviceSchema = z.object({
  /** `gpu` when TensorFlow placed ops on a GPU; `cpu` otherwise (wasm, cpu, tensorflow, or the GPU build's fallback). */
  kind: z.enum(['gpu', 'cpu']),
  /** kgtune backend name (KGTUNE_TRAIN_BACKEND). */
  backend: z.string().min(1),
  /** GPU: TensorFlow's device name (`NVIDIA A10G`); CPU: `CPU`. */
  name: z.string().min(1),
  /** GPU: memory TensorFlow reserved for itself on the device, in MiB. */
  memoryMiB: z.number().int().positive().optional(),
  /** CPU with the GPU build: why TensorFlow uses no GPU (its own log line). */
  reason: z.string().optional(),
});
export type TrainingDevice = z.infer<typeof TrainingDeviceSchema>;

export interface GpuFromLog {
  index: number;
  name: string;
  memoryMiB: number;
}

/**
 * GPUs from TensorFlow's device-creation log lines (TF_CPP_MIN_LOG_LEVEL=0), e.g.
 * `Created device /job:localhost/replica:0/task:0/device:GPU:0 with 21770 MB memory:  -> device: 0, name: NVIDIA A10G, pci bus id: …`.
 */
export function gpuDevicesFromLog(log: string): GpuFromLog[] {
  const out: GpuFromLog[] = [];
  const re = /Created device \S*device:GPU:(\d+) with (\d+) MB memory:\s*->\s*device: \d+, name: ([^,\n]+)/g;
  for (const m of log.matchAll(re)) out.push({ index: Number(m[1]), memoryMiB: Number(m[2]), name: m[3]!.trim() });
  return out;
}

/** TensorFlow's reason for not using a GPU, when it logged one. */
export function noGpuReason(log: string): string | undefined {
  const m = /(Could not find cuda drivers[^\n]*|Cannot dlopen some GPU libraries[^\n]*|failed call to cuInit[^\n]*|CUDA driver version is insufficient[^\n]*)/.exec(log);
  return m?.[1]?.trim();
}

/** The fallback reason when TensorFlow logged none (e.g. CUDA runtime found but no driver). */
export const NO_GPU_LISTED = 'TensorFlow lists no GPU';

/** The device of a backend from what its probe saw (`gpu`: TensorFlow placed ops on a GPU; `log`: TensorFlow's log). */
export function deviceFromProbe(backend: string, probe?: { gpu: boolean; log: string }): TrainingDevice {
  if (!probe) return { kind: 'cpu', backend, name: 'CPU' };
  const first = gpuDevicesFromLog(probe.log)[0];
  if (probe.gpu && first) return { kind: 'gpu', backend, name: `GPU ${first.index}: ${first.name}`, memoryMiB: first.memoryMiB };
  if (probe.gpu) return { kind: 'gpu', backend, name: 'GPU 0' };
  const reason = noGpuReason(probe.log) ?? NO_GPU_LISTED;
  return { kind: 'cpu', backend, name: 'CPU', reason };
}

/** The device in a few words: `GPU 0: NVIDIA A10G (21770 MiB)`, `CPU fallback (<TensorFlow's reason>)`, `CPU`. */
export function deviceLine(d: TrainingDevice): string {
  if (d.kind === 'gpu') return `${d.name}${d.memoryMiB ? ` (${d.memoryMiB} MiB)` : ''}`;
  if (d.backend === 'tensorflow-gpu') return `CPU fallback (${d.reason ?? 'no GPU'})`;
  return 'CPU';
}

/**
 * What a training run records as its backend (registry TrainingRun.backend, shown by the model card):
 * `tensorflow-gpu · GPU 0: NVIDIA A10G (21770 MiB)`. `probed` is the worker's device (KGTUNE_TRAINING_DEVICE,
 * JSON); it counts only when it is about the backend the run used.
 */
export function trainedOn(backend: string, probed: string | undefined): string {
  if (probed) {
    try {
      const parsed = TrainingDeviceSchema.safeParse(JSON.parse(probed));
      if (parsed.success && parsed.data.backend === backend) return `${backend} · ${deviceLine(parsed.data)}`;
    } catch {
      // not JSON: as if not probed
    }
  }
  // Without a worker's probe only the CPU backends know their device.
  return `${backend} · ${backend === 'tensorflow-gpu' ? 'device not probed (not trained by a kgtune-gpu worker)' : deviceLine(deviceFromProbe(backend))}`;
}

/** Splits a recorded backend (`trainedOn`) into backend and device; runs recorded before devices have none. */
export function splitTrainedOn(recorded: string): { backend: string; device?: string } {
  const i = recorded.indexOf(' · ');
  return i < 0 ? { backend: recorded } : { backend: recorded.slice(0, i), device: recorded.slice(i + 3) };
}

/** A worker that asked for a device it does not have: starting it again changes nothing. */
export class DeviceError extends KgtuneError {
  readonly type = 'DeviceError';
  get code(): string { return this.type; }
  get retryable(): boolean { return false; }
}

/**
 * A worker asked for a GPU (backend tensorflow-gpu on the training queue) that TensorFlow does not see fails at
 * start with one line, unless `allowCpu`. Other backends are CPU backends by choice and always pass.
 */
export function assertDeviceAllowed(d: TrainingDevice, allowCpu: boolean): void {
  if (d.backend !== 'tensorflow-gpu' || d.kind === 'gpu' || allowCpu) return;
  throw new DeviceError(`worker: KGTUNE_TRAIN_BACKEND=tensorflow-gpu but TensorFlow sees no GPU (${d.reason ?? 'no GPU listed'}); check \`nvidia-smi\` and a CUDA 12.3 capable driver (≥ 525.60), or pass --allow-cpu to train on the CPU`);
}
