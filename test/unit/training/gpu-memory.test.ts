import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdapter, disposeAdapter, adapterVariables } from '../../../training/lora/adapter.js';
import { LoraConfigSchema } from '../../../training/lora/config.js';
import { batchLoss } from '../../../training/model/loss.js';
import { baseParameters, estimateTrainingMemory, isOutOfMemory, joinedWeightFloats, outOfMemoryError, stepActivationBytes } from '../../../training/gpu-memory.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { microModel, useWasm } from './helpers.js';

beforeAll(useWasm);

describe('GPU memory estimate', () => {
  it('counts the base parameters exactly', () => {
    for (const o of [{}, { tie_word_embeddings: true }, { num_hidden_layers: 3, num_key_value_heads: 4 }]) {
      const m = microModel(o);
      expect(baseParameters(m.config)).toBe(m.parameterCount());
      m.dispose();
    }
  });

  it('activations, logits and backward weight copies are within 15 % of the bytes tfjs holds at the peak of a LoRA gradient step, with and without checkpointing (shapes outside the fit)', async () => {
    const cases = [[96, 160, 6, 2, 300, 3, 48, 2, false], [48, 200, 4, 4, 120, 2, 40, 2, false], [96, 160, 6, 2, 300, 3, 48, 6, true], [64, 256, 4, 2, 500, 2, 64, 5, true]] as const;
    for (const [hidden, ff, heads, kv, vocab, B, T, layers, gradientCheckpointing] of cases) {
      const m = microModel({ vocab_size: vocab, hidden_size: hidden, intermediate_size: ff, num_attention_heads: heads, num_key_value_heads: kv, num_hidden_layers: layers, max_position_embeddings: 64 }, 4);
      const lora = LoraConfigSchema.parse({ rank: 4, alpha: 8, dropout: 0.1 });
      const adapter = createAdapter(m.config, lora, 1);
      const ids = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => ((b * 7 + t * 3) % (vocab - 3)) + 3));
      const batch = { inputs: ids, targets: ids.map((r) => [...r.slice(1), 2]), mask: ids.map((r) => r.map(() => 1)), tokens: B * T };
      // the joined q|k|v and gate|up weights are made by the first forward pass and then kept: weights, not the step's
      const warm = () => tf.tidy(() => forwardLogits(m, tf.tensor2d([ids[0]!], [1, T], 'int32'), { lora: adapter }));
      warm();
      const cached = tf.memory().numBytes;
      m.invalidateCaches(); // drops them, and the tied head's cached [d, V] transpose (wasm)
      expect(cached - tf.memory().numBytes).toBe((joinedWeightFloats(m.config) + (m.config.tieEmbeddings ? vocab * hidden : 0)) * 4);
      warm();
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(() => batchLoss(m, batch, { lora: adapter, dropoutSeed: 3, gradientCheckpointing }), adapterVariables(adapter));
        tf.dispose([value, ...Object.values(grads)]);
      });
      const measured = (info.peakBytes - before) / 2 ** 20;
      // unrounded: estimateTrainingMemory rounds each part up to whole MiB, too coarse at this size
      const step = stepActivationBytes(m.config, { batchSize: B, seqLen: T, gradientCheckpointing });
      const exact = (step.activations + step.logits + step.backwardCopies) / 2 ** 20;
      console.log(`gpu-memory: d=${hidden} ff=${ff} heads=${heads} V=${vocab} layers=${layers} B=${B} T=${T} checkpointing=${gradientCheckpointing}: tfjs peak ${measured.toFixed(2)} MiB, estimate ${exact.toFixed(2)} MiB`);
      expect(Math.abs(exact - measured) / measured).toBeLessThan(0.15);
      disposeAdapter(adapter);
      m.dispose();
    }
  });

  it('scales with batch × sequence and puts a 0.5 B base at about 2 GB of weights', () => {
    const qwen05 = { vocabSize: 151936, hidden: 896, intermediate: 4864, layers: 24, heads: 14, kvHeads: 2, headDim: 64, tieEmbeddings: true };
    expect(baseParameters(qwen05)).toBeGreaterThan(490e6);
    expect(baseParameters(qwen05)).toBeLessThan(500e6);
    const a = estimateTrainingMemory(qwen05, { batchSize: 4, seqLen: 256, loraR: 8, loraTargets: 7 });
    const b = estimateTrainingMemory(qwen05, { batchSize: 8, seqLen: 256, loraR: 8, loraTargets: 7 });
    expect(b.activationsMiB / a.activationsMiB).toBeCloseTo(2, 1);
    expect(a.weightsMiB).toBeGreaterThan(1800);
    const parts = a.weightsMiB + a.joinedWeightsMiB + a.backwardCopiesMiB + a.loraMiB + a.activationsMiB + a.logitsMiB + a.overheadMiB;
    expect(a.totalMiB).toBeGreaterThanOrEqual(parts - 7); // each of the 7 parts rounded up
    expect(a.totalMiB).toBeLessThanOrEqual(parts);
    // checkpointing: the layer inputs and one layer's intermediates instead of 24 layers'
    const c = estimateTrainingMemory(qwen05, { batchSize: 4, seqLen: 256, loraR: 8, loraTargets: 7, gradientCheckpointing: true });
    expect(c.activationsMiB).toBeLessThan(a.activationsMiB / 10);
    expect(c.backwardCopiesMiB).toBeLessThan(a.backwardCopiesMiB / 2); // the LM head's copies stay
    expect(c.logitsMiB).toBe(a.logitsMiB);
  });

  it('an out-of-memory error becomes one line naming batch size, sequence length and checkpointing', () => {
    expect(isOutOfMemory(new Error('OOM when allocating tensor with shape[8,14,256,256] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc'))).toBe(true);
    expect(isOutOfMemory(new Error('shapes do not match'))).toBe(false);
    const m = microModel();
    const e = outOfMemoryError(m.config, { batchSize: 8, seqLen: 256, loraR: 8, loraTargets: 7, gradAccum: 1 });
    m.dispose();
    expect(e.type).toBe('OutOfMemory');
    expect(e.message).not.toContain('\n');
    expect(e.message).toMatch(/batchSize 8 × seqLen 256.*training\.batchSize.*training\.gradAccum.*training\.seqLen.*turn on training\.gradientCheckpointing \(estimated \d+ MiB/);
    const on = outOfMemoryError(m.config, { batchSize: 8, seqLen: 256, loraR: 8, loraTargets: 7, gradAccum: 1, gradientCheckpointing: true });
    expect(on.message).not.toContain('\n');
    expect(on.message).toMatch(/training\.gradientCheckpointing is already on/);
  });
});
