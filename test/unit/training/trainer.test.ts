import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, loadForGeneration, perplexity, pretrainBase, trainLora, TrainingCancelled, type ChatPair } from '../../../training/index.js';
import { AdamW } from '../../../training/trainer/adamw.js';
import { createAdapter, disposeAdapter } from '../../../training/lora/adapter.js';
import { LoraConfigSchema } from '../../../training/lora/config.js';
import { batchLoss } from '../../../training/model/loss.js';
import { runTraining } from '../../../training/trainer.js';
import { TrainerConfigSchema } from '../../../training/trainer/config.js';
import { packedSource } from '../../../training/trainer/data.js';
import { learningRate } from '../../../training/trainer/schedule.js';
import { microModel, TEST_LORA, TEST_TRAINER, tmpDir, useWasm } from './helpers.js';

const TEXTS = Array.from({ length: 40 }, (_, i) => `第${i}天，我们在公园里散步。Day ${i}: we walk in the park and talk about books.`);
const PAIRS: ChatPair[] = Array.from({ length: 6 }, (_, i) => ({ instruction: `问题${i}：公园在哪里？`, output: `答案${i}：在城市的东边。` }));
const SMALL = { hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2 };
let baseDir = '';

beforeAll(async () => {
  await useWasm();
  baseDir = path.join(await tmpDir(), 'base');
  await pretrainBase({ outDir: baseDir, texts: TEXTS, config: SMALL, steps: 3, seed: 1, trainer: { batchSize: 2, seqLen: 32 }, tokenizer: { merges: 40 } });
}, 600_000);

describe('trainer', () => {
  it('warmup then cosine down to lr·minLrRatio', () => {
    const c = { learningRate: 1, warmupSteps: 2, minLrRatio: 0.1, steps: 12 };
    expect(learningRate(0, c)).toBe(0.5);
    expect(learningRate(1, c)).toBe(1);
    expect(learningRate(2, c)).toBeCloseTo(1, 6);
    expect(learningRate(7, c)).toBeCloseTo(0.55, 6);
    expect(learningRate(12, c)).toBeCloseTo(0.1, 6);
  });

  it('resume: N steps + cancel + resume N steps reproduces 2N straight steps (dropout on, accumulation on)', async () => {
    const trainer = { ...TEST_TRAINER, steps: 6, batchSize: 2, gradAccum: 2, learningRate: 5e-3, warmupSteps: 1, seed: 4, seqLen: 48 };
    const lora = { rank: 2, alpha: 4, dropout: 0.1, targets: ['q', 'v', 'down'] as const };
    const straight = await trainLora({ baseDir, train: PAIRS, lora: { ...lora, targets: [...lora.targets] }, trainer, outDir: await tmpDir() });

    const outDir = await tmpDir();
    const ac = new AbortController();
    const cancelled = await trainLora({
      baseDir, train: PAIRS, lora: { ...lora, targets: [...lora.targets] }, trainer, outDir, signal: ac.signal,
      onStep: (s) => { if (s.step === 3) ac.abort(); },
    }).catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(TrainingCancelled);
    const ck = (cancelled as TrainingCancelled).checkpointDir;
    expect(path.basename(ck)).toBe('checkpoint-3');
    const resumed = await trainLora({ baseDir, train: PAIRS, lora: { ...lora, targets: [...lora.targets] }, trainer, outDir, resumeFrom: ck });

    expect(resumed.losses.map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < 6; i++) expect(Math.abs(resumed.losses[i]!.train - straight.losses[i]!.train)).toBeLessThan(1e-4);
    expect(straight.losses[5]!.train).toBeLessThan(straight.losses[0]!.train);
    expect(straight.trainable).toBe(2 * (32 * 2 + 2 * 32 + 32 * 2 + 2 * 16 + 64 * 2 + 2 * 32));
  });

  it('tensor count is flat across steps (full-parameter mode, gather gradient on wasm)', async () => {
    const m = microModel({}, 5);
    const docs = Array.from({ length: 20 }, (_, i) => Array.from({ length: 30 }, (_, j) => ((i * 7 + j * 3) % 45) + 3));
    const counts: number[] = [];
    const r = await runTraining(
      { trainables: m.params, source: packedSource(docs, 16, 2, 2, 0), loss: (b) => batchLoss(m, b, { trainBase: true }), afterUpdate: () => m.invalidateCaches() },
      { config: TrainerConfigSchema.parse({ ...TEST_TRAINER, steps: 6, batchSize: 2, seqLen: 16, learningRate: 1e-2, warmupSteps: 1 }), onStep: () => void counts.push(tf.memory().numTensors) },
    );
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(r.losses.at(-1)!.train).toBeLessThan(r.losses[0]!.train);
    m.dispose();
  });

  it('no tensor outlives a train + evaluate cycle: the count is the same after each of two (LoRA B and AdamW moments were leaked)', async () => {
    const cycle = async (): Promise<void> => {
      const r = await trainLora({
        baseDir, train: PAIRS, val: PAIRS.slice(0, 2), replay: { texts: TEXTS, every: 2 }, outDir: await tmpDir(),
        lora: { ...TEST_LORA, rank: 4, targets: ['q', 'v', 'gate', 'down'] }, trainer: { ...TEST_TRAINER, steps: 3, batchSize: 2, seqLen: 32, warmupSteps: 1, evalEvery: 1, checkpointEvery: 2 },
      });
      const base = await loadForGeneration({ baseDir });
      const tuned = await loadForGeneration({ baseDir, adapterDir: r.adapterDir, merge: true });
      try {
        for (const m of [base, tuned]) {
          generate(m, ['问题0：公园在哪里？', 'Day 3'], { maxNewTokens: 4, greedy: true });
          perplexity(m, TEXTS.slice(0, 3));
        }
      } finally {
        base.dispose();
        tuned.dispose();
      }
    };
    const before = tf.memory().numTensors;
    await cycle();
    const afterOne = tf.memory().numTensors;
    await cycle();
    expect(afterOne).toBe(before);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('createAdapter + AdamW leave no tensor behind once disposed', () => {
    const m = microModel({}, 7);
    const before = tf.memory().numTensors;
    const adapter = createAdapter(m.config, LoraConfigSchema.parse({ ...TEST_LORA, rank: 2, targets: ['q', 'up'] }), 1);
    const vars = new Map([...adapter.modules.values()].flatMap((x) => [[`${x.name}.A`, x.A], [`${x.name}.B`, x.B]] as const));
    const adam = new AdamW(vars, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    expect(tf.memory().numTensors).toBe(before + vars.size + 2); // the adapter's variables and the two flat moment vectors
    adam.dispose();
    disposeAdapter(adapter);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('an out-of-memory error during LoRA training becomes one OutOfMemory line naming batch size, sequence length and gradAccum', async () => {
    // TensorFlow's own wording for an exhausted GPU allocator, raised where the device would raise it: inside a step.
    const tfOom = 'OOM when allocating tensor with shape[2,4,48,48] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc';
    const err = await trainLora({
      baseDir, train: PAIRS, lora: { ...TEST_LORA, rank: 2, alpha: 4 }, trainer: { ...TEST_TRAINER, steps: 3, batchSize: 2, seqLen: 48 }, outDir: await tmpDir(),
      onStep: () => { throw new Error(tfOom); },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'OutOfMemory' });
    expect((err as Error).message).toMatch(/^training ran out of device memory at batchSize 2 × seqLen 48 \(estimated \d+ MiB.*training\.batchSize.*training\.gradAccum, now 1.*training\.seqLen/);
    const other = await trainLora({
      baseDir, train: PAIRS, lora: { ...TEST_LORA, rank: 2, alpha: 4 }, trainer: { ...TEST_TRAINER, steps: 3, batchSize: 2, seqLen: 48 }, outDir: await tmpDir(),
      onStep: () => { throw new Error('disk full'); },
    }).catch((e: unknown) => e);
    expect((other as Error).message).toBe('disk full');
  });

  it('NaN loss stops the run with a clear error', async () => {
    const m = microModel({}, 6);
    const docs = [Array.from({ length: 60 }, (_, j) => (j % 40) + 3)];
    await expect(
      runTraining(
        { trainables: m.params, source: packedSource(docs, 8, 2, 2, 0), loss: (b) => tf.tidy(() => tf.mul(batchLoss(m, b, { trainBase: true }), NaN) as tf.Scalar) },
        { config: TrainerConfigSchema.parse({ ...TEST_TRAINER, steps: 3, batchSize: 2, seqLen: 8 }) },
      ),
    ).rejects.toThrow(/loss became NaN at step 1/);
    m.dispose();
  });

  it('early stopping on validation loss; eval points recorded', async () => {
    const r = await trainLora({
      baseDir, train: PAIRS.slice(0, 4), val: PAIRS.slice(0, 4).map((p) => ({ ...p, output: 'walk books day park' })),
      lora: { ...TEST_LORA, rank: 2, targets: ['q'] }, trainer: { ...TEST_TRAINER, steps: 40, batchSize: 2, learningRate: 3e-2, warmupSteps: 1, evalEvery: 1, patience: 2 }, outDir: await tmpDir(),
    });
    expect(r.losses.every((l) => l.val !== undefined)).toBe(true);
    expect(r.stoppedEarly).toBe(true);
    expect(r.losses.length).toBeLessThan(40);
  });
});
