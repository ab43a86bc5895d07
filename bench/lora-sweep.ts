/**
 * LoRA settings sweep on a synthesized dataset: for each setting, train an adapter on the dataset's
 * train split (general-text replay as the pipeline does), then measure strict exact match,
 * faithfulness, refusal and over-refusal on trained direct questions and on the VALIDATION split,
 * next to the base and the lookup baseline on the same questions, and forgetting: general-text
 * perplexity base vs adapter, and on a real base the general questions it answers right
 * (`kgtune base general-qa`); with `distillEvery` a setting also trains on the base's own answers to
 * examples/general-prompts.json (cached under KGTUNE_HOME, as the pipeline does). Defaults are chosen on these val figures. The test splits (template
 * swap, held-out) are scored only with --final, for the one last run after the choice — never to choose.
 *
 *   npx tsx bench/lora-sweep.ts --dataset .kgtune/artifacts/<tenant>/datasets/<digest> \
 *     [--base tiny|<pulled id>] [--runs '[{"name":"r32","r":32,"lr":0.005,"steps":800,"replayEvery":4}]'] \
 *     [--trained N] [--ppl-texts N] [--skip-base] [--reuse] [--final]
 *
 * Warmup is the pipeline's (derivedTrainerKnobs); --trained: how many trained direct questions are
 * scored (default 40); --ppl-texts: general texts for perplexity (default all 24, 0 skips it: on a
 * real base the general questions are the forgetting check that counts); --reuse: score the adapter an earlier
 * run of the same setting left in .kgtune/bench/lora-sweep/<name> instead of training again (its kgtune_run.json
 * must show the same rank, steps, learning rate and replay) — how --final scores the chosen setting once. Base answers go through the
 * evaluation's answer cache, so a second sweep over the same base and questions pays only the adapters.
 * Not run by the tests: one setting trains for minutes (tiny base) to an hour (SmolLM2-135M here).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../configs/env.js';
import {
  answerCacheContext, answerCacheFor, answerTokenBudget, batched, cachedBatches, defaultPrompt, GENERAL_QA_MAX_NEW_TOKENS, generalQuestionsFor, heldOutGeneralText, NearestAnswerLookup, scoreAnswer, scoreGeneralQa,
} from '../evaluation/index.js';
import { readExamples, type Example } from '../synthesis/index.js';
import { chatPrompt, derivedTrainerKnobs, distillCacheDir, distillPairs, GENERAL_PROMPTS_FILE, loadForGeneration, loadGeneralPrompts, perplexity, trainLora, type GenerationModel, type LoraTarget } from '../training/index.js';
import { projectRoot } from '../configs/env.js';
import { BASE_PRETRAIN_CHARS, replayTexts, RUN_FILE, tinyBasePaths } from '../training/index.js';
import { resolveBase } from '../training/bases/index.js';

/**
 * `distillEvery`: self-distillation pairs (training/distill.ts), 1 instruction micro-batch in N; unset or 0 = off, as before.
 * `seed`: the trainer's (data order, initialisation; default 1, the pipeline's), to see how much a figure moves with it.
 */
interface Setting { name: string; r: number; lr: number; steps: number; replayEvery: number; distillEvery?: number; batch?: number; targets?: LoraTarget[]; seed?: number }

const DEFAULT_RUNS: Setting[] = [
  { name: 'r8 lr1e-2 400', r: 8, lr: 1e-2, steps: 400, replayEvery: 0 },
  { name: 'r32 lr5e-3 400', r: 32, lr: 5e-3, steps: 400, replayEvery: 0 },
  { name: 'r32 lr5e-3 400 replay4', r: 32, lr: 5e-3, steps: 400, replayEvery: 4 },
  { name: 'r32 lr5e-3 800 replay4', r: 32, lr: 5e-3, steps: 800, replayEvery: 4 },
];
const DIRECT = new Set(['fact_qa', 'attribute_qa', 'relation_qa', 'reverse_qa', 'definition']);

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' }, base: { type: 'string', default: 'tiny' }, runs: { type: 'string' }, final: { type: 'boolean' },
    trained: { type: 'string', default: '40' }, 'ppl-texts': { type: 'string' }, 'skip-base': { type: 'boolean' }, reuse: { type: 'boolean' },
  },
  strict: false,
});
if (typeof values.dataset !== 'string') {
  console.error('usage: npx tsx bench/lora-sweep.ts --dataset <dataset folder with examples.jsonl> [--base ID] [--runs JSON] [--trained N] [--ppl-texts N] [--skip-base] [--final]');
  process.exit(2);
}
const datasetDir = values.dataset;
const runs = typeof values.runs === 'string' ? (JSON.parse(values.runs) as Setting[]) : DEFAULT_RUNS;
const env = loadEnv();
const { id: baseId, dir: baseDir } = await resolveBase(env, String(values.base), { cacheDir: tinyBasePaths(env).cacheDir, maxChars: BASE_PRETRAIN_CHARS });
const examples = await readExamples(datasetDir);
const train = examples.filter((e) => e.split === 'train');
const final = values.final === true;
/** What settings are judged on: val; the test splits only for a final run (--final). */
const judged = examples.filter((e) => (final ? e.split === 'test_paraphrase' || e.split === 'test_heldout' : e.split === 'val'));
const judgedName = final ? 'TEST (template swap + held-out; --final)' : 'val';
const trainedDirect = train.filter((e) => DIRECT.has(e.type)).slice(0, Number(values.trained));
const pretrain = await replayTexts(env);
const { texts: allGeneral } = await heldOutGeneralText(env);
const heldOutGeneral = allGeneral.slice(0, values['ppl-texts'] === undefined ? allGeneral.length : Number(values['ppl-texts']));
const { questions: generalQs, note: generalNote } = await generalQuestionsFor(env, baseDir);
const cache = answerCacheFor(env, 'bench'); // the sweep's own folder: no tenant's evaluation reads it
const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

interface Scored { em: number; faith: number; refusal: number; over: number; lines: string[]; ems: number[] }
function scoreSet(set: Example[], outs: string[]): Scored {
  const scores = set.map((e, i) => scoreAnswer(e, outs[i] ?? ''));
  const pick = (m: 'exactMatch' | 'faithfulness' | 'refusalAccuracy' | 'overRefusal') => mean(scores.map((x) => x[m]).filter((x): x is number => x !== undefined));
  const lines = set.map((e, i) => `${e.instruction} => ${outs[i]} [gold ${e.output}]`);
  return { em: pick('exactMatch'), faith: pick('faithfulness'), refusal: pick('refusalAccuracy'), over: pick('overRefusal'), lines, ems: scores.map((x) => x.exactMatch ?? 0) };
}

/** Exact match per split, answerable and unanswerable apart: base, lookup, adapter (n each). */
function splitRows(set: Example[], systems: Array<[string, number[]]>): string {
  const out: string[] = [];
  for (const split of [...new Set(set.map((e) => e.split))]) {
    for (const [subset, keep] of [['answerable', (e: Example) => e.type !== 'refusal'], ['unanswerable', (e: Example) => e.type === 'refusal']] as const) {
      const idx = set.flatMap((e, i) => (e.split === split && keep(e) ? [i] : []));
      if (idx.length > 0) out.push(`  ${split} ${subset} (n ${idx.length}): ${systems.map(([name, ems]) => `${name} ${mean(idx.map((i) => ems[i]!)).toFixed(3)}`).join(', ')}`);
    }
  }
  return out.join('\n');
}

const base = await loadForGeneration({ baseDir });
const format = (gm: GenerationModel, e: Pick<Example, 'instruction' | 'input'>) => chatPrompt(gm.tokenizer, { instruction: e.instruction, input: e.input });
const room = base.model.config.maxPositions - Math.max(...[...judged, ...trainedDirect].map((e) => base.tokenizer.encode(format(base, e)).length + 1));
const maxNewTokens = answerTokenBudget([...judged, ...trainedDirect].map((e) => e.output), (t) => base.tokenizer.encode(t).length + 1, room);
const decode = { maxNewTokens, greedy: true as const };
const qaDecode = { maxNewTokens: GENERAL_QA_MAX_NEW_TOKENS, greedy: true as const };
const qaPrompts = generalQs.map((q) => chatPrompt(base.tokenizer, { instruction: q.question, input: '' }));
const ctx = answerCacheContext(baseDir);
if (ctx === undefined) throw new Error(`base folder ${baseDir} is not in the content-addressed catalogue`);
const baseAnswers = (prompts: string[], d: typeof decode) => cachedBatches(cache, ctx, d, prompts, 16, (ps) => batched(base, ps, d));
const t0 = Date.now();
const basePpl = heldOutGeneral.length > 0 ? await cache.perplexity(ctx, heldOutGeneral, () => perplexity(base, heldOutGeneral)) : Number.NaN;
const baseQa = await baseAnswers(qaPrompts, qaDecode);
const baseJudged = values['skip-base'] === true ? undefined : scoreSet(judged, await baseAnswers(judged.map((e) => format(base, e)), decode));
console.log(`base ${baseId} scored in ${((Date.now() - t0) / 1000).toFixed(0)} s (answer cache: ${cache.hits} hits, ${cache.misses} misses)`);
base.dispose();
const lookup = new NearestAnswerLookup(train.map((e) => ({ question: defaultPrompt(e), answer: e.output })));
const lookupEms = judged.map((e) => scoreAnswer(e, lookup.answer(defaultPrompt(e))).exactMatch ?? 0);
const lookupEm = mean(lookupEms);
console.log(`dataset ${datasetDir}: ${train.length} train, ${judged.length} ${judgedName}; base ${baseId}; base perplexity ${basePpl.toFixed(2)} (${heldOutGeneral.length} texts); ${judgedName} EM base ${baseJudged?.em.toFixed(3) ?? '–'}, lookup ${lookupEm.toFixed(3)}; general questions ${generalQs.length} (${generalNote}); answers up to ${maxNewTokens} tokens`);
if (final) console.log('--final: scoring the TEST splits. Do not change a default after reading these numbers.');

/** The earlier run of this setting (--reuse), when its run.json shows the same settings. */
async function earlierRun(outDir: string, s: Setting): Promise<{ adapterDir: string; losses: Array<{ train: number; replay?: boolean }>; backend: { name: string } } | undefined> {
  const run = await readFile(path.join(outDir, RUN_FILE), 'utf8').then((t) => JSON.parse(t) as { lora: { rank: number }; trainer: { steps: number; learningRate: number; seed: number }; replay?: { every: number }; distill?: { every: number }; backend: { name: string }; losses: Array<{ train: number; replay?: boolean }> }, () => undefined);
  if (run === undefined || run.lora.rank !== s.r || run.trainer.steps !== s.steps || run.trainer.learningRate !== s.lr || run.trainer.seed !== (s.seed ?? 1) || (run.replay?.every ?? 0) !== s.replayEvery || (run.distill?.every ?? 0) !== (s.distillEvery ?? 0)) return undefined;
  return { adapterDir: path.join(outDir, 'adapter'), losses: run.losses, backend: run.backend };
}

/** The base's answers to the general prompts (once per base: cached under KGTUNE_HOME like the pipeline's). */
async function distillSet(): Promise<Array<{ instruction: string; output: string }>> {
  const { prompts, sha256 } = await loadGeneralPrompts(path.resolve(projectRoot(), 'examples', GENERAL_PROMPTS_FILE));
  const t = Date.now();
  const d = await distillPairs({
    baseDir, baseSha256: path.basename(baseDir), prompts, promptsSha256: sha256, cacheDir: distillCacheDir(env.home),
    onProgress: (p) => { if (p.answered % 16 === 0) process.stdout.write(`  distillation answers ${p.answered}/${p.of}\n`); },
  });
  console.log(`distillation: ${d.pairs.length} pairs from ${d.prompts} prompts (${d.cached} cached, ${d.dropped} dropped) in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  return d.pairs;
}
const distill = runs.some((s) => (s.distillEvery ?? 0) > 0) ? await distillSet() : [];

const rows: string[][] = [];
for (const s of runs) {
  const outDir = path.join(env.home, 'bench', 'lora-sweep', s.name.replace(/[^A-Za-z0-9_.-]+/g, '_'));
  const t1 = Date.now();
  const reused = values.reuse === true ? await earlierRun(outDir, s) : undefined;
  if (values.reuse === true && reused === undefined) throw new Error(`--reuse: no earlier run of "${s.name}" with these settings in ${outDir}`);
  if (reused === undefined) {
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
  }
  const r = reused ?? await trainLora({
    baseDir, outDir, train: train.map((e) => ({ instruction: e.instruction, input: e.input, output: e.output })),
    lora: { rank: s.r, alpha: 2 * s.r, dropout: 0, ...(s.targets ? { targets: s.targets } : {}) },
    // the pipeline's warmup; no validation pass, checkpoints only at the end
    trainer: { steps: s.steps, batchSize: s.batch ?? 16, learningRate: s.lr, seed: s.seed ?? 1, warmupSteps: derivedTrainerKnobs(s).warmupSteps, evalEvery: 0, checkpointEvery: 0 },
    ...(s.replayEvery > 0 ? { replay: { texts: pretrain, every: s.replayEvery } } : {}),
    ...((s.distillEvery ?? 0) > 0 && distill.length > 0 ? { distill: { pairs: distill, every: s.distillEvery! } } : {}),
    onStep: (p) => { if (p.step % 10 === 0) process.stdout.write(`  ${s.name}: step ${p.step}/${s.steps} loss ${p.loss.toFixed(3)} ${Math.round(p.tokensPerSec)} tokens/s ${((Date.now() - t1) / 1000).toFixed(0)} s\n`); },
  });
  const secs = reused ? Number.NaN : (Date.now() - t1) / 1000;
  const t2 = Date.now();
  const gm = await loadForGeneration({ baseDir, adapterDir: r.adapterDir, merge: true });
  const answer = (set: Example[]) => batched(gm, set.map((e) => format(gm, e)), decode);
  const a = scoreSet(trainedDirect, answer(trainedDirect));
  const b = scoreSet(judged, answer(judged));
  const adapterQa = generalQs.length > 0 ? batched(gm, qaPrompts, qaDecode) : [];
  const qa = generalQs.length > 0 ? scoreGeneralQa(generalQs, baseQa, adapterQa) : undefined;
  const qaLines = generalQs.map((q, i) => `${q.question} => base: ${baseQa[i]} | adapter: ${adapterQa[i]}`);
  const ppl = heldOutGeneral.length > 0 ? perplexity(gm, heldOutGeneral) : Number.NaN;
  gm.dispose();
  const evalSecs = (Date.now() - t2) / 1000;
  await writeFile(path.join(outDir, final ? 'answers-final.txt' : 'answers.txt'), `${judgedName.toUpperCase()}\n${b.lines.join('\n')}\n\nTRAINED\n${a.lines.join('\n')}\n\nGENERAL QUESTIONS\n${qaLines.join('\n')}\n`);
  const lastLoss = [...r.losses].reverse().find((l) => !l.replay && !(l as { distill?: boolean }).distill)?.train;
  rows.push([
    s.name, String(s.steps), String(s.batch ?? 16), reused ? 'reused' : secs.toFixed(0), evalSecs.toFixed(0), r.backend.name, lastLoss?.toFixed(3) ?? '–', a.em.toFixed(3), b.em.toFixed(3), baseJudged ? (b.em - baseJudged.em).toFixed(3) : '–', (b.em - lookupEm).toFixed(3),
    b.faith.toFixed(3), b.refusal.toFixed(3), b.over.toFixed(3), Number.isNaN(ppl) ? '–' : `${(100 * (ppl / basePpl - 1)).toFixed(1)}%`, qa ? `${qa.forgotten}/${qa.n}` : '–',
  ]);
  console.log(`  ${s.name}: exact match per split\n${splitRows(judged, [...(baseJudged ? [['base', baseJudged.ems] as [string, number[]]] : []), ['lookup', lookupEms], ['adapter', b.ems]])}`);
  console.log(`  ${s.name}: trained in ${secs.toFixed(0)} s, scored in ${evalSecs.toFixed(0)} s; answers in ${path.join(outDir, final ? 'answers-final.txt' : 'answers.txt')}`);
}
const j = final ? 'test' : 'val';
const head = ['setting', 'steps', 'batch', 'train s', 'score s', 'backend', 'last loss', 'trained EM', `${j} EM`, `${j} EM − base`, `${j} EM − lookup`, `${j} faith`, `${j} refusal`, `${j} over-refusal`, 'perplexity Δ', 'general forgotten'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
