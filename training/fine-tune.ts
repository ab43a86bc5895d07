/**
 * One pipeline fine-tuning run: the dataset's train split (val for validation loss) into a LoRA adapter on
 * the chosen base, with the pipeline's training options as they are (training/contract.ts), general-text
 * replay, and resumption from the newest checkpoint. The training activity binds it to Temporal: it passes
 * the last heartbeat's checkpoint, the cancellation signal and a heartbeat callback.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../configs/env.js';
import type { BackendName } from './backend.js';
import { isTinyBaseId } from './bases/tiny.js';
import { distillEveryFor, type TrainAdapterResult, trainedOn, type TrainingOptions } from './contract.js';
import { distillPairs, GENERAL_PROMPTS_FILE, loadGeneralPrompts } from './distill.js';
import { replayTexts } from './general-text.js';
import { trainLora } from './index.js';
import { checkpointStep, resumePoint, runDir, writeLosses } from './run-folder.js';
import type { StepInfo } from './trainer.js';
import type { ChatPair } from './tokenizer/chat.js';
import { readExamples, type Example } from '../synthesis/index.js';
import { loraOptions } from './lora/config.js';
import { trainerOptions } from './trainer/config.js';

/**
 * What a run reports to heartbeat: resumable (`checkpointDir`: where a retry resumes) and readable in the Web UI;
 * before training on a real base, the self-distillation answers generated so far (`distilled` of `distillOf`).
 */
export interface FineTuneBeat { step?: number; of?: number; loss?: number; valLoss?: number; tokensPerSec?: number; checkpointDir?: string; distilled?: number; distillOf?: number }

export interface FineTuneRun {
  artifactsDir: string;
  /** KGTUNE_HOME: the general text replayed and the base's distillation answers are cached there. */
  home: string;
  /** The self-distillation prompts (default examples/general-prompts.json). */
  distillPrompts?: string;
  tenant: string;
  runId: string;
  baseDir: string;
  baseModelId?: string;
  datasetDir: string;
  training: TrainingOptions;
  backend?: BackendName;
  /** The device a kgtune-gpu worker probed (KGTUNE_TRAINING_DEVICE), recorded with the backend. */
  probedDevice?: string;
  /** The checkpoint the previous attempt's last heartbeat named, if this is a retry. */
  heartbeatCheckpoint?: string;
  signal?: AbortSignal;
  /** Called often (loading, every step, between micro-batches) with the resumable progress. */
  heartbeat: (beat: FineTuneBeat) => void;
  /** Every optimiser step (live progress). */
  onStep?: (s: StepInfo) => void;
}

export const toPair = (e: Example): ChatPair => ({ instruction: e.instruction, input: e.input, output: e.output });

/** A catalogue id of the tiny base (`tiny`, `tiny-<12 hex>`) or none (code-level callers train the tiny base). */
export const isTinyBase = (baseModelId: string | undefined): boolean => baseModelId === undefined || isTinyBaseId(baseModelId);

/** Where the base's distillation answers are cached: `<home>/cache/distill`. */
export const distillCacheDir = (home: string): string => path.join(home, 'cache', 'distill');

export async function fineTuneAdapter(o: FineTuneRun): Promise<TrainAdapterResult> {
  const outDir = runDir(o.artifactsDir, o.tenant, o.runId);
  await mkdir(outDir, { recursive: true });
  const examples = await readExamples(o.datasetDir);
  const train = examples.filter((e) => e.split === 'train').map(toPair);
  const val = examples.filter((e) => e.split === 'val').map(toPair);
  const resumeFrom = await resumePoint(outDir, o.heartbeatCheckpoint);
  const t = o.training;
  const replay = t.replayEvery > 0 ? { texts: await replayTexts({ home: o.home }), every: t.replayEvery } : undefined;
  const distillEvery = distillEveryFor(t, !isTinyBase(o.baseModelId));
  let distill: { pairs: ChatPair[]; every: number; prompts: number } | undefined;
  if (distillEvery > 0) {
    const file = o.distillPrompts ?? path.resolve(projectRoot(), 'examples', GENERAL_PROMPTS_FILE);
    const { prompts, sha256 } = await loadGeneralPrompts(file);
    const sha = path.basename(o.baseDir);
    const d = await distillPairs({
      baseDir: o.baseDir, ...(/^[0-9a-f]{64}$/.test(sha) ? { baseSha256: sha } : {}), prompts, promptsSha256: sha256, cacheDir: distillCacheDir(o.home), backend: o.backend,
      onProgress: (p) => o.heartbeat({ ...(resumeFrom ? { step: checkpointStep(resumeFrom) } : {}), checkpointDir: resumeFrom, distilled: p.answered, distillOf: p.of }),
    });
    if (d.pairs.length > 0) distill = { pairs: d.pairs, every: distillEvery, prompts: d.prompts };
  }
  let lastCheckpoint = resumeFrom;
  // Until the first step, heartbeats (loading, encoding) say where this attempt resumes: a retry is seen at once.
  let lastBeat: FineTuneBeat | undefined = resumeFrom ? { step: checkpointStep(resumeFrom) } : undefined;
  o.heartbeat({ ...(lastBeat ?? {}), checkpointDir: lastCheckpoint });
  const onStep = async (s: StepInfo): Promise<void> => {
    if (s.checkpointDir) lastCheckpoint = s.checkpointDir;
    o.onStep?.(s);
    lastBeat = { step: s.step, of: s.totalSteps, loss: Number(s.loss.toFixed(4)), ...(s.valLoss === undefined ? {} : { valLoss: s.valLoss }), tokensPerSec: Math.round(s.tokensPerSec) };
    o.heartbeat({ ...lastBeat, checkpointDir: lastCheckpoint });
    // tfjs steps never yield to the event loop: let it take messages (a cancellation) between steps
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  // between steps too: a real base's step (micro-batches, a validation pass) can outlast the heartbeat timeout
  const onMicroBatch = (): void => o.heartbeat({ ...(lastBeat ?? {}), checkpointDir: lastCheckpoint });
  const r = await trainLora({
    baseDir: o.baseDir, train, val, outDir, resumeFrom, signal: o.signal, backend: o.backend, onStep, onMicroBatch, ...(replay ? { replay } : {}), ...(distill ? { distill } : {}),
    baseModelName: o.baseModelId ?? 'kgtune-tiny-base', adapterName: o.runId,
    // the pipeline's options, field for field: LoRA and trainer configs take the same names (derived knobs: derivedTrainerKnobs)
    lora: loraOptions(t), trainer: trainerOptions(t),
  });
  const lossesFile = await writeLosses(outDir, r.losses);
  const last = r.losses.at(-1);
  const lastTask = [...r.losses].reverse().find((l) => !l.replay && !l.distill);
  const lastVal = [...r.losses].reverse().find((l) => l.val !== undefined)?.val;
  return {
    adapterDir: r.adapterDir, runId: o.runId, backend: trainedOn(r.backend.name, o.probedDevice), steps: last?.step ?? 0,
    finalTrainLoss: lastTask?.train ?? Number.NaN, ...(lastVal !== undefined ? { finalValLoss: lastVal } : {}),
    trainable: r.trainable, total: r.total, lossesFile,
  };
}
