import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { activityInfo, CancelledFailure, Context, heartbeat } from '@temporalio/activity';
import { progressReporter, type SendProgress } from './training-progress.js';
import { CHECKPOINT_STATE_FILE, trainLora, TrainingCancelled, type ChatPair, type StepInfo } from '../training/index.js';

import { loadBaseText } from '../training/base-text.js';
import { resolveBase } from '../training/bases/index.js';
import type { Example } from '../synthesis/model.js';
import { envValue, type KgtuneEnv } from '../configs/env.js';
import type { TrainingActivities } from './types.js';
import { classified } from './errors.js';
import { trainedOn } from '../training/device.js';

export const LOSSES_FILE = 'losses.json';
/** Characters of general text the tiny base is pretrained on (buildTinyBase's default); the evaluation holds out what follows. */
export const BASE_PRETRAIN_CHARS = 400_000;

export async function readExamples(datasetDir: string): Promise<Example[]> {
  const text = await readFile(path.join(datasetDir, 'examples.jsonl'), 'utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Example);
}

export const toPair = (e: Example): ChatPair => ({ instruction: e.instruction, input: e.input, output: e.output });

/** The base's own pretraining text, replayed during fine-tuning (never the tail the evaluation holds out). */
export async function replayTexts(env: KgtuneEnv): Promise<string[]> {
  return (await loadBaseText(tinyBasePaths(env).cacheDir, BASE_PRETRAIN_CHARS)).texts;
}

/** Where the general text (tiny base pretraining, replay, held-out perplexity) is cached. */
export function tinyBasePaths(env: KgtuneEnv): { cacheDir: string } {
  return { cacheDir: path.join(env.home, 'cache', 'base-text') };
}

const stepOf = (dir: string): number => Number(/checkpoint-(\d+)$/.exec(dir)?.[1] ?? -1);

/** Newest complete `checkpoint-N` folder under `<outDir>/checkpoints` (its state file is written last). */
export async function latestCheckpoint(outDir: string): Promise<string | undefined> {
  const root = path.join(outDir, 'checkpoints');
  const names = await readdir(root).catch(() => [] as string[]);
  const dirs = names.filter((n) => /^checkpoint-\d+$/.test(n)).map((n) => path.join(root, n)).sort((a, b) => stepOf(b) - stepOf(a));
  for (const dir of dirs) {
    if (await access(path.join(dir, CHECKPOINT_STATE_FILE)).then(() => true, () => false)) return dir;
  }
  return undefined;
}

/**
 * Where a retried attempt resumes: the newer of the last heartbeat's checkpoint and the newest complete
 * one on disk (heartbeats are throttled by the server, so the heartbeat's can be a minute old).
 */
export async function resumePoint(outDir: string, heartbeatCheckpoint: string | undefined): Promise<string | undefined> {
  const onDisk = await latestCheckpoint(outDir);
  const hb = heartbeatCheckpoint && (await access(path.join(heartbeatCheckpoint, CHECKPOINT_STATE_FILE)).then(() => true, () => false)) ? heartbeatCheckpoint : undefined;
  if (!hb) return onDisk;
  if (!onDisk) return hb;
  return stepOf(onDisk) > stepOf(hb) ? onDisk : hb;
}

/** `sendProgress` (wired by the worker: client/handles.ts) reports step / loss / ETA to the workflows; without it only live progress is missing. */
export function createTrainingActivities(deps: { env: KgtuneEnv; sendProgress?: SendProgress }): TrainingActivities {
  const { env } = deps;
  const sendProgress: SendProgress = deps.sendProgress ?? (async () => undefined);
  const backend = env.KGTUNE_TRAIN_BACKEND;
  return {
    /**
     * The base "1" the pipeline names (`tiny`, a pulled id, or an HF folder path), resolved to an
     * immutable catalogue folder; `tiny` is pretrained once per seed and reused.
     */
    async ensureBaseModel({ seed, base }) {
      return classified(async () => {
        const r = await resolveBase(env, base ?? 'tiny', {
          cacheDir: tinyBasePaths(env).cacheDir, seed, backend, maxChars: BASE_PRETRAIN_CHARS,
          onStep: (s) => heartbeat({ phase: 'pretrain', step: s.step, of: s.totalSteps, loss: s.loss }),
        });
        return { baseDir: r.dir, baseModelId: r.id, sha256: r.sha256 };
      });
    },

    /**
     * LoRA on the dataset's train split (val for validation loss). Heartbeats carry the step, loss and
     * last checkpoint; a retried attempt (worker killed, timeout) resumes from that checkpoint, and a
     * cancellation saves one before stopping.
     */
    async trainAdapter({ tenant, runId, baseDir, baseModelId, datasetDir, training, progressTo }) {
      const ctx = Context.current();
      const outDir = path.join(env.artifactsDir, tenant, 'runs', runId.replace(/[^A-Za-z0-9_.-]+/g, '_'));
      await mkdir(outDir, { recursive: true });
      const examples = await readExamples(datasetDir);
      const train = examples.filter((e) => e.split === 'train').map(toPair);
      const val = examples.filter((e) => e.split === 'val').map(toPair);
      const details = activityInfo().heartbeatDetails as { checkpointDir?: string } | undefined;
      const resumeFrom = await resumePoint(outDir, details?.checkpointDir);
      const replay = training.replayEvery > 0 ? { texts: await replayTexts(env), every: training.replayEvery } : undefined;
      let lastCheckpoint = resumeFrom;
      // Until the first step, heartbeats (loading, encoding) say where this attempt resumes: a retry is seen at once.
      let lastBeat: Record<string, unknown> | undefined = resumeFrom ? { step: stepOf(resumeFrom) } : undefined;
      ctx.heartbeat({ ...(lastBeat ?? {}), checkpointDir: lastCheckpoint });
      const report = progressReporter(sendProgress, progressTo ?? []);
      const onStep = async (s: StepInfo): Promise<void> => {
        if (s.checkpointDir) lastCheckpoint = s.checkpointDir;
        report(s);
        lastBeat = { step: s.step, of: s.totalSteps, loss: Number(s.loss.toFixed(4)), valLoss: s.valLoss, tokensPerSec: Math.round(s.tokensPerSec) };
        ctx.heartbeat({ ...lastBeat, checkpointDir: lastCheckpoint });
        // tfjs steps never yield to the event loop: let it take messages (a cancellation) between steps
        await new Promise<void>((resolve) => setImmediate(resolve));
      };
      // between steps too: a real base's step (micro-batches, a validation pass) can outlast the heartbeat timeout
      const onMicroBatch = (): void => ctx.heartbeat({ ...(lastBeat ?? {}), checkpointDir: lastCheckpoint });
      try {
        const r = await classified(() => trainLora({
          baseDir, train, val, outDir, resumeFrom, signal: ctx.cancellationSignal, backend, onStep, onMicroBatch, ...(replay ? { replay } : {}),
          baseModelName: baseModelId ?? 'kgtune-tiny-base', adapterName: runId,
          lora: { r: training.rank, alpha: training.alpha, dropout: training.dropout, targets: training.targets.map((t) => `${t}_proj` as const) },
          trainer: {
            steps: training.steps, batchSize: training.batchSize, lr: training.learningRate, seed: training.seed,
            checkpointEvery: training.checkpointEvery, loadBestAtEnd: training.keepBestValidation, gradientCheckpointing: training.gradientCheckpointing, evalEvery: Math.max(1, Math.floor(training.steps / 10)), warmupSteps: Math.min(20, Math.floor(training.steps / 10)),
          },
        }));
        const lossesFile = path.join(outDir, LOSSES_FILE);
        await writeFile(lossesFile, JSON.stringify(r.losses));
        const last = r.losses.at(-1);
        const lastTask = [...r.losses].reverse().find((l) => !l.replay);
        const lastVal = [...r.losses].reverse().find((l) => l.val !== undefined)?.val;
        return {
          adapterDir: r.adapterDir, runId, backend: trainedOn(r.backend.name, envValue('KGTUNE_TRAINING_DEVICE')), steps: last?.step ?? 0,
          finalTrainLoss: lastTask?.train ?? Number.NaN, ...(lastVal !== undefined ? { finalValLoss: lastVal } : {}),
          trainable: r.trainable, total: r.total, lossesFile,
        };
      } catch (e) {
        if (e instanceof TrainingCancelled) throw new CancelledFailure(`training cancelled; checkpoint saved at ${lastCheckpoint ?? '(none)'}`);
        throw e;
      }
    },
  };
}
