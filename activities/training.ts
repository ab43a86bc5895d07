import { CancelledFailure, Context, heartbeat } from '@temporalio/activity';
import { fineTuneAdapter, progressReporter, resolveBase, tinyBasePaths, TrainingCancelled, type SendProgress } from '../training/index.js';
import type { EnsureBaseModelInput, EnsureBaseModelResult, TrainAdapterInput, TrainAdapterResult } from '../training/contract.js';
import { BASE_PRETRAIN_CHARS } from '../training/contract.js';
import { envValue, type KgtuneEnv } from '../configs/env.js';
import { classified } from './errors.js';

/** `sendProgress` (wired by the worker: client/handles.ts) reports step / loss / ETA to the workflows; without it only live progress is missing. */
export function createTrainingActivities(deps: { env: KgtuneEnv; sendProgress?: SendProgress }) {
  const { env } = deps;
  const sendProgress: SendProgress = deps.sendProgress ?? (async () => undefined);
  const backend = env.KGTUNE_TRAIN_BACKEND;
  return {
    /**
     * The base "1" the pipeline names (`tiny`, a pulled id, or an HF folder path), resolved to an
     * immutable catalogue folder; `tiny` is pretrained once per seed and reused.
     */
    async ensureBaseModel({ seed, base }: EnsureBaseModelInput): Promise<EnsureBaseModelResult> {
      return classified(async () => {
        const r = await resolveBase(env, base ?? 'tiny', {
          cacheDir: tinyBasePaths(env).cacheDir, seed, backend, maxChars: BASE_PRETRAIN_CHARS,
          onStep: (s) => heartbeat({ phase: 'pretrain', step: s.step, of: s.totalSteps, loss: s.loss }),
        });
        return { baseDir: r.dir, baseModelId: r.id, sha256: r.sha256 };
      });
    },

    /**
     * LoRA on the dataset (training/fine-tune.ts). Heartbeats carry the step, loss and last checkpoint; a
     * retried attempt (worker killed, timeout) resumes from that checkpoint, and a cancellation saves one
     * before stopping.
     */
    async trainAdapter({ tenant, runId, baseDir, baseModelId, datasetDir, training, progressTo }: TrainAdapterInput): Promise<TrainAdapterResult> {
      const ctx = Context.current();
      const details = ctx.info.heartbeatDetails as { checkpointDir?: string } | undefined;
      try {
        return await classified(() => fineTuneAdapter({
          artifactsDir: env.artifactsDir, home: env.home, tenant, runId, baseDir, ...(baseModelId ? { baseModelId } : {}), datasetDir, training, backend,
          probedDevice: envValue('KGTUNE_TRAINING_DEVICE'), heartbeatCheckpoint: details?.checkpointDir, signal: ctx.cancellationSignal,
          heartbeat: (beat) => ctx.heartbeat(beat), onStep: progressReporter(sendProgress, progressTo ?? []),
        }));
      } catch (e) {
        if (e instanceof TrainingCancelled) throw new CancelledFailure(`training cancelled; checkpoint saved at ${e.checkpointDir}`);
        throw e;
      }
    },
  };
}
