/**
 * The training stage's contract: zod only, pure (no Node, no tfjs), so workflows may import it.
 *
 * One vocabulary for the training knobs from the Web UI JSON to the trainer: the pipeline input's
 * `training` block is `TrainingOptions`; the LoRA config (training/lora/config.ts) and the trainer's
 * config (training/trainer/config.ts) are built from the same fields with the same defaults, and the
 * knobs the pipeline does not expose are derived from them in one place (`derivedTrainerKnobs`).
 */
import { z } from 'zod';

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
 */
export const REAL_BASE_TRAINING = { steps: 160, batchSize: 8, learningRate: 3e-3, rank: 16, alpha: 32 } as const satisfies Partial<TrainingOptions>;

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

export const TrainAdapterInput = z.object({
  tenant: z.string(),
  domain: z.string(),
  runId: z.string(),
  baseDir: z.string(),
  baseModelId: z.string().optional(),
  datasetDir: z.string(),
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
});
export type LossPoint = z.infer<typeof LossPointSchema>;
export const LossesSchema = z.array(LossPointSchema);

/** Characters of general text the tiny base is pretrained on (buildTinyBase's default); the evaluation holds out what follows. */
export const BASE_PRETRAIN_CHARS = 400_000;
