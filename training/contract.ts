/**
 * The training stage's contract: zod only, pure (no Node, no tfjs), so workflows may import it.
 *
 * One vocabulary for the training knobs from the Web UI JSON to the trainer: the pipeline input's
 * `training` block is `TrainingOptions`; the LoRA config (training/lora/config.ts) and the trainer's
 * config (training/trainer/config.ts) are built from the same fields with the same defaults, and the
 * knobs the pipeline does not expose are derived from them in one place (`derivedTrainerKnobs`).
 */
import { z } from 'zod';
import { PermanentError } from '../configs/pure/errors.js';

/** LoRA target modules by their short name; the PEFT module is `<name>_proj` (`peftModule`). */
export const LORA_TARGETS = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] as const;
export type LoraTarget = (typeof LORA_TARGETS)[number];

/** The PEFT/Hugging Face module name of a target (`q` → `q_proj`), as adapter_config.json lists it. */
export function peftModule(t: LoraTarget): `${LoraTarget}_proj` {
  return `${t}_proj`;
}

/**
 * The training knobs of a pipeline input (`training`) with the product's one set of defaults. Code-level
 * callers (bench, tests, the tiny base's pretraining) pass what they need instead of relying on them.
 */
export const TrainingOptions = z.object({
  /**
   * LoRA rank. Measured on the sample corpus (tiny base, 800 steps, lr 5e-3): rank 8 at lr 1e-2
   * learned almost nothing (train exact match 0.05); rank 32 reached train EM 0.68 and paraphrase
   * EM 0.62 (base 0.00). See the note on issue #8 for the table.
   */
  rank: z.number().int().min(1).max(256).default(32),
  /** LoRA alpha: 2 × rank, so the update's scale (alpha/rank) stays 2 whatever the rank. */
  alpha: z.number().positive().default(64),
  /** Dropout on the LoRA input only (PEFT's lora_dropout). 0: the sweeps of issue #8 ran without it. */
  dropout: z.number().min(0).max(0.5).default(0),
  /** All linear layers: LoRA on attention only learns facts markedly worse (QLoRA paper). */
  targets: z.array(z.enum(LORA_TARGETS)).min(1).default([...LORA_TARGETS]),
  /**
   * Optimiser steps of 16 sequences; one in `replayEvery` is general text. 800 ≈ 15 passes over the
   * sample corpus's ~640 training pairs: 400 steps left paraphrase EM at 0.15, 800 reached 0.62.
   * About 6 min on this 2-core machine with the native backend, ~12 min with wasm.
   */
  steps: z.number().int().min(1).max(1_000_000).default(800),
  /** 5e-3 with rank 32: 1e-2 at rank 8 plateaued at train loss ~1.2. Peak of the cosine schedule. */
  learningRate: z.number().positive().max(1).default(5e-3),
  /** Sequences per optimiser step (split into micro-batches on a large base: training/index.ts microBatch). */
  batchSize: z.number().int().min(1).max(512).default(16),
  /**
   * One micro-batch in this many is general text (the base's own pretraining text) instead of
   * instruction pairs, so the adapter does not make the base forget language; 0 turns replay off.
   * Measured: without replay, general-text perplexity rose +1,331% (400 steps) and +3,058% (800);
   * with 1 in 4 it moved −1% to +2%.
   */
  replayEvery: z.number().int().min(0).max(1000).refine((n) => n !== 1, 'must be 0 (off) or at least 2').default(4),
  /**
   * Self-distillation on a real base: one instruction micro-batch in this many is a general prompt
   * (examples/general-prompts.json) answered by the base itself (its chat template, greedy,
   * DISTILL_MAX_NEW_TOKENS), loss on the answer only, so the adapter keeps what the base does on general
   * questions instead of answering them with the documents' refusal. 0 turns it off. Unset: DISTILL_EVERY_REAL
   * on a real base, off on the tiny base (it answers nothing worth keeping) — `distillEveryFor`. Optional without
   * a default, so inputs without it keep their config digest. Replay (above) takes its share first: with both
   * at 4, a quarter of the micro-batches are general text and 3/16 distillation pairs. README "On a real base".
   */
  distillEvery: z.number().int().min(0).max(1000).refine((n) => n !== 1, 'must be 0 (off) or at least 2').optional(),
  /**
   * End with the weights of the best validation loss (HF load_best_model_at_end) instead of the
   * last step's. Off: the validation split asks facts never trained on, so its loss tracks answer
   * format, not whether the trained facts were learnt. On the sample corpus it restored step 640 of
   * 800 and paraphrase exact match was 0.39, against 0.53 for the last step's weights (note on issue #8).
   */
  keepBestValidation: z.boolean().default(false),
  /** A checkpoint every N steps: a retried attempt (worker killed) resumes from the newest. */
  checkpointEvery: z.number().int().min(1).default(50),
  /**
   * Gradient (activation) checkpointing, HF TrainingArguments' name: each decoder layer keeps only its input and
   * is recomputed in the backward pass. Same losses and gradients (same dropout masks); activation memory falls
   * from all layers' intermediates to one layer's plus the layer inputs (SmolLM2-135M at 1 × 64 tokens: 0.29× the
   * peak) for one more forward pass per step (1.2–1.9× the step time). Unset: on for bases above 50 M parameters on
   * wasm and GPU, off on the native CPU build and for the tiny base (checkpointingByDefault in training/index.ts).
   * Optional without a default, so inputs without it keep their config digest. README "GPU memory".
   */
  gradientCheckpointing: z.boolean().optional(),
  /** Seeds data order, dropout and initialisation: same seed, same losses. */
  seed: z.number().int().default(1),
});
export type TrainingOptions = z.infer<typeof TrainingOptions>;
export type TrainingOptionsRaw = z.input<typeof TrainingOptions>;

/**
 * Training settings on a real base (anything but `tiny`), where the tiny base's (800 steps of 16 at
 * lr 5e-3, rank 32) would take hours on a 2-core machine. Chosen on the VALIDATION split (sample corpus,
 * SmolLM2-135M-Instruct, native, replay 1 in 4; `bench/lora-sweep.ts --base smollm2-135m-instruct`, README
 * "On a real base"): 160 steps of 8 at lr 3e-3, rank 16 — val exact match 0.432 (base 0.081, lookup 0.351, n 37),
 * trained-fact EM 0.25 — against the earlier unswept 80 steps at lr 2e-3: val EM 0.378, trained-fact EM 0.04.
 * Both forget general questions far past the 20 % gate (29/32 and 14/32: the adapter answers "The documents
 * do not say." to them), which more or fewer steps do not fix; the chosen one learns the facts. ~45 min of
 * training here (~14–25 s a step). The demo applies them (cli/commands/demo.ts); a pipeline input names them itself.
 * `distillEvery: 4` (self-distillation, added after the sweep against that forgetting) is the default on a real
 * base anyway; named here so the demo's input and model card show it.
 */
export const REAL_BASE_TRAINING = { steps: 160, batchSize: 8, learningRate: 3e-3, rank: 16, alpha: 32, distillEvery: 4 } as const satisfies Partial<TrainingOptions>;

/**
 * Self-distillation's share on a real base when the input does not name one: one instruction micro-batch in 4
 * (about as many general pairs as there are refusal pairs in the sample corpus's train split). Chosen before
 * measuring; on the validation split 1 in 2 was no reliable gain (general questions forgotten 19 and 7 of 32 at
 * trainer seeds 1 and 2, against 11 and 10), so 1 in 4 stays: README "On a real base" has the table.
 */
export const DISTILL_EVERY_REAL = 4;

/** The answer budget of a distillation pair (SmolLM2 spends 1–3 tokens per Chinese character). */
export const DISTILL_MAX_NEW_TOKENS = 96;

/** `distillEvery` as a run applies it: the input's, else DISTILL_EVERY_REAL on a real base and 0 on the tiny one. */
export function distillEveryFor(t: Pick<TrainingOptions, 'distillEvery'>, realBase: boolean): number {
  return t.distillEvery ?? (realBase ? DISTILL_EVERY_REAL : 0);
}

/**
 * The trainer knobs a pipeline input does not name, derived from the ones it does — the one place they
 * are computed (the trainer uses these whenever its caller leaves them out):
 * - `evalEvery`: ten validation passes per run (a pass over the val split costs about a step);
 * - `warmupSteps`: a tenth of the run, at most 20 — linear warmup keeps the first Adam steps from
 *   blowing up freshly initialised LoRA B matrices; short runs (tests) barely warm up.
 */
export function derivedTrainerKnobs(o: { steps: number }): { evalEvery: number; warmupSteps: number } {
  return { evalEvery: Math.max(1, Math.floor(o.steps / 10)), warmupSteps: Math.min(20, Math.floor(o.steps / 10)) };
}

/**
 * Training progress, sent by the training activity (throttled) to its fineTune workflow and to the
 * pipeline, so their `progress` queries show step / total, loss and ETA. Validated on arrival:
 * a malformed payload is ignored.
 */
export const TrainingProgressSchema = z.object({
  step: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  loss: z.number().nullable(),
  /** Seconds left at the current speed; null until a few steps were timed. */
  etaSeconds: z.number().nonnegative().nullable(),
});
export type TrainingProgress = z.infer<typeof TrainingProgressSchema>;

// ── Activity payloads ────────────────────────────────────────────────────────────────────────────

export const EnsureBaseModelInput = z.object({
  seed: z.number().int(),
  /** `tiny`, a pulled catalogue id, a base sha256 or an HF folder path (PipelineInput.base). */
  base: z.string().optional(),
});
export type EnsureBaseModelInput = z.infer<typeof EnsureBaseModelInput>;

export const EnsureBaseModelResult = z.object({ baseDir: z.string(), baseModelId: z.string(), sha256: z.string() });
export type EnsureBaseModelResult = z.infer<typeof EnsureBaseModelResult>;

/** A training run's place, shared by the training and evaluation inputs: tenant and run id, the base, the dataset. */
export const RunRef = z.object({ tenant: z.string(), runId: z.string(), baseDir: z.string(), datasetDir: z.string() });
export type RunRef = z.infer<typeof RunRef>;

/** No `domain`: the run folder is the tenant's, the domain is the registry's (an in-flight input that still has it: ignored). */
export const TrainAdapterInput = RunRef.extend({
  baseModelId: z.string().optional(),
  training: TrainingOptions,
  /** Workflows to send `trainingProgress` signals to. */
  progressTo: z.array(z.string()).optional(),
});
export type TrainAdapterInput = z.infer<typeof TrainAdapterInput>;

export const TrainAdapterResult = z.object({
  adapterDir: z.string(),
  runId: z.string(),
  /** What trained it: backend and device (`tensorflow-gpu · GPU 0: …`), as the model card shows. */
  backend: z.string(),
  steps: z.number().int(),
  finalTrainLoss: z.number(),
  finalValLoss: z.number().optional(),
  trainable: z.number().int(),
  total: z.number().int(),
  /** `<run folder>/losses.json` (LOSSES_FILE). */
  lossesFile: z.string(),
});
export type TrainAdapterResult = z.infer<typeof TrainAdapterResult>;

// ── Artifact layout ──────────────────────────────────────────────────────────────────────────────
// A run's folder: `<artifacts>/<tenant>/runs/<runId>/` holding `adapter/` (PEFT), `checkpoints/checkpoint-N/`,
// `kgtune_run.json` (the resolved LoRA and trainer config), LOSSES_FILE, and `evaluation/` (evaluation stage).

/** The loss curve of a run, one point per step: read by the evaluation report and the registry. */
export const LOSSES_FILE = 'losses.json';

export const LossPointSchema = z.object({
  step: z.number().int(),
  /** The step's training loss (on replayed general text when `replay` is set). */
  train: z.number(),
  val: z.number().optional(),
  /** Every micro-batch of the step was general-text replay, not the task's pairs. */
  replay: z.boolean().optional(),
  /** Every micro-batch of the step was general text or self-distillation pairs, at least one of them distillation. */
  distill: z.boolean().optional(),
});
export type LossPoint = z.infer<typeof LossPointSchema>;
export const LossesSchema = z.array(LossPointSchema);

/** Characters of general text the tiny base is pretrained on (buildTinyBase's default); the evaluation holds out what follows. */
export const BASE_PRETRAIN_CHARS = 400_000;

// ── The training device ──────────────────────────────────────────────────────────────────────────
// The device a training worker runs on, as TensorFlow reports it. Pure: the probe itself (a child process that
// loads the build, cli/training-device.ts) is the caller's; these functions read its result. Here, not behind
// training/index.ts, because the model card and `kgtune healthcheck` show it without loading tfjs.

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

/** A GPU as TensorFlow's log names it: its index, and the device record's name and memory. */
export type GpuFromLog = { index: number } & Required<Pick<TrainingDevice, 'name' | 'memoryMiB'>>;

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
export class DeviceError extends PermanentError('DeviceError') {}

/**
 * A worker asked for a GPU (backend tensorflow-gpu on the training queue) that TensorFlow does not see fails at
 * start with one line, unless `allowCpu`. Other backends are CPU backends by choice and always pass.
 */
export function assertDeviceAllowed(d: TrainingDevice, allowCpu: boolean): void {
  if (d.backend !== 'tensorflow-gpu' || d.kind === 'gpu' || allowCpu) return;
  throw new DeviceError(`worker: KGTUNE_TRAIN_BACKEND=tensorflow-gpu but TensorFlow sees no GPU (${d.reason ?? 'no GPU listed'}); check \`nvidia-smi\` and a CUDA 12.3 capable driver (≥ 525.60), or pass --allow-cpu to train on the CPU`);
}
