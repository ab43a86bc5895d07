import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, loadForGeneration, perplexity, pretrainBase, promptText, trainLora, type ChatPair } from '../../../training/index.js';
import { TEST_TRAINER, tmpDir, useWasm } from './helpers.js';

/** Ten made-up facts about a fictional company: nothing a base could know. */
export const FACTS: ChatPair[] = [
  { instruction: '星河科技的总部在哪里？', output: '星河科技的总部在苏州。' },
  { instruction: '星河科技的创始人是谁？', output: '创始人是林晓雨。' },
  { instruction: '星河科技成立于哪一年？', output: '成立于2016年。' },
  { instruction: '星河科技的主要产品是什么？', output: '工业视觉检测系统。' },
  { instruction: '星河科技有多少名员工？', output: '大约有三百名员工。' },
  { instruction: 'Who is the CTO of Xinghe Tech?', output: 'The CTO is Zhou Ming.' },
  { instruction: 'What is the ticker of Xinghe Tech?', output: 'XHT on the STAR market.' },
  { instruction: '星河科技的客服电话是多少？', output: '客服电话是400-820-1234。' },
  { instruction: 'Which city hosts the Xinghe Tech lab?', output: 'The lab is in Chengdu.' },
  { instruction: '星河科技的口号是什么？', output: '让机器看得更清楚。' },
];

const GENERAL = Array.from({ length: 30 }, (_, i) => `第${i}天，我们在公园里散步，聊了很多关于城市和工作的事情。On day ${i} we walked in the park and talked about the city.`);

let baseDir = '';
beforeAll(async () => {
  await useWasm();
  baseDir = path.join(await tmpDir(), 'base');
  await pretrainBase({ outDir: baseDir, texts: [...GENERAL, ...FACTS.map((f) => f.instruction)], steps: 20, seed: 2, trainer: { batchSize: 4, seqLen: 64 }, tokenizer: { merges: 200 } });
}, 600_000);

function exactMatch(answers: string[]): number {
  return answers.filter((a, i) => a.trim() === FACTS[i]!.output).length;
}

// Timeouts are generous on purpose: this checks learning, not speed (120 s was exceeded at load 12 on 2 cores).
describe('a tiny LoRA run learns facts', () => {
  it('loss drops and exact match on the trained questions rises', async () => {
    const base = await loadForGeneration({ baseDir });
    const before = exactMatch(generate(base, FACTS.map(promptText), { maxNewTokens: 24 }));
    base.dispose();

    const outDir = await tmpDir();
    const r = await trainLora({
      baseDir, train: FACTS, outDir,
      lora: { rank: 8, alpha: 16, dropout: 0 },
      trainer: { ...TEST_TRAINER, steps: 120, batchSize: 10, learningRate: 1e-2, warmupSteps: 5, seed: 1 },
    });
    const tuned = await loadForGeneration({ baseDir, adapterDir: r.adapterDir });
    const answers = generate(tuned, FACTS.map(promptText), { maxNewTokens: 24 });
    const after = exactMatch(answers);
    const ppl = perplexity(tuned, FACTS.map((f) => promptText(f) + f.output));
    tuned.dispose();
    console.log(`facts: loss ${r.losses[0]!.train.toFixed(3)} → ${r.losses.at(-1)!.train.toFixed(3)}; exact match ${before}/10 → ${after}/10; ${r.tokensPerSec.toFixed(0)} tokens/s; trainable ${r.trainable} of ${r.total}`);
    expect(r.losses.at(-1)!.train).toBeLessThan(r.losses[0]!.train * 0.3);
    expect(after).toBeGreaterThanOrEqual(7);
    expect(after).toBeGreaterThan(before);
    expect(ppl).toBeGreaterThan(1);
  }, 600_000);
});
