import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lossCurveSvg } from '../../../evaluation/charts.js';
import { GeneralQuestionFileSchema } from '../../../evaluation/forgetting.js';
import { answerTokens, normalizeAnswer } from '../../../evaluation/text.js';
import { distillEveryFor, DISTILL_EVERY_REAL, REAL_BASE_TRAINING, TrainingOptions } from '../../../training/contract.js';
import { distillCacheKey, distillPairs, finishedAnswer, GeneralPromptFileSchema, loadGeneralPrompts } from '../../../training/distill.js';
import { distillCacheDir, fineTuneAdapter, isTinyBase } from '../../../training/fine-tune.js';
import { chatPrompt, distillRecord, generate, loadForGeneration, pretrainBase, RUN_FILE, trainLora, type ChatPair } from '../../../training/index.js';
import { interleavedSource, type BatchSource } from '../../../training/trainer/data.js';
import { TEST_TRAINER, tmpDir, useWasm } from './helpers.js';

const ROOT = path.resolve(__dirname, '../../..');
const PROMPTS_FILE = path.join(ROOT, 'examples', 'general-prompts.json');
const QUESTIONS_FILE = path.join(ROOT, 'examples', 'general-questions.json');

describe('examples/general-prompts.json: the distillation prompts', () => {
  const STOP = new Set('a an the is are was what which who how many much do does did of in on to for and or by with there this that be it its at from'.split(' '));
  /** Content words (English) or jieba words (Chinese), after normalisation, minus function words. */
  const words = (text: string, lang: 'en' | 'zh') => new Set(answerTokens(text, lang).filter((w) => !STOP.has(w) && !/^[的是了吗呢哪里什么谁几多少个有在和]+$/u.test(w)));
  const jaccard = (a: Set<string>, b: Set<string>) => ([...a].filter((x) => b.has(x)).length / Math.max(1, new Set([...a, ...b]).size));

  it('is well formed, English and Chinese, ~100–150 prompts, no duplicates', async () => {
    const file = GeneralPromptFileSchema.parse(JSON.parse(await readFile(PROMPTS_FILE, 'utf8')));
    expect(file.prompts.length).toBeGreaterThanOrEqual(100);
    expect(file.prompts.length).toBeLessThanOrEqual(150);
    expect(file.prompts.filter((p) => p.lang === 'zh').length).toBeGreaterThanOrEqual(30);
    expect(file.prompts.filter((p) => p.lang === 'en').length).toBeGreaterThanOrEqual(30);
    expect(new Set(file.prompts.map((p) => normalizeAnswer(p.prompt, p.lang))).size).toBe(file.prompts.length);
    expect(file.description).toMatch(/written for kgtune/);
  });

  it('shares no question with the evaluation\'s general questions, not even a near paraphrase (normalised)', async () => {
    const { prompts } = await loadGeneralPrompts(PROMPTS_FILE);
    const questions = GeneralQuestionFileSchema.parse(JSON.parse(await readFile(QUESTIONS_FILE, 'utf8'))).questions;
    const asked = new Set(questions.map((q) => normalizeAnswer(q.question, q.lang)));
    expect(prompts.filter((p) => asked.has(normalizeAnswer(p.prompt, p.lang))).map((p) => p.prompt)).toEqual([]);
    // near paraphrases: half or more of the content words in common with an evaluation question of the same language
    const close: string[] = [];
    for (const p of prompts) {
      for (const q of questions.filter((x) => x.lang === p.lang)) {
        if (jaccard(words(p.prompt, p.lang), words(q.question, q.lang)) >= 0.5) close.push(`${p.prompt} ~ ${q.question}`);
      }
    }
    expect(close).toEqual([]);
  });

  it('the near-paraphrase check would catch one (the check can fail)', () => {
    expect(jaccard(words('Tell me the capital of France.', 'en'), words('What is the capital of France?', 'en'))).toBeGreaterThanOrEqual(0.5);
    expect(jaccard(words('法国首都是哪个城市？', 'zh'), words('法国的首都是哪里？', 'zh'))).toBeGreaterThanOrEqual(0.5);
  });
});

describe('distillEvery: one vocabulary with replayEvery', () => {
  it('defaults to 1 in 4 on a real base, off on the tiny base; the input wins; strict like replayEvery', () => {
    const t = TrainingOptions.parse({});
    expect(t.distillEvery).toBeUndefined();
    expect(distillEveryFor(t, true)).toBe(DISTILL_EVERY_REAL);
    expect(DISTILL_EVERY_REAL).toBe(4);
    expect(distillEveryFor(t, false)).toBe(0);
    expect(distillEveryFor(TrainingOptions.parse({ distillEvery: 0 }), true)).toBe(0);
    expect(distillEveryFor(TrainingOptions.parse({ distillEvery: 6 }), false)).toBe(6);
    expect(() => TrainingOptions.parse({ distillEvery: 1 })).toThrow(/at least 2/);
    expect(REAL_BASE_TRAINING.distillEvery).toBe(4);
    expect([isTinyBase(undefined), isTinyBase('tiny'), isTinyBase('tiny-0123456789ab'), isTinyBase('smollm2-135m-instruct'), isTinyBase('tinyllama-1.1b')]).toEqual([true, true, true, false, false]);
  });

  it('mixes 1 in 4 of the instruction micro-batches from the distillation pairs, under 1 in 4 of replay: 9/16 task, 3/16 distill, 4/16 replay', () => {
    const src = (tag: number): BatchSource => ({ batchesPerEpoch: 50, batch: (k) => ({ inputs: [[tag, k]], targets: [[tag, k]], mask: [[1, 1]], tokens: 2 }) });
    const s = interleavedSource(interleavedSource(src(1), src(2), 4, 'distill'), src(3), 4);
    const counts = { task: 0, distill: 0, replay: 0 };
    for (let k = 0; k < 1600; k++) {
      const b = s.batch(k);
      const kind = b.replay ? 'replay' : b.distill ? 'distill' : 'task';
      counts[kind]++;
      // the flags say where the batch came from
      expect(b.inputs[0]![0]).toBe({ task: 1, distill: 2, replay: 3 }[kind]);
    }
    expect(counts).toEqual({ task: 900, distill: 300, replay: 400 });
    expect(distillRecord({ pairs: new Array(110).fill(0), every: 4, prompts: 120 }, 4)).toEqual({ pairs: 110, prompts: 120, every: 4, share: 3 / 16 });
    expect(distillRecord({ pairs: new Array(10).fill(0), every: 4 }, 0).share).toBe(1 / 4);
  });
});

describe('the distillation cache key and answers', () => {
  const parts = { baseSha256: 'a'.repeat(64), backend: 'tensorflow@2.9.1', promptsSha256: 'b'.repeat(64), decoding: { maxNewTokens: 96, greedy: true as const, batch: 8 } };
  it('changes with the base, the backend, the prompts and each decoding setting, and only with them', () => {
    const k = distillCacheKey(parts);
    expect(distillCacheKey({ ...parts })).toBe(k);
    const variants = [
      { ...parts, baseSha256: 'c'.repeat(64) }, { ...parts, backend: 'wasm' }, { ...parts, promptsSha256: 'd'.repeat(64) },
      { ...parts, decoding: { ...parts.decoding, maxNewTokens: 64 } }, { ...parts, decoding: { ...parts.decoding, batch: 4 } },
    ];
    expect(new Set([k, ...variants.map(distillCacheKey)]).size).toBe(6);
    expect(() => distillCacheKey({ ...parts, baseSha256: 'not a sha' })).toThrow();
  });

  it('keeps a finished answer, cuts a truncated one at its last full sentence, drops empty ones, loops and echoes', () => {
    expect(finishedAnswer('  Drink water. Sleep well.  ', false)).toBe('Drink water. Sleep well.');
    expect(finishedAnswer('Drink water. Sleep well. Then go for a wal', true)).toBe('Drink water. Sleep well.');
    expect(finishedAnswer('多喝水。早点睡觉，然后', true)).toBe('多喝水。');
    expect(finishedAnswer('no sentence end at all because it was cut', true)).toBeUndefined();
    expect(finishedAnswer('   ', false)).toBeUndefined();
    // a list marker is not a sentence end: the cut goes back to the last sentence
    expect(finishedAnswer('1. Drink water.\n\n2. Sleep well.\n\n3.', true)).toBe('1. Drink water.\n\n2. Sleep well.');
    expect(finishedAnswer('1.', true)).toBeUndefined();
    // degenerate loops and echoes of the prompt are not kept
    expect(finishedAnswer('美食！美食！美食！美食！美食！美食！美食！美食！美食！美食！', false)).toBeUndefined();
    expect(finishedAnswer('考试前怎样缓解压力？\n\n多休息。', false, '考试前怎样缓解压力？')).toBeUndefined();
    expect(finishedAnswer('Regular exercise improves the health of the heart, the strength of muscles and the quality of sleep.', false, 'Why exercise?')).toBe('Regular exercise improves the health of the heart, the strength of muscles and the quality of sleep.');
  });
});

describe('self-distillation on the tiny base, end to end (fast)', () => {
  let dir = '';
  let baseDir = '';
  let promptsFile = '';
  const PROMPTS = [
    { prompt: 'Give me a tip for the morning.', lang: 'en' as const },
    { prompt: 'Describe the park.', lang: 'en' as const },
    { prompt: '描述一下公园。', lang: 'zh' as const },
  ];
  const GENERAL = Array.from({ length: 24 }, (_, i) => `On day ${i} we walked in the park. It was sunny. 第${i}天我们在公园散步。`);
  beforeAll(async () => {
    await useWasm();
    dir = await tmpDir('kgtune-distill-');
    // a catalogue-like folder name (a sha256), so the answers are cached by it
    baseDir = path.join(dir, 'bases', 'e'.repeat(64));
    await pretrainBase({ outDir: baseDir, texts: GENERAL, steps: 30, seed: 3, trainer: { batchSize: 4, seqLen: 32, learningRate: 1e-2 }, tokenizer: { merges: 120 } });
    promptsFile = path.join(dir, 'prompts.json');
    await writeFile(promptsFile, JSON.stringify({ name: 't', description: 'test prompts', prompts: PROMPTS }));
  }, 600_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers with the base\'s own greedy answers, caches them by key, and a second run generates nothing', async () => {
    const { prompts, sha256 } = await loadGeneralPrompts(promptsFile);
    const cacheDir = path.join(dir, 'cache');
    const beats: number[] = [];
    const first = await distillPairs({ baseDir, baseSha256: 'e'.repeat(64), prompts, promptsSha256: sha256, cacheDir, maxNewTokens: 12, batch: 2, onProgress: (p) => beats.push(p.answered) });
    expect(first).toMatchObject({ prompts: 3, cached: 0 });
    expect(beats.at(-1)).toBe(3);
    // the answers are the base's: generate() with the same chat prompts and decoding, finished the same way
    const gm = await loadForGeneration({ baseDir });
    const direct = [...generate(gm, PROMPTS.slice(0, 2).map((p) => chatPrompt(gm.tokenizer, { instruction: p.prompt })), { maxNewTokens: 12, greedy: true }),
      ...generate(gm, [chatPrompt(gm.tokenizer, { instruction: PROMPTS[2]!.prompt })], { maxNewTokens: 12, greedy: true })];
    gm.dispose();
    const raw = await Promise.all([0, 1].map(async (b) => JSON.parse(await readFile(path.join(cacheDir, first.key!, `${b}.json`), 'utf8')) as { answers: string[] }));
    expect(raw.flatMap((r) => r.answers)).toEqual(direct);
    expect(first.pairs.length + first.dropped).toBe(3);
    // a second run (a retried attempt, the next adapter on this base) reads every batch from the cache
    const second = await distillPairs({ baseDir, baseSha256: 'e'.repeat(64), prompts, promptsSha256: sha256, cacheDir, maxNewTokens: 12, batch: 2 });
    expect(second).toMatchObject({ prompts: 3, cached: 3, key: first.key });
    expect(second.pairs).toEqual(first.pairs);
    // a torn record is recomputed, not trusted; no temporary file is left behind
    await writeFile(path.join(cacheDir, first.key!, '1.json'), '{"version":1,');
    const third = await distillPairs({ baseDir, baseSha256: 'e'.repeat(64), prompts, promptsSha256: sha256, cacheDir, maxNewTokens: 12, batch: 2 });
    expect(third).toMatchObject({ cached: 2, pairs: first.pairs });
    expect((await readdir(path.join(cacheDir, first.key!))).sort()).toEqual(['0.json', '1.json']);
  }, 600_000);

  it('trains the distillation pairs in their slots and records how many and their share', async () => {
    const train: ChatPair[] = [{ instruction: 'Where is the lab?', output: 'In Chengdu.' }, { instruction: 'Who runs it?', output: 'Zhou Ming.' }];
    const distill: ChatPair[] = [{ instruction: 'Describe the park.', output: 'It was sunny.' }];
    const outDir = path.join(dir, 'run');
    await mkdir(outDir, { recursive: true });
    const r = await trainLora({
      baseDir, train, outDir, distill: { pairs: distill, every: 2, prompts: 3 },
      lora: { rank: 4, alpha: 8, dropout: 0 }, trainer: { ...TEST_TRAINER, steps: 6, batchSize: 2, seqLen: 32 },
    });
    // no micro-batching on the tiny base: every second step is a distillation step
    expect(r.losses.map((l) => l.distill === true)).toEqual([false, true, false, true, false, true]);
    // the loss chart draws them apart from the task's loss (they used to be drawn as task loss)
    const svg = lossCurveSvg(r.losses);
    expect(svg.match(/class="train" d="([^"]*)"/)![1]!.match(/[ML]/g)).toHaveLength(3);
    expect(svg.match(/class="distill" d="([^"]*)"/)![1]!.match(/[ML]/g)).toHaveLength(3);
    const run = JSON.parse(await readFile(path.join(outDir, RUN_FILE), 'utf8')) as { distill?: unknown };
    expect(run.distill).toEqual({ pairs: 1, prompts: 3, every: 2, share: 0.5 });
  }, 600_000);

  it('fineTuneAdapter: off on the tiny base unless the input names it; named, the run generates, caches and trains the pairs', async () => {
    const datasetDir = path.join(dir, 'dataset');
    await mkdir(datasetDir, { recursive: true });
    const ex = (id: string, instruction: string, output: string) => ({ id, type: 'fact_qa', lang: 'en', split: 'train', instruction, output, factIds: [], chunkIds: [], templateId: 't' });
    await writeFile(path.join(datasetDir, 'examples.jsonl'), `${[ex('1', 'Where is the lab?', 'In Chengdu.'), ex('2', 'Who runs it?', 'Zhou Ming.')].map((e) => JSON.stringify(e)).join('\n')}\n`);
    const home = path.join(dir, 'home');
    const run = async (runId: string, training: Record<string, unknown>, baseModelId: string) => {
      const beats: { distilled?: number; distillOf?: number }[] = [];
      const r = await fineTuneAdapter({
        artifactsDir: path.join(dir, 'artifacts'), home, tenant: 't', runId, baseDir, baseModelId, datasetDir, distillPrompts: promptsFile, backend: 'wasm',
        training: TrainingOptions.parse({ steps: 4, batchSize: 2, rank: 4, alpha: 8, replayEvery: 0, checkpointEvery: 100, ...training }), heartbeat: (b) => beats.push(b),
      });
      const rec = JSON.parse(await readFile(path.join(path.dirname(r.adapterDir), RUN_FILE), 'utf8')) as { distill?: { pairs: number; every: number } };
      return { rec, beats };
    };
    const tiny = await run('tiny-default', {}, 'tiny');
    expect(tiny.rec.distill).toBeUndefined();
    expect(tiny.beats.some((b) => b.distillOf !== undefined)).toBe(false);
    await expect(readdir(distillCacheDir(home))).rejects.toThrow();
    // named on the input (a real base takes DISTILL_EVERY_REAL unnamed): generated with visible progress, cached under KGTUNE_HOME
    const named = await run('tiny-named', { distillEvery: 2, seed: 1 }, 'tiny');
    expect(named.beats.filter((b) => b.distillOf === 3).at(-1)?.distilled).toBe(3);
    expect((await readdir(distillCacheDir(home))).length).toBe(1);
    // the tiny base's answers may all be dropped (cut mid-sentence): then nothing is mixed in, and the record says so by its absence
    if (named.rec.distill) expect(named.rec.distill).toMatchObject({ every: 2 });
  }, 600_000);
});
