import { describe, expect, it } from 'vitest';
import { MICRO_BATCH, microBatch, pairLength } from '../../../training/index.js';
import { stopIds } from '../../../training/generate.js';
import { resolveConfig, tinyHfConfig } from '../../../training/model/config.js';
import type { GenerationModel } from '../../../training/generate.js';

describe('real-base sizes', () => {
  it('a large model trains the same effective batch in micro-batches; a small one in one', () => {
    expect(microBatch(1_100_000, 16)).toEqual({ batchSize: 16, gradAccum: 1 });
    const m = microBatch(135_000_000, 16);
    expect(m.batchSize).toBeLessThanOrEqual(MICRO_BATCH);
    expect(m.batchSize * m.gradAccum).toBe(16);
    expect(microBatch(135_000_000, 8).batchSize * microBatch(135_000_000, 8).gradAccum).toBe(8);
    expect(microBatch(135_000_000, 2)).toEqual({ batchSize: 2, gradAccum: 1 });
  });

  it('pairs are kept up to 256 tokens (never shorter than seqLen+1), within the context', () => {
    expect(pairLength(128, 8192)).toBe(257);
    expect(pairLength(512, 8192)).toBe(513);
    expect(pairLength(128, 200)).toBe(200);
  });

  it('generation stops at the tokenizer eos and at every eos_token_id of config.json', () => {
    const gm = (eos: number | number[]) => ({ model: { config: resolveConfig(tinyHfConfig(100, { eos_token_id: eos as number })) }, tokenizer: { eosId: 2 } }) as unknown as GenerationModel;
    expect([...stopIds(gm([128001, 128009]))].sort()).toEqual([128001, 128009, 2].sort());
    expect([...stopIds(gm(2))]).toEqual([2]);
  });
});

describe('heartbeats between micro-batches', () => {
  it('onMicroBatch runs after every micro-batch of every step', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { selectBackend } = await import('../../../training/backend.js');
    await selectBackend('cpu');
    const { runTraining } = await import('../../../training/trainer.js');
    const { TrainerConfigSchema } = await import('../../../training/trainer/config.js');
    const { TEST_TRAINER } = await import('./helpers.js');
    const w = tf.variable(tf.scalar(1));
    const batch = { inputs: [[1]], targets: [[1]], mask: [[1]], tokens: 1 };
    let calls = 0;
    await runTraining(
      { trainables: new Map([['w', w]]), source: { batchesPerEpoch: 10, batch: () => batch }, loss: () => tf.tidy(() => tf.sum(tf.square(w))) },
      { config: TrainerConfigSchema.parse({ ...TEST_TRAINER, steps: 3, gradAccum: 4, batchSize: 1 }), onMicroBatch: () => { calls++; } },
    );
    w.dispose();
    expect(calls).toBe(12);
  });
});

describe('evaluation prompts through the base chat template', () => {
  it('the built-in template renders the tiny base prompt it always had; SmolLM2-style renders ChatML', async () => {
    const path = await import('node:path');
    const { Tokenizer, chatPrompt, promptText } = await import('../../../training/index.js');
    const dir = path.join(import.meta.dirname, '..', '..', 'fixtures', 'tokenizer');
    const q = { instruction: 'Where is Xinghe based?', input: '' };
    const tiny = await Tokenizer.load(path.join(dir, 'builtin', 'tokenizer.json'));
    expect(chatPrompt(tiny, q)).toBe(`<s>${promptText(q)}`);
    const smol = await Tokenizer.load(path.join(dir, 'smollm2-style', 'tokenizer.json'));
    expect(chatPrompt(smol, q)).toMatch(/^<\|im_start\|>system\n[\s\S]*<\|im_start\|>user\nWhere is Xinghe based\?<\|im_end\|>\n<\|im_start\|>assistant\n$/);
  });
});
