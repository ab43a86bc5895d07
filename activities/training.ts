import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { activityInfo, CancelledFailure, Context, heartbeat } from '@temporalio/activity';
import { buildTinyBase, trainLora, TrainingCancelled, type ChatPair, type StepInfo } from '../training/index.js';
import type { Example } from '../synthesis/model.js';
import type { KgtuneEnv } from '../configs/env.js';
import type { TrainingActivities } from './types.js';
import { classified } from './errors.js';

export const LOSSES_FILE = 'losses.json';

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function readExamples(datasetDir: string): Promise<Example[]> {
  const text = await readFile(path.join(datasetDir, 'examples.jsonl'), 'utf8');
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Example);
}

export const toPair = (e: Example): ChatPair => ({ instruction: e.instruction, input: e.input, output: e.output });

export function tinyBasePaths(env: KgtuneEnv): { outDir: string; cacheDir: string } {
  return { outDir: path.join(env.home, 'models', 'tiny-base'), cacheDir: path.join(env.home, 'cache', 'base-text') };
}

/** Newest `checkpoint-N` folder under `<outDir>/checkpoints`, if any. */
async function latestCheckpoint(outDir: string): Promise<string | undefined> {
  const root = path.join(outDir, 'checkpoints');
  const names = await readdir(root).catch(() => [] as string[]);
  const steps = names.map((n) => /^checkpoint-(\d+)$/.exec(n)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
  if (!steps.length) return undefined;
  const dir = path.join(root, `checkpoint-${Math.max(...steps)}`);
  // A checkpoint is complete only once its state file exists (written last).
  const files = await readdir(dir).catch(() => [] as string[]);
  return files.length ? dir : undefined;
}

export function createTrainingActivities(deps: { env: KgtuneEnv }): TrainingActivities {
  const { env } = deps;
  const backend = env.KGTUNE_TRAIN_BACKEND;
  return {
    /** The tiny base "1", pretrained once on general text and cached (reused when unchanged). */
    async ensureBaseModel({ seed }) {
      return classified(async () => {
        const { outDir, cacheDir } = tinyBasePaths(env);
        await buildTinyBase({ outDir, cacheDir, seed, backend, onStep: (s) => heartbeat({ phase: 'pretrain', step: s.step, of: s.totalSteps, loss: s.loss }) });
        const sha256 = await sha256File(path.join(outDir, 'model.safetensors'));
        return { baseDir: outDir, baseModelId: `kgtune-tiny-base@${sha256.slice(0, 12)}`, sha256 };
      });
    },

    /**
     * LoRA on the dataset's train split (val for validation loss). Heartbeats carry the step, loss and
     * last checkpoint; a retried attempt (worker killed, timeout) resumes from that checkpoint, and a
     * cancellation saves one before stopping.
     */
    async trainAdapter({ tenant, runId, baseDir, datasetDir, training }) {
      const ctx = Context.current();
      const outDir = path.join(env.artifactsDir, tenant, 'runs', runId.replace(/[^A-Za-z0-9_.-]+/g, '_'));
      await mkdir(outDir, { recursive: true });
      const examples = await readExamples(datasetDir);
      const train = examples.filter((e) => e.split === 'train').map(toPair);
      const val = examples.filter((e) => e.split === 'val').map(toPair);
      const details = activityInfo().heartbeatDetails as { checkpointDir?: string } | undefined;
      const resumeFrom = details?.checkpointDir ?? (await latestCheckpoint(outDir));
      let lastCheckpoint = resumeFrom;
      const onStep = (s: StepInfo): void => {
        if (s.checkpointDir) lastCheckpoint = s.checkpointDir;
        ctx.heartbeat({ step: s.step, of: s.totalSteps, loss: Number(s.loss.toFixed(4)), valLoss: s.valLoss, tokensPerSec: Math.round(s.tokensPerSec), checkpointDir: lastCheckpoint });
      };
      try {
        const r = await classified(() => trainLora({
          baseDir, train, val, outDir, resumeFrom, signal: ctx.cancellationSignal, backend, onStep,
          baseModelName: 'kgtune-tiny-base', adapterName: runId,
          lora: { r: training.rank, alpha: training.alpha, dropout: training.dropout, targets: training.targets.map((t) => `${t}_proj` as const) },
          trainer: {
            steps: training.steps, batchSize: training.batchSize, lr: training.learningRate, seed: training.seed,
            checkpointEvery: training.checkpointEvery, evalEvery: Math.max(1, Math.floor(training.steps / 10)), warmupSteps: Math.min(20, Math.floor(training.steps / 10)),
          },
        }));
        const lossesFile = path.join(outDir, LOSSES_FILE);
        await writeFile(lossesFile, JSON.stringify(r.losses));
        const last = r.losses.at(-1);
        const lastVal = [...r.losses].reverse().find((l) => l.val !== undefined)?.val;
        return {
          adapterDir: r.adapterDir, runId, backend: r.backend.name, steps: last?.step ?? 0,
          finalTrainLoss: last?.train ?? Number.NaN, ...(lastVal !== undefined ? { finalValLoss: lastVal } : {}),
          trainable: r.trainable, total: r.total, lossesFile,
        };
      } catch (e) {
        if (e instanceof TrainingCancelled) throw new CancelledFailure(`training cancelled; checkpoint saved at ${lastCheckpoint ?? '(none)'}`);
        throw e;
      }
    },
  };
}
