/**
 * LoRA settings sweep on a synthesized dataset: for each setting, train an adapter on the dataset's
 * train split (general-text replay as the pipeline does), then measure exact match and faithfulness on
 * 40 trained direct questions and on the paraphrase split, and general-text perplexity base vs
 * adapter. This is how the pipeline's training defaults were chosen (note on issue #8).
 *
 *   npx tsx bench/lora-sweep.ts --dataset .kgtune/artifacts/<tenant>/datasets/<digest> \
 *     [--runs '[{"name":"r32","r":32,"lr":0.005,"steps":800,"replayEvery":4}]']
 *
 * Needs the tiny base (`./kgtune base`) and its cached general text. Not run by the tests: one
 * setting trains for minutes.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../configs/env.js';
import { scoreAnswer } from '../evaluation/index.js';
import type { Example } from '../synthesis/model.js';
import { generate, loadForGeneration, perplexity, promptText, trainLora } from '../training/index.js';
import { heldOutGeneralText } from '../activities/evaluation.js';
import { BASE_PRETRAIN_CHARS, replayTexts, tinyBasePaths } from '../activities/training.js';
import { resolveBase } from '../training/bases/index.js';

interface Setting { name: string; r: number; lr: number; steps: number; replayEvery: number; batch?: number }

const DEFAULT_RUNS: Setting[] = [
  { name: 'r8 lr1e-2 400', r: 8, lr: 1e-2, steps: 400, replayEvery: 0 },
  { name: 'r32 lr5e-3 400', r: 32, lr: 5e-3, steps: 400, replayEvery: 0 },
  { name: 'r32 lr5e-3 400 replay4', r: 32, lr: 5e-3, steps: 400, replayEvery: 4 },
  { name: 'r32 lr5e-3 800 replay4', r: 32, lr: 5e-3, steps: 800, replayEvery: 4 },
];
const DIRECT = new Set(['fact_qa', 'attribute_qa', 'relation_qa', 'reverse_qa', 'definition']);

const { values } = parseArgs({ options: { dataset: { type: 'string' }, runs: { type: 'string' } }, strict: false });
if (typeof values.dataset !== 'string') {
  console.error('usage: npx tsx bench/lora-sweep.ts --dataset <dataset folder with examples.jsonl> [--runs JSON]');
  process.exit(2);
}
const datasetDir = values.dataset;
const runs = typeof values.runs === 'string' ? (JSON.parse(values.runs) as Setting[]) : DEFAULT_RUNS;
const env = loadEnv();
const { dir: baseDir } = await resolveBase(env, 'tiny', { cacheDir: tinyBasePaths(env).cacheDir, maxChars: BASE_PRETRAIN_CHARS });
const examples = (await readFile(path.join(datasetDir, 'examples.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Example);
const train = examples.filter((e) => e.split === 'train');
const para = examples.filter((e) => e.split === 'test_paraphrase');
const trainedDirect = train.filter((e) => DIRECT.has(e.type)).slice(0, 40);
const pretrain = await replayTexts(env);
const heldOutGeneral = await heldOutGeneralText(env);
const base = await loadForGeneration({ baseDir });
const basePpl = perplexity(base, heldOutGeneral);
base.dispose();
console.log(`dataset ${datasetDir}: ${train.length} train, ${para.length} paraphrase; base perplexity ${basePpl.toFixed(2)}`);

const rows: string[][] = [];
for (const s of runs) {
  const outDir = path.join(env.home, 'bench', 'lora-sweep', s.name.replace(/[^A-Za-z0-9_.-]+/g, '_'));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const t0 = Date.now();
  const r = await trainLora({
    baseDir, outDir, train: train.map((e) => ({ instruction: e.instruction, input: e.input, output: e.output })),
    lora: { r: s.r, alpha: 2 * s.r, dropout: 0 },
    trainer: { steps: s.steps, batchSize: s.batch ?? 16, lr: s.lr, seed: 1, warmupSteps: 20 },
    ...(s.replayEvery > 0 ? { replay: { texts: pretrain, every: s.replayEvery } } : {}),
    onStep: (p) => { if (p.step % 100 === 0) process.stdout.write(`  ${s.name}: step ${p.step}/${s.steps}\n`); },
  });
  const secs = (Date.now() - t0) / 1000;
  const gm = await loadForGeneration({ baseDir, adapterDir: r.adapterDir, merge: true });
  const score = (set: Example[]) => {
    const outs = generate(gm, set.map((e) => promptText(e)), { maxNewTokens: 40, greedy: true });
    let em = 0;
    let faith = 0;
    let nFaith = 0;
    const lines: string[] = [];
    set.forEach((e, i) => {
      const m = scoreAnswer(e, outs[i] ?? '');
      em += m.exactMatch ?? 0;
      if (m.faithfulness !== undefined) { faith += m.faithfulness; nFaith++; }
      lines.push(`${e.instruction} => ${outs[i]} [gold ${e.output}]`);
    });
    return { em: em / Math.max(1, set.length), faith: nFaith ? faith / nFaith : Number.NaN, lines };
  };
  const a = score(trainedDirect);
  const b = score(para);
  const ppl = perplexity(gm, heldOutGeneral);
  gm.dispose();
  await writeFile(path.join(outDir, 'answers.txt'), `PARAPHRASE\n${b.lines.join('\n')}\n\nTRAINED\n${a.lines.join('\n')}\n`);
  rows.push([s.name, String(s.steps), secs.toFixed(0), r.backend.name, a.em.toFixed(3), b.em.toFixed(3), b.faith.toFixed(3), `${(100 * (ppl / basePpl - 1)).toFixed(1)}%`]);
  console.log(`  ${s.name}: done in ${secs.toFixed(0)} s; answers in ${path.join(outDir, 'answers.txt')}`);
}
const head = ['setting', 'steps', 'train s', 'backend', 'trained EM', 'paraphrase EM', 'paraphrase faith', 'perplexity Δ'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
