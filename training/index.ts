import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { type BackendInfo, type BackendName, selectBackend } from './backend.js';
import { type GenerateOptions, type GenerationModel, generate as generateImpl, perplexity as perplexityImpl } from './generate.js';
import { adapterVariables, countParams, createAdapter, disposeAdapter, mergeAdapter } from './lora/adapter.js';
import { type LoraConfigInput, parseLoraConfig } from './lora/config.js';
import { loadAdapter, peftKey, saveAdapter } from './lora/peft.js';
import { type HfLlamaConfig, resolveConfig, tinyHfConfig } from './model/config.js';
import { loadModel, saveModel } from './model/io.js';
import { LlamaModel } from './model/llama.js';
import { batchLoss } from './model/loss.js';
import { initParams } from './model/weights.js';
import { Tokenizer } from './tokenizer/tokenizer.js';
import { type ChatPair, encodeChat } from './tokenizer/chat.js';
import { type TrainTokenizerOptions, trainTokenizer } from './tokenizer/train-bpe.js';
import { type LossPoint, type StepInfo, runTraining } from './trainer.js';
import { parseTrainerConfig, type TrainerConfig, type TrainerConfigInput } from './trainer/config.js';
import { type Batch, bucketedSource, interleavedSource, packedSource } from './trainer/data.js';
import { isOutOfMemory, outOfMemoryError } from './gpu-memory.js';
import { z } from 'zod';
import { sha256Hex } from '../configs/hash.js';
import { LossesSchema } from './contract.js';

export { selectBackend, currentBackend, type BackendInfo, type BackendName } from './backend.js';
export { TrainingError, TrainingCancelled, type TrainingErrorType } from './errors.js';
export { type ChatPair, promptText, encodeChat } from './tokenizer/chat.js';
export { Tokenizer } from './tokenizer/tokenizer.js';
export { BpeEncoder } from './tokenizer/bpe.js';
export { type ChatMessage, chatPrompt, encodeConversation, encodePrompt, renderChat } from './tokenizer/chat.js';
export { trainTokenizer } from './tokenizer/train-bpe.js';
export { type LoraConfig, type LoraConfigInput, LoraConfigSchema, loraScaling } from './lora/config.js';
export { LORA_TARGETS, type LoraTarget, peftModule, TrainingOptions, type TrainingOptionsRaw, REAL_BASE_TRAINING, DISTILL_EVERY_REAL, DISTILL_MAX_NEW_TOKENS, distillEveryFor, derivedTrainerKnobs, BASE_PRETRAIN_CHARS, LOSSES_FILE, type TrainAdapterResult } from './contract.js';
export { type TrainerConfig, type TrainerConfigInput, TrainerConfigSchema } from './trainer/config.js';
export { type HfLlamaConfig, HfLlamaConfigSchema, resolveConfig, tinyHfConfig } from './model/config.js';
export { loadModel, saveModel } from './model/io.js';
export { LlamaModel } from './model/llama.js';
export { loadAdapter, saveAdapter } from './lora/peft.js';
export { createAdapter, mergeAdapter, unmergeAdapter, deltaWeight } from './lora/adapter.js';
export type { GenerateOptions, GenerationModel } from './generate.js';
export type { StepInfo, LossPoint } from './trainer.js';
// the pieces the benches and the interop check drive directly
export { adapterVariables, countParams, disposeAdapter, type LoraAdapter } from './lora/adapter.js';
export { forwardLogits } from './model/llama.js';
export { batchLoss } from './model/loss.js';
export { initParams } from './model/weights.js';
export { runTraining } from './trainer.js';
export { bucketedSource, interleavedSource, packedSource, type Batch, type BatchSource } from './trainer/data.js';
export { generateIds, promptIds, PERPLEXITY_MAX_TOKENS } from './generate.js';
export { baseParameters, estimateTrainingMemory, stepActivationBytes, type MemoryShape } from './gpu-memory.js';
// the host: backends, native builds, the training device (its record lives in training/contract.ts, so a process
// that must not load tfjs reads it from there), the general text of the tiny base, the base catalogue
export { defaultBackend } from './backend.js';
export { NATIVE_FLAVORS, nativeAvailable, nativePackageDir, nativeRoot, withCudaLibraryPath, type NativeFlavor } from './native.js';
export {
  assertDeviceAllowed, DeviceError, deviceFromProbe, deviceLine, gpuDevicesFromLog, NO_GPU_LISTED, splitTrainedOn, TrainingDeviceSchema,
  type TrainingDevice,
} from './contract.js';
export { loadBaseText, type BaseText } from './base-text.js';
export * from './bases/index.js';

export const TOKENIZER_FILE = 'tokenizer.json';
export const RUN_FILE = 'kgtune_run.json';

export interface PretrainBaseOptions {
  outDir: string;
  /** General (non-domain) text, one document per entry. */
  texts: string[];
  /** Overrides of the tiny HF config (vocab_size comes from the tokenizer). */
  config?: Partial<HfLlamaConfig>;
  trainer?: TrainerConfigInput;
  tokenizer?: TrainTokenizerOptions;
  steps: number;
  seed: number;
  backend?: BackendName;
  /** Std of the embedding init (default 0.1, see initParams). */
  embedInitStd?: number;
  /** Skip training when outDir already holds a base built from the same texts and settings. */
  reuseIfSame?: boolean;
  onStep?: (s: StepInfo) => void | Promise<void>;
}

export interface PretrainBaseResult {
  modelDir: string;
  losses: LossPoint[];
  tokensPerSec: number;
  backend: BackendInfo;
  reused: boolean;
}

/** What pretrainBase reads back from a previous build's RUN_FILE to decide whether to reuse it. */
const PretrainRunRecord = z.object({ digest: z.string().optional(), losses: LossesSchema.optional(), tokensPerSec: z.number().optional() });

/** Full-parameter pretraining's trainer settings; no validation set (no evaluations), checkpoints only on cancellation and at the end. */
export function pretrainTrainerConfig(o: Pick<PretrainBaseOptions, 'trainer' | 'steps' | 'seed'>): TrainerConfig {
  return parseTrainerConfig({ learningRate: 1e-3, warmupSteps: 20, weightDecay: 0.1, batchSize: 8, seqLen: 128, evalEvery: 0, checkpointEvery: 0, ...o.trainer, steps: o.steps, seed: o.seed });
}

/**
 * The trainer settings a pretrained base's digest is taken over, under the names and in the order they had
 * when bases were first built (`lr`; keepBestValidation left out: it cannot change a run without
 * validation), so renaming the trainer's fields did not retrain stored bases.
 */
export function pretrainDigestView(t: TrainerConfig): Record<string, number> {
  return {
    steps: t.steps, batchSize: t.batchSize, gradAccum: t.gradAccum, seqLen: t.seqLen, lr: t.learningRate, warmupSteps: t.warmupSteps,
    minLrRatio: t.minLrRatio, weightDecay: t.weightDecay, beta1: t.beta1, beta2: t.beta2, eps: t.eps, clipNorm: t.clipNorm,
    evalEvery: t.evalEvery, patience: t.patience, checkpointEvery: t.checkpointEvery, seed: t.seed,
  };
}

/** Pretrain the tiny base (full parameters) and write an HF folder: config.json, model.safetensors, tokenizer.json. */
export async function pretrainBase(o: PretrainBaseOptions): Promise<PretrainBaseResult> {
  const backend = await selectBackend(o.backend);
  const trainer = pretrainTrainerConfig(o);
  const digest = sha256Hex(JSON.stringify({ texts: o.texts, config: o.config ?? {}, trainer: pretrainDigestView(trainer), tokenizer: o.tokenizer ?? {}, embedInitStd: o.embedInitStd ?? 0.1 }));
  if (o.reuseIfSame) {
    try {
      const prev = PretrainRunRecord.parse(JSON.parse(await readFile(path.join(o.outDir, RUN_FILE), 'utf8')));
      if (prev.digest === digest) return { modelDir: o.outDir, losses: prev.losses ?? [], tokensPerSec: prev.tokensPerSec ?? 0, backend, reused: true };
    } catch {
      // no previous base: train
    }
  }
  const tok = trainTokenizer(o.texts, o.tokenizer);
  const hf = tinyHfConfig(tok.size, { ...o.config, bos_token_id: tok.bosId, eos_token_id: tok.eosId, pad_token_id: tok.padId });
  const mc = resolveConfig(hf);
  const model = new LlamaModel(mc, initParams(mc, o.seed, 0.02, o.embedInitStd ?? 0.1));
  try {
    const docs = o.texts.map((t) => [tok.bosId, ...tok.encode(t)]);
    const source = packedSource(docs, trainer.seqLen, trainer.batchSize, tok.eosId, trainer.seed);
    const result = await runTraining(
      {
        trainables: model.params,
        source,
        loss: (b: Batch) => batchLoss(model, b, { trainBase: true, gradientCheckpointing: trainer.gradientCheckpointing }),
        afterUpdate: () => model.invalidateCaches(),
      },
      { config: trainer, checkpointRoot: path.join(o.outDir, 'checkpoints'), onStep: o.onStep },
    );
    await saveModel(model, o.outDir);
    await tok.save(path.join(o.outDir, TOKENIZER_FILE));
    await writeFile(
      path.join(o.outDir, RUN_FILE),
      JSON.stringify({ kind: 'pretrain', digest, backend, trainer, tokenizer: o.tokenizer ?? {}, parameters: model.parameterCount(), tokensPerSec: result.tokensPerSec, losses: result.losses }, null, 1),
    );
    return { modelDir: o.outDir, losses: result.losses, tokensPerSec: result.tokensPerSec, backend, reused: false };
  } finally {
    model.dispose();
  }
}

export interface TrainLoraOptions {
  baseDir: string;
  train: ChatPair[];
  val?: ChatPair[];
  lora?: LoraConfigInput;
  trainer?: TrainerConfigInput;
  outDir: string;
  /** A checkpoint folder (`<outDir>/checkpoints/checkpoint-N`) to continue from. */
  resumeFrom?: string;
  /**
   * General text replayed during fine-tuning (language-model loss on every token, packed like
   * pretraining) so the adapter does not make the base forget how to write: one micro-batch in
   * `replay.every` comes from it.
   */
  replay?: { texts: string[]; every: number };
  /**
   * Self-distillation pairs (general prompts answered by the base, training/distill.ts), trained like the task's
   * pairs (loss on the answer only): one instruction micro-batch in `distill.every` comes from them.
   */
  distill?: { pairs: ChatPair[]; every: number; prompts?: number };
  signal?: AbortSignal;
  backend?: BackendName;
  /** Written into adapter_config.json as base_model_name_or_path. */
  baseModelName?: string;
  adapterName?: string;
  onStep?: (s: StepInfo) => void | Promise<void>;
  /** After loading, every 32 encoded pairs, every micro-batch and validation batch: for heartbeats. */
  onMicroBatch?: () => void;
}

export interface TrainLoraResult {
  adapterDir: string;
  losses: LossPoint[];
  trainable: number;
  total: number;
  backend: BackendInfo;
  tokensPerSec: number;
  stoppedEarly: boolean;
}

/** LoRA fine-tuning on instruction pairs; writes a PEFT adapter to `<outDir>/adapter`. */
export async function trainLora(o: TrainLoraOptions): Promise<TrainLoraResult> {
  const backend = await selectBackend(o.backend);
  const lora = parseLoraConfig(o.lora ?? {});
  const trainer = parseTrainerConfig(o.trainer ?? {});
  const model = await loadModel(o.baseDir);
  const tok = await Tokenizer.load(path.join(o.baseDir, TOKENIZER_FILE));
  const adapter = createAdapter(model.config, lora, trainer.seed);
  try {
    // pairs are never cut at seqLen: a truncated answer teaches a wrong ending (a real base's chat
    // template adds a system turn, and its byte-level BPE spends 1–3 tokens per Chinese character)
    const pairLen = pairLength(trainer.seqLen, model.config.maxPositions);
    o.onMicroBatch?.();
    const enc = (ps: ChatPair[]) =>
      ps.map((p, i) => {
        if (i % 32 === 31) o.onMicroBatch?.();
        return encodeChat(tok, p, pairLen);
      });
    trainer.gradientCheckpointing = o.trainer?.gradientCheckpointing ?? checkpointingByDefault(model.parameterCount(), backend.name);
    const micro = microBatch(model.parameterCount(), trainer.batchSize);
    if (micro.gradAccum > 1) Object.assign(trainer, { batchSize: micro.batchSize, gradAccum: trainer.gradAccum * micro.gradAccum });
    const taskPairs = bucketedSource(enc(o.train), trainer.batchSize, tok.padId, trainer.seed);
    const pairs = o.distill?.pairs.length ? interleavedSource(taskPairs, bucketedSource(enc(o.distill.pairs), trainer.batchSize, tok.padId, trainer.seed + 1), o.distill.every, 'distill') : taskPairs;
    const source = o.replay?.texts.length
      ? interleavedSource(pairs, packedSource(o.replay.texts.map((t) => [...tok.prefixIds, ...tok.encode(t)]), trainer.seqLen, trainer.batchSize, tok.eosId, trainer.seed), o.replay.every)
      : pairs;
    const valSource = o.val?.length ? bucketedSource(enc(o.val), trainer.batchSize, tok.padId, trainer.seed) : undefined;
    const trainables = new Map<string, tf.Variable>();
    for (const m of adapter.modules.values()) {
      trainables.set(peftKey(m.name, 'A'), m.A);
      trainables.set(peftKey(m.name, 'B'), m.B);
    }
    const adapterName = o.adapterName ?? path.basename(o.outDir);
    const oom = (e: unknown) => (isOutOfMemory(e) ? outOfMemoryError(model.config, { ...trainer, loraR: lora.rank, loraTargets: lora.targets.length }) : e);
    const result = await runTraining(
      {
        trainables,
        source,
        loss: (b, seed) => batchLoss(model, b, { lora: adapter, dropoutSeed: seed, gradientCheckpointing: trainer.gradientCheckpointing }),
        evaluate: valSource
          ? () => {
              let s = 0;
              for (let k = 0; k < valSource.batchesPerEpoch; k++) {
                const l = batchLoss(model, valSource.batch(k), { lora: adapter });
                s += l.dataSync()[0]!;
                l.dispose();
                o.onMicroBatch?.();
              }
              return s / valSource.batchesPerEpoch;
            }
          : undefined,
      },
      { config: trainer, checkpointRoot: path.join(o.outDir, 'checkpoints'), resumeFrom: o.resumeFrom, signal: o.signal, onStep: o.onStep, onMicroBatch: o.onMicroBatch },
    ).catch((e: unknown) => {
      throw oom(e);
    });
    const adapterDir = path.join(o.outDir, 'adapter');
    const trainable = countParams(adapterVariables(adapter));
    const total = model.parameterCount() + trainable;
    await saveAdapter(adapter, adapterDir, { baseModel: o.baseModelName ?? o.baseDir, name: adapterName });
    await mkdir(o.outDir, { recursive: true });
    await writeFile(
      path.join(o.outDir, RUN_FILE),
      JSON.stringify({ kind: 'lora', backend, lora, trainer, replay: o.replay ? { texts: o.replay.texts.length, every: o.replay.every } : undefined, distill: o.distill ? distillRecord(o.distill, o.replay?.texts.length ? o.replay.every : 0) : undefined, baseDir: o.baseDir, trainable, total, tokensPerSec: result.tokensPerSec, stoppedEarly: result.stoppedEarly, losses: result.losses }, null, 1),
    );
    return { adapterDir, losses: result.losses, trainable, total, backend, tokensPerSec: result.tokensPerSec, stoppedEarly: result.stoppedEarly };
  } finally {
    disposeAdapter(adapter);
    model.dispose();
  }
}

/**
 * What kgtune_run.json records of self-distillation: the pairs, the prompts they came from, the interval and the
 * share of all micro-batches (replay takes its 1 in `replayEvery` first: 3/16 with both at 4).
 */
export function distillRecord(d: { pairs: readonly unknown[]; every: number; prompts?: number }, replayEvery: number): { pairs: number; prompts?: number; every: number; share: number } {
  const outside = replayEvery > 0 ? 1 - 1 / replayEvery : 1;
  return { pairs: d.pairs.length, ...(d.prompts === undefined ? {} : { prompts: d.prompts }), every: d.every, share: d.pairs.length ? outside / d.every : 0 };
}

/** Longest instruction pair trained on, in tokens: at least seqLen+1 and 257 (a system turn + a long Chinese pair), within the context. */
export function pairLength(seqLen: number, maxPositions: number): number {
  return Math.min(Math.max(seqLen + 1, 257), maxPositions);
}

/** Parameters above which a batch is split into micro-batches of MICRO_BATCH (gradients accumulated). */
export const MICRO_BATCH_ABOVE_PARAMS = 50e6;
export const MICRO_BATCH = 2;

/**
 * The same effective batch, in micro-batches when the model is large: activations saved for the
 * backward pass grow with batch × length (SmolLM2-135M, 4 × 128 tokens: ~9.8 GB of tensors at the
 * peak on tfjs-node, bench/train.ts), so a 135M base at the tiny base's batch of 16 does not fit a 24 GB machine.
 */
export function microBatch(parameters: number, batchSize: number): { batchSize: number; gradAccum: number } {
  if (parameters <= MICRO_BATCH_ABOVE_PARAMS || batchSize <= MICRO_BATCH) return { batchSize, gradAccum: 1 };
  const gradAccum = Math.ceil(batchSize / MICRO_BATCH);
  return { batchSize: Math.ceil(batchSize / gradAccum), gradAccum };
}

/**
 * training.gradientCheckpointing when the run does not say: on for bases above MICRO_BATCH_ABOVE_PARAMS (the real
 * bases) where memory is the limit — the wasm backend's 4 GB heap and a GPU's memory — and off on the native CPU
 * build (`tensorflow`), where host memory is plentiful and the recomputation only costs time. Measured
 * (bench/checkpointing.ts, SmolLM2-135M shape, LoRA r 8, 2-core machine): wasm — without it a step does not fit the
 * heap even at 1 × 128 tokens; with it 1 × 128 peaks at 0.78 GiB of tensors, 4 × 128 at 2.11 GiB. Native
 * (tensorflow-gpu build on CPU) — peak 0.24× / 0.20× at 1 × 128 / 4 × 128 for 1.20× / 1.88× the step time
 * (3.27 → 0.79 GiB, 10.86 → 2.12 GiB). Off for the tiny base: its step holds tens of MB.
 */
export function checkpointingByDefault(parameters: number, backend: BackendName): boolean {
  return parameters > MICRO_BATCH_ABOVE_PARAMS && backend !== 'tensorflow';
}

export interface LoadedModel extends GenerationModel {
  dispose(): void;
}

/** Load a base (and optionally an adapter, merged into the weights for speed) for generation. */
export async function loadForGeneration(o: { baseDir: string; adapterDir?: string; merge?: boolean; backend?: BackendName }): Promise<LoadedModel> {
  await selectBackend(o.backend);
  const model = await loadModel(o.baseDir);
  const tokenizer = await Tokenizer.load(path.join(o.baseDir, TOKENIZER_FILE));
  const adapter = o.adapterDir ? await loadAdapter(o.adapterDir, model.config) : undefined;
  if (adapter && o.merge !== false) mergeAdapter(model, adapter);
  return {
    model,
    tokenizer,
    adapter,
    dispose: () => {
      if (adapter) disposeAdapter(adapter);
      model.dispose();
    },
  };
}

/** Batched generation with a KV cache (greedy, or top-p with a seed). Prompts are raw text. */
export function generate(model: GenerationModel, prompts: string[], opts: GenerateOptions): string[] {
  return generateImpl(model, prompts, opts);
}

/** Perplexity of the model (with its adapter, if any) on texts. */
export function perplexity(model: GenerationModel, texts: string[], onText?: () => void): number {
  return perplexityImpl(model, texts, onText);
}

export interface BuildTinyBaseOptions {
  outDir: string;
  /** Where the Debian text packages are downloaded and unpacked once. */
  cacheDir: string;
  /** Character budget of general text (default 400 k ≈ 270 k tokens). */
  maxChars?: number;
  /** Default 150 steps × 8 × 128 tokens: about 3 minutes on one core with wasm. */
  steps?: number;
  seed?: number;
  backend?: BackendName;
  onStep?: (s: StepInfo) => void | Promise<void>;
}

/** How the tiny base is pretrained (full parameters, no validation): a code-level caller's own settings. */
export const TINY_BASE_TRAINER = { batchSize: 8, seqLen: 128, learningRate: 2e-3, warmupSteps: 15, weightDecay: 0.1 } as const satisfies TrainerConfigInput;

/** The base "1": the tiny built-in model pretrained on general text (BASE-TEXT.md); reused when unchanged. */
export async function buildTinyBase(o: BuildTinyBaseOptions): Promise<PretrainBaseResult> {
  const { loadBaseText } = await import('./base-text.js');
  const text = await loadBaseText(o.cacheDir, o.maxChars ?? 400_000);
  return pretrainBase({
    outDir: o.outDir,
    texts: text.texts,
    steps: o.steps ?? 150,
    seed: o.seed ?? 1,
    backend: o.backend,
    trainer: TINY_BASE_TRAINER,
    reuseIfSame: true,
    onStep: o.onStep,
  });
}

/** Write base + adapter merged into one HF folder (config.json, model.safetensors, tokenizer.json). */
export async function exportMerged(o: { baseDir: string; adapterDir: string; outDir: string; backend?: BackendName }): Promise<{ modelDir: string }> {
  const gm = await loadForGeneration({ ...o, merge: true });
  try {
    await saveModel(gm.model, o.outDir);
    await gm.tokenizer.save(path.join(o.outDir, TOKENIZER_FILE));
    return { modelDir: o.outDir };
  } finally {
    gm.dispose();
  }
}
export { STATE_FILE as CHECKPOINT_STATE_FILE } from './trainer/checkpoint.js';
export { distillCacheDir, fineTuneAdapter, isTinyBase, toPair, type FineTuneBeat, type FineTuneRun } from './fine-tune.js';
export { distillCacheKey, distillPairs, finishedAnswer, GENERAL_PROMPTS_FILE, loadGeneralPrompts, type DistillResult, type GeneralPrompt } from './distill.js';
export { progressReporter, type SendProgress } from './progress.js';
export { replayTexts, tinyBasePaths } from './general-text.js';
export { checkpointStep, latestCheckpoint, readLosses, resumePoint, runDir, writeLosses } from './run-folder.js';
export { resolveBase } from './bases/index.js';
