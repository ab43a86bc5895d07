/**
 * LoRA settings sweep on a synthesized dataset: for each setting, train an adapter on the dataset's
 * train split (general-text replay as the pipeline does), then measure strict exact match,
 * faithfulness, refusal and over-refusal on 40 trained direct questions and on the VALIDATION split,
 * next to the lookup baseline on the same questions, and general-text perplexity base vs adapter.
 * Defaults are chosen on these val figures. The test splits (template swap, held-out) are scored
 * only with --final, for the one last run after the choice — never to choose.
 *
 *   npx tsx bench/lora-sweep.ts --dataset .kgtune/artifacts/<tenant>/datasets/<digest> \
 *     [--runs '[{"name":"r32","r":32,"lr":0.005,"steps":800,"replayEvery":4}]'] [--final]
 *
 * Needs the tiny base (`./kgtune base`) and its cached general text. Not run by the tests: one
 * setting trains for minutes.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../configs/env.js';
import { answerTokenBudget, defaultPrompt, NearestAnswerLookup, scoreAnswer } from '../evaluation/index.js';
import { readExamples, type Example } from '../synthesis/index.js';
import { chatPrompt, generate, loadForGeneration, perplexity, trainLora } from '../training/index.js';
import { heldOutGeneralText } from '../evaluation/index.js';
import { BASE_PRETRAIN_CHARS, replayTexts, tinyBasePaths } from '../training/index.js';
import { resolveBase } from '../training/bases/index.js';

interface Setting { name: string; r: number; lr: number; steps: number; replayEvery: number; batch?: number }

const DEFAULT_RUNS: Setting[] = [
  { name: 'r8 lr1e-2 400', r: 8, lr: 1e-2, steps: 400, replayEvery: 0 },
  { name: 'r32 lr5e-3 400', r: 32, lr: 5e-3, steps: 400, replayEvery: 0 },
  { name: 'r32 lr5e-3 400 replay4', r: 32, lr: 5e-3, steps: 400, replayEvery: 4 },
  { name: 'r32 lr5e-3 800 replay4', r: 32, lr: 5e-3, steps: 800, replayEvery: 4 },
];
const DIRECT = new Set(['fact_qa', 'attribute_qa', 'relation_qa', 'reverse_qa', 'definition']);

const { values } = parseArgs({ options: { dataset: { type: 'string' }, runs: { type: 'string' }, final: { type: 'boolean' } }, strict: false });
if (typeof values.dataset !== 'string') {
  console.error('usage: npx tsx bench/lora-sweep.ts --dataset <dataset folder with examples.jsonl> [--runs JSON] [--final]');
  process.exit(2);
}
const datasetDir = values.dataset;
const runs = typeof values.runs === 'string' ? (JSON.parse(values.runs) as Setting[]) : DEFAULT_RUNS;
const env = loadEnv();
const { dir: baseDir } = await resolveBase(env, 'tiny', { cacheDir: tinyBasePaths(env).cacheDir, maxChars: BASE_PRETRAIN_CHARS });
const examples = await readExamples(datasetDir);
const train = examples.filter((e) => e.split === 'train');
const final = values.final === true;
/** What settings are judged on: val; the test splits only for a final run (--final). */
const judged = examples.filter((e) => (final ? e.split === 'test_paraphrase' || e.split === 'test_heldout' : e.split === 'val'));
const judgedName = final ? 'TEST (template swap + held-out; --final)' : 'val';
const trainedDirect = train.filter((e) => DIRECT.has(e.type)).slice(0, 40);
const pretrain = await replayTexts(env);
const { texts: heldOutGeneral } = await heldOutGeneralText(env);
const base = await loadForGeneration({ baseDir });
const basePpl = perplexity(base, heldOutGeneral);
const room = base.model.config.maxPositions - Math.max(...[...judged, ...trainedDirect].map((e) => base.tokenizer.encode(chatPrompt(base.tokenizer, e)).length + 1));
const maxNewTokens = answerTokenBudget([...judged, ...trainedDirect].map((e) => e.output), (t) => base.tokenizer.encode(t).length + 1, room);
base.dispose();
const lookup = new NearestAnswerLookup(train.map((e) => ({ question: defaultPrompt(e), answer: e.output })));
const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const lookupEm = mean(judged.map((e) => scoreAnswer(e, lookup.answer(defaultPrompt(e))).exactMatch ?? 0));
console.log(`dataset ${datasetDir}: ${train.length} train, ${judged.length} ${judgedName}; base perplexity ${basePpl.toFixed(2)}; lookup EM on ${judgedName} ${lookupEm.toFixed(3)}; answers up to ${maxNewTokens} tokens`);
if (final) console.log('--final: scoring the TEST splits. Do not change a default after reading these numbers.');

const rows: string[][] = [];
for (const s of runs) {
  const outDir = path.join(env.home, 'bench', 'lora-sweep', s.name.replace(/[^A-Za-z0-9_.-]+/g, '_'));
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const t0 = Date.now();
  const r = await trainLora({
    baseDir, outDir, train: train.map((e) => ({ instruction: e.instruction, input: e.input, output: e.output })),
    lora: { rank: s.r, alpha: 2 * s.r, dropout: 0 },
    // the settings the sweep was measured with: no validation pass, checkpoints only at the end
    trainer: { steps: s.steps, batchSize: s.batch ?? 16, learningRate: s.lr, seed: 1, warmupSteps: 20, evalEvery: 0, checkpointEvery: 0 },
    ...(s.replayEvery > 0 ? { replay: { texts: pretrain, every: s.replayEvery } } : {}),
    onStep: (p) => { if (p.step % 100 === 0) process.stdout.write(`  ${s.name}: step ${p.step}/${s.steps}\n`); },
  });
  const secs = (Date.now() - t0) / 1000;
  const gm = await loadForGeneration({ baseDir, adapterDir: r.adapterDir, merge: true });
  const score = (set: Example[]) => {
    const outs = generate(gm, set.map((e) => chatPrompt(gm.tokenizer, e)), { maxNewTokens, greedy: true });
    const scores = set.map((e, i) => scoreAnswer(e, outs[i] ?? ''));
    const pick = (m: 'exactMatch' | 'faithfulness' | 'refusalAccuracy' | 'overRefusal') => mean(scores.map((x) => x[m]).filter((x): x is number => x !== undefined));
    const lines = set.map((e, i) => `${e.instruction} => ${outs[i]} [gold ${e.output}]`);
    return { em: pick('exactMatch'), faith: pick('faithfulness'), refusal: pick('refusalAccuracy'), over: pick('overRefusal'), lines };
  };
  const a = score(trainedDirect);
  const b = score(judged);
  const ppl = perplexity(gm, heldOutGeneral);
  gm.dispose();
  await writeFile(path.join(outDir, 'answers.txt'), `${judgedName.toUpperCase()}\n${b.lines.join('\n')}\n\nTRAINED\n${a.lines.join('\n')}\n`);
  rows.push([s.name, String(s.steps), secs.toFixed(0), r.backend.name, a.em.toFixed(3), b.em.toFixed(3), (b.em - lookupEm).toFixed(3), b.faith.toFixed(3), b.refusal.toFixed(3), b.over.toFixed(3), `${(100 * (ppl / basePpl - 1)).toFixed(1)}%`]);
  console.log(`  ${s.name}: done in ${secs.toFixed(0)} s; answers in ${path.join(outDir, 'answers.txt')}`);
}
const j = final ? 'test' : 'val';
const head = ['setting', 'steps', 'train s', 'backend', 'trained EM', `${j} EM`, `${j} EM − lookup`, `${j} faith`, `${j} refusal`, `${j} over-refusal`, 'perplexity Δ'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
