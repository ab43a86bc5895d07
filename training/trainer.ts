import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { TrainingCancelled, TrainingError } from './errors.js';
import { mixSeed } from './internal/rng.js';
import { AdamW } from './trainer/adamw.js';
import { type TrainerState, loadCheckpoint, saveCheckpoint } from './trainer/checkpoint.js';
import type { TrainerConfig } from './trainer/config.js';
import type { Batch, BatchSource } from './trainer/data.js';
import { learningRate } from './trainer/schedule.js';

/** What the loop trains: named variables (stable names for checkpoints) and a loss per micro-batch. */
export interface TrainTask {
  trainables: Map<string, tf.Variable>;
  source: BatchSource;
  /** Mean masked loss of one micro-batch; `dropoutSeed` is set while training, undefined in eval. */
  loss(batch: Batch, dropoutSeed: number | undefined): tf.Scalar;
  /** Validation loss (no dropout), if there is a validation set. */
  evaluate?(): number;
  /** Called after each optimizer update (e.g. to drop cached transposes of updated weights). */
  afterUpdate?(): void;
}

export interface StepInfo {
  step: number;
  totalSteps: number;
  loss: number;
  lr: number;
  tokensPerSec: number;
  valLoss?: number;
  /** Set when a checkpoint was written at this step. */
  checkpointDir?: string;
}

export interface LossPoint {
  step: number;
  /** The step's training loss (on replayed general text when `replay` is set). */
  train: number;
  val?: number;
  /** Every micro-batch of the step was general-text replay, not the task's pairs. */
  replay?: boolean;
  /** Every micro-batch of the step was replay or self-distillation (at least one), not the task's pairs. */
  distill?: boolean;
}

export interface RunOptions {
  config: TrainerConfig;
  /** Checkpoints go to `<checkpointRoot>/checkpoint-<step>`; required for checkpointEvery or cancellation. */
  checkpointRoot?: string;
  resumeFrom?: string;
  signal?: AbortSignal;
  onStep?: (s: StepInfo) => void | Promise<void>;
  /**
   * After every micro-batch (and every validation batch): a step of a real base in micro-batches can
   * outlast an activity's heartbeat timeout, so the caller heartbeats here too.
   */
  onMicroBatch?: () => void | Promise<void>;
}

export interface RunResult {
  losses: LossPoint[];
  steps: number;
  stoppedEarly: boolean;
  lastCheckpoint?: string;
  /** Mean tokens/s over the run's steps. */
  tokensPerSec: number;
}

function snapshot(vars: Map<string, tf.Variable>): Map<string, tf.Tensor> {
  return new Map([...vars].map(([n, v]) => [n, tf.clone(v)]));
}

/**
 * The training loop: AdamW, warmup + cosine, gradient accumulation and clipping, eval with early
 * stopping, checkpoints (parameters, optimizer state, data position), exact resume, cancellation.
 */
export async function runTraining(task: TrainTask, opts: RunOptions): Promise<RunResult> {
  const c = opts.config;
  const vars = task.trainables;
  const nameOf = new Map([...vars].map(([n, v]) => [v.name, n]));
  const varList = [...vars.values()];
  const adam = new AdamW(vars, { beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay });
  const state: TrainerState = { step: 0, adamT: 0, dataPosition: 0, losses: [], bestVal: null, evalsWithoutImprovement: 0, config: { ...c } };
  let best: Map<string, tf.Tensor> | undefined;
  let lastCheckpoint: string | undefined;

  try {
    if (opts.resumeFrom) {
      const ck = await loadCheckpoint(opts.resumeFrom);
      try {
        for (const [n, v] of vars) {
          const t = ck.params.get(n);
          if (!t) throw new TrainingError('InvalidCheckpoint', `checkpoint ${opts.resumeFrom} lacks trainable "${n}"`);
          v.assign(t);
        }
        adam.loadState(ck.state.adamT, ck.optimizer);
        Object.assign(state, ck.state, { config: { ...c } });
      } finally {
        ck.dispose();
      }
      task.afterUpdate?.();
    }

    const save = async (): Promise<string> => {
      if (!opts.checkpointRoot) throw new TrainingError('InvalidCheckpoint', 'checkpointRoot is required to save checkpoints');
      const dir = path.join(opts.checkpointRoot, `checkpoint-${state.step}`);
      state.adamT = adam.t;
      const moments = adam.stateTensors();
      try {
        await saveCheckpoint(dir, state, vars, moments);
      } finally {
        for (const t of moments.values()) t.dispose();
      }
      lastCheckpoint = dir;
      return dir;
    };

    let stoppedEarly = false;
    let tokSum = 0;
    let timeSum = 0;
    while (state.step < c.steps) {
      if (opts.signal?.aborted) {
        const dir = await save();
        throw new TrainingCancelled(dir, state.step);
      }
      const t0 = performance.now();
      const lr = learningRate(state.step, c);
      let lossSum = 0;
      let tokens = 0;
      let replayOnly = true;
      let taskSeen = false;
      let distillSeen = false;
      // the micro-batches' gradients summed as one vector [P] (AdamW's parameter order), averaged and clipped by
      // one scale folded into the update: per-tensor ops on hundreds of LoRA tensors cost more than the math
      let acc: tf.Tensor1D | undefined;
      try {
        for (let micro = 0; micro < c.gradAccum; micro++) {
          const batch = task.source.batch(state.dataPosition);
          tokens += batch.tokens;
          if (!batch.replay) replayOnly = false;
          if (batch.distill) distillSeen = true;
          else if (!batch.replay) taskSeen = true;
          const dropoutSeed = mixSeed(c.seed, state.step, micro);
          const { value, grads } = tf.variableGrads(() => task.loss(batch, dropoutSeed), varList);
          lossSum += (await value.data())[0]!;
          value.dispose();
          const flat = adam.flatten(new Map(Object.entries(grads).map(([vn, g]) => [nameOf.get(vn)!, g]))); // [P]
          tf.dispose(Object.values(grads));
          if (acc) {
            const sum = tf.add(acc, flat) as tf.Tensor1D; // [P]
            acc.dispose();
            flat.dispose();
            acc = sum;
          } else acc = flat;
          state.dataPosition += 1;
          await opts.onMicroBatch?.();
        }
        if (!Number.isFinite(lossSum)) {
          throw new TrainingError('NonFiniteLoss', `loss became ${lossSum / c.gradAccum} at step ${state.step + 1} (lr ${lr.toExponential(2)}): lower the learning rate or check the data; the last checkpoint is ${lastCheckpoint ?? 'none'}`);
        }
        const sumSq = tf.tidy(() => tf.sum(tf.square(acc!)));
        const gnorm = Math.sqrt((await sumSq.data())[0]!) / c.gradAccum; // norm of the mean gradient
        sumSq.dispose();
        if (!Number.isFinite(gnorm)) {
          throw new TrainingError('NonFiniteLoss', `gradient norm became ${gnorm} at step ${state.step + 1}: lower the learning rate or check the data`);
        }
        const clip = gnorm > c.clipNorm ? c.clipNorm / (gnorm + 1e-6) : 1;
        adam.stepFlat(acc!, lr, c.gradAccum === 1 ? clip : clip / c.gradAccum);
      } finally {
        acc?.dispose();
      }
      const loss = lossSum / c.gradAccum;
      task.afterUpdate?.();
      state.step += 1;
      const dt = (performance.now() - t0) / 1000;
      tokSum += tokens;
      timeSum += dt;
      const point: LossPoint = { step: state.step, train: loss, ...(replayOnly ? { replay: true } : !taskSeen && distillSeen ? { distill: true } : {}) };
      const info: StepInfo = { step: state.step, totalSteps: c.steps, loss, lr, tokensPerSec: tokens / dt };

      if (task.evaluate && c.evalEvery > 0 && (state.step % c.evalEvery === 0 || state.step === c.steps)) {
        const val = task.evaluate();
        point.val = val;
        info.valLoss = val;
        if (state.bestVal === null || val < state.bestVal) {
          state.bestVal = val;
          state.evalsWithoutImprovement = 0;
          if (c.keepBestValidation) {
            if (best) for (const t of best.values()) t.dispose();
            best = snapshot(vars);
          }
        } else {
          state.evalsWithoutImprovement += 1;
          if (c.patience > 0 && state.evalsWithoutImprovement >= c.patience) stoppedEarly = true;
        }
      }
      state.losses.push(point);
      if (c.checkpointEvery > 0 && state.step % c.checkpointEvery === 0 && opts.checkpointRoot) info.checkpointDir = await save();
      await opts.onStep?.(info);
      if (stoppedEarly) break;
    }
    // keep the best evaluated weights (load_best_model_at_end)
    if (best && state.losses.at(-1)?.val !== state.bestVal) {
      for (const [n, v] of vars) v.assign(best.get(n)!);
      task.afterUpdate?.();
    }
    return { losses: state.losses, steps: state.step, stoppedEarly, lastCheckpoint, tokensPerSec: timeSum > 0 ? tokSum / timeSum : 0 };
  } finally {
    adam.dispose();
    if (best) for (const t of best.values()) t.dispose();
  }
}
