import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointingByDefault, pretrainBase, RUN_FILE, trainLora } from '../../../training/index.js';
import { adapterVariables, createAdapter, disposeAdapter, type LoraAdapter } from '../../../training/lora/adapter.js';
import { LoraConfigSchema } from '../../../training/lora/config.js';
import type { HfLlamaConfig } from '../../../training/model/config.js';
import type { LlamaModel } from '../../../training/model/llama.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { batchLoss } from '../../../training/model/loss.js';
import { runTraining } from '../../../training/trainer.js';
import { TrainerConfigSchema } from '../../../training/trainer/config.js';
import { type Batch, packedSource } from '../../../training/trainer/data.js';
import { maxAbsDiff, microModel, tmpDir, useWasm } from './helpers.js';

beforeAll(useWasm);

const SHAPE: Partial<HfLlamaConfig> = { hidden_size: 24, intermediate_size: 40, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2 };

function batchOf(B: number, T: number, vocab = 50): Batch {
  const ids = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => ((b * 11 + t * 5) % (vocab - 3)) + 3));
  // the last position of each row is padding: masked out of the loss
  return { inputs: ids, targets: ids.map((r) => [...r.slice(1), 2]), mask: ids.map((r) => r.map((_, t) => (t < T - 1 ? 1 : 0))), tokens: B * T };
}

/** An adapter on every projection whose B is not zero, so every A and B gets a non-zero gradient. */
function adapterFor(m: LlamaModel, dropout: number): LoraAdapter {
  const ad = createAdapter(m.config, LoraConfigSchema.parse({ rank: 3, alpha: 6, dropout }), 4);
  let k = 0;
  for (const mod of ad.modules.values()) mod.B.assign(tf.randomNormal(mod.B.shape, 0, 0.2, 'float32', 100 + k++));
  return ad;
}

interface Step { loss: number; grads: Map<string, Float32Array> }

function gradStep(m: LlamaModel, b: Batch, vars: tf.Variable[], opts: Parameters<typeof batchLoss>[2]): Step {
  const { value, grads } = tf.variableGrads(() => batchLoss(m, b, opts), vars);
  const out = { loss: value.dataSync()[0]!, grads: new Map(Object.entries(grads).map(([n, g]) => [n, g.dataSync() as Float32Array])) };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function expectSame(a: Step, b: Step): void {
  expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5);
  expect([...b.grads.keys()].sort()).toEqual([...a.grads.keys()].sort());
  for (const [n, g] of a.grads) {
    const other = b.grads.get(n)!;
    expect(Math.max(...Array.from(g, Math.abs)), `${n}: gradient is zero, the comparison would prove nothing`).toBeGreaterThan(0);
    expect(maxAbsDiff(g, other), n).toBeLessThan(1e-5);
  }
}

describe('gradient checkpointing', () => {
  for (const dropout of [0, 0.3]) {
    it(`loss and every LoRA gradient equal without it (dropout ${dropout}), and no tensor is left behind`, () => {
      const m = microModel(SHAPE, 7);
      const ad = adapterFor(m, dropout);
      const b = batchOf(2, 12);
      const vars = adapterVariables(ad);
      const off = gradStep(m, b, vars, { lora: ad, dropoutSeed: 9 });
      const before = tf.memory().numTensors;
      const on = gradStep(m, b, vars, { lora: ad, dropoutSeed: 9, gradientCheckpointing: true });
      expect(tf.memory().numTensors).toBe(before);
      expect(on.grads.size).toBe(3 * 7 * 2);
      expectSame(off, on);
      if (dropout > 0) {
        // dropout really is drawn: another seed gives another loss
        const other = gradStep(m, b, vars, { lora: ad, dropoutSeed: 10, gradientCheckpointing: true });
        expect(Math.abs(other.loss - on.loss)).toBeGreaterThan(1e-4);
      }
      disposeAdapter(ad);
      m.dispose();
    });
  }

  it('full-parameter training (base weights of each layer passed to the recomputation, qkv bias) gives the same gradients', () => {
    const m = microModel({ ...SHAPE, model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'] }, 8);
    expect(m.params.has('model.layers.0.self_attn.q_proj.bias')).toBe(true);
    const b = batchOf(2, 10);
    const vars = [...m.params.values()];
    const off = gradStep(m, b, vars, { trainBase: true });
    const on = gradStep(m, b, vars, { trainBase: true, gradientCheckpointing: true });
    expectSame(off, on);
    m.dispose();
  });

  it('logits without a gradient are the same (checkpointing only changes what the backward pass keeps)', () => {
    const m = microModel(SHAPE, 7);
    const ad = adapterFor(m, 0.3);
    const ids = tf.tensor2d([[3, 9, 4, 12, 7]], [1, 5], 'int32');
    const a = tf.tidy(() => forwardLogits(m, ids, { lora: ad, dropoutSeed: 2 }).dataSync());
    const c = tf.tidy(() => forwardLogits(m, ids, { lora: ad, dropoutSeed: 2, gradientCheckpointing: true }).dataSync());
    expect(maxAbsDiff(a, c)).toBe(0);
    ids.dispose();
    disposeAdapter(ad);
    m.dispose();
  });

  it('a few training steps (dropout, accumulation, AdamW) give the same losses and adapter weights', async () => {
    const docs = Array.from({ length: 12 }, (_, i) => Array.from({ length: 40 }, (_, j) => ((i * 7 + j * 3) % 45) + 3));
    const train = async (gradientCheckpointing: boolean): Promise<{ losses: number[]; weights: Float32Array[] }> => {
      const m = microModel(SHAPE, 7);
      const ad = createAdapter(m.config, LoraConfigSchema.parse({ rank: 2, alpha: 4, dropout: 0.2 }), 1);
      const trainables = new Map([...ad.modules.values()].flatMap((mod) => [[`${mod.name}.A`, mod.A], [`${mod.name}.B`, mod.B]] as const));
      const config = TrainerConfigSchema.parse({ steps: 4, batchSize: 2, gradAccum: 2, seqLen: 16, learningRate: 2e-2, warmupSteps: 1, seed: 3, gradientCheckpointing });
      const r = await runTraining(
        { trainables, source: packedSource(docs, 16, 2, 2, 0), loss: (b, seed) => batchLoss(m, b, { lora: ad, dropoutSeed: seed, gradientCheckpointing: config.gradientCheckpointing }) },
        { config },
      );
      const weights = adapterVariables(ad).map((v) => v.dataSync() as Float32Array);
      disposeAdapter(ad);
      m.dispose();
      return { losses: r.losses.map((l) => l.train), weights };
    };
    const off = await train(false);
    const on = await train(true);
    expect(on.losses).toHaveLength(4);
    expect(on.losses[3]!).toBeLessThan(on.losses[0]!);
    for (let i = 0; i < 4; i++) expect(Math.abs(on.losses[i]! - off.losses[i]!)).toBeLessThan(1e-5);
    for (let i = 0; i < on.weights.length; i++) expect(maxAbsDiff(on.weights[i]!, off.weights[i]!)).toBeLessThan(1e-5);
  });

  it('holds measurably less memory at the peak of a gradient step with several layers (tf.profile peak bytes)', async () => {
    const m = microModel({ hidden_size: 48, intermediate_size: 128, num_hidden_layers: 6, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 60 }, 5);
    const ad = adapterFor(m, 0.1);
    const b = batchOf(2, 48, 60);
    const peak = async (gradientCheckpointing: boolean): Promise<number> => {
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => batchLoss(m, b, { lora: ad, dropoutSeed: 1, gradientCheckpointing }), adapterVariables(ad));
        tf.dispose([value, ...Object.values(grads)]);
      });
      return info.peakBytes - before;
    };
    const off = await peak(false);
    const on = await peak(true);
    console.log(`checkpointing: 6 layers, d=48, ff=128, 2 × 48 tokens: peak ${(off / 2 ** 20).toFixed(2)} MiB without, ${(on / 2 ** 20).toFixed(2)} MiB with (${(on / off).toFixed(2)}×)`);
    expect(on).toBeLessThan(off);
    disposeAdapter(ad);
    m.dispose();
  });

  it('trainLora: on by default for real bases where memory is the limit (wasm, GPU), off on the native CPU build; an explicit setting wins, is recorded with the run and changes no loss', async () => {
    expect(checkpointingByDefault(1.1e6, 'wasm')).toBe(false);
    expect(checkpointingByDefault(135e6, 'wasm')).toBe(true);
    expect(checkpointingByDefault(135e6, 'tensorflow-gpu')).toBe(true);
    expect(checkpointingByDefault(135e6, 'tensorflow')).toBe(false);
    const texts = Array.from({ length: 20 }, (_, i) => `Day ${i}: we walk in the park and talk about books.`);
    const baseDir = path.join(await tmpDir(), 'base');
    await pretrainBase({ outDir: baseDir, texts, config: { hidden_size: 16, intermediate_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2 }, steps: 1, seed: 1, trainer: { batchSize: 2, seqLen: 24 }, tokenizer: { merges: 20 } });
    const train = [{ instruction: 'Where is the park?', output: 'East of the city.' }, { instruction: 'What do we talk about?', output: 'Books.' }];
    const run = async (gradientCheckpointing?: boolean): Promise<{ recorded: unknown; losses: number[] }> => {
      const r = await trainLora({ baseDir, train, outDir: await tmpDir(), lora: { rank: 2, dropout: 0.1 }, trainer: { steps: 2, batchSize: 2, seqLen: 24, warmupSteps: 1, ...(gradientCheckpointing === undefined ? {} : { gradientCheckpointing }) } });
      const written = JSON.parse(await readFile(path.join(path.dirname(r.adapterDir), RUN_FILE), 'utf8')) as { trainer: { gradientCheckpointing?: unknown } };
      return { recorded: written.trainer.gradientCheckpointing, losses: r.losses.map((l) => l.train) };
    };
    const byDefault = await run();
    const on = await run(true);
    expect(byDefault.recorded).toBe(false);
    expect(on.recorded).toBe(true);
    for (let i = 0; i < 2; i++) expect(Math.abs(on.losses[i]! - byDefault.losses[i]!)).toBeLessThan(1e-5);
  });
});
