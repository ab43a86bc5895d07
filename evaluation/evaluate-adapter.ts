/**
 * One pipeline evaluation: base, lookup, base with retrieval, and base+adapter answer the test splits and the
 * independent question set (batched greedy generation, one answer budget for all); metrics per split ×
 * language × type with intervals, forgetting (perplexity on disjoint general text, general questions when
 * the base ships them), gates, a report with charts, and the summary the registry reads
 * (evaluation/contract.ts). The evaluation activity binds it to Temporal (heartbeats).
 */
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { projectRoot, type KgtuneEnv } from '../configs/env.js';
import { readSnapshot } from '../graph/index.js';
import { readExamples } from '../synthesis/index.js';
import { chatPrompt, currentBackend, generate, loadBaseText, loadForGeneration, perplexity, readLosses, replayTexts, tinyBasePaths, BASE_PRETRAIN_CHARS, type GenerationModel } from '../training/index.js';
import { cachedBatches, LocalAnswerCache, type AnswerCacheContext } from './answer-cache.js';
import { competitorsFromFacts, defaultPrompt, evaluate, type EvalExample } from './evaluate.js';
import { EvidenceRetriever, NearestAnswerLookup, retrievalQuestion } from './baselines.js';
import { loadQuestionSets, questionSetExamples, questionSetMatches } from './question-set.js';
import { answerTokenBudget, disjointGeneralText, scoreGeneralQa, type GeneralQuestion } from './forgetting.js';
import { findGeneralQaRecord, GENERAL_QA_RECORDS_DIR, GENERAL_QUESTIONS_FILE, loadGeneralQuestions } from './general-qa.js';
import { findGroup, type EvaluationReport, type GeneralQaReport, type GroupType, type MetricName } from './report.js';
import { writeReport } from './report-writers.js';
import { runGates } from './gates.js';
import { DEFAULT_MAX_GENERAL_QA_FORGOTTEN, type EvaluateAdapterInput, type EvaluateAdapterResult, type EvaluationSummary, REPORT_DIR } from './contract.js';
import { writeEvaluationSummary } from './summary-file.js';
import { EvaluationError } from './errors.js';

const GENERAL_HELDOUT_TEXTS = 24;
/** Where the base's answers and perplexity are cached (evaluation/answer-cache.ts), in the tenant's artifact folder. */
export const ANSWER_CACHE_DIR = 'answer-cache';

/**
 * The cache of base computations for one tenant: `<artifacts>/<tenant>/answer-cache`. Per tenant because its
 * records hold the tenant's questions (its documents' facts): they stay inside the tenant's folder, are removed
 * with it, and one tenant's evaluation never reads another's records.
 */
export function answerCacheFor(env: Pick<KgtuneEnv, 'artifactsDir'>, tenant: string): LocalAnswerCache {
  return new LocalAnswerCache(path.join(env.artifactsDir, tenant, ANSWER_CACHE_DIR));
}

/**
 * What the base's cached answers depend on besides prompts and decoding: its sha256 (the catalogue folder's
 * name) and the backend. Undefined for a base folder outside the content-addressed catalogue (nothing to key on: not cached).
 */
export function answerCacheContext(baseDir: string): AnswerCacheContext | undefined {
  const b = currentBackend();
  if (b === undefined) throw new EvaluationError('answerCacheContext: no tfjs backend selected yet (load a model first)', 'InvalidInput');
  const sha = path.basename(baseDir);
  if (!/^[0-9a-f]{64}$/.test(sha)) return undefined;
  return { baseSha256: sha, backend: b.tensorflow ? `${b.name}@${b.tensorflow}` : b.name };
}
/** Evidence sentences in the retrieval baseline's prompt (fewer when the prompt would not fit the context). */
const RETRIEVAL_K = 3;

/**
 * General text for the forgetting check (perplexity): past the base's pretraining text, and sharing no
 * text with it or with the replay text. The pretraining set is what loadBaseText returns for the
 * pretraining budget — it ends after the round that crosses the budget, so counting characters to
 * find its end (as before) put one pretraining text into the held-out set.
 */
export async function heldOutGeneralText(env: KgtuneEnv): Promise<{ texts: string[]; disjoint: boolean }> {
  const { cacheDir } = tinyBasePaths(env);
  const pretrain = (await loadBaseText(cacheDir, BASE_PRETRAIN_CHARS)).texts;
  const replay = await replayTexts(env);
  const all = (await loadBaseText(cacheDir, BASE_PRETRAIN_CHARS + 40_000)).texts;
  const texts = disjointGeneralText(all, pretrain, replay, GENERAL_HELDOUT_TEXTS);
  const seen = new Set([...pretrain, ...replay].map((t) => t.trim()));
  return { texts, disjoint: texts.every((t) => !seen.has(t.trim())) };
}

/** Question sets that apply to this graph (their anchor names are among its entities). */
export async function independentExamples(env: KgtuneEnv, entityNames: readonly string[]): Promise<EvalExample[]> {
  const dir = path.resolve(projectRoot(), env.KGTUNE_QUESTION_SETS ?? path.join('examples', 'answer-keys'));
  return (await loadQuestionSets(dir)).filter((s) => questionSetMatches(s, entityNames)).flatMap(questionSetExamples);
}

/** Where the general question set and the per-base records of `kgtune base general-qa` are (examples/ unless moved). */
export function generalQuestionPaths(env: KgtuneEnv): { file: string; recordsDir: string } {
  const file = path.resolve(projectRoot(), env.KGTUNE_GENERAL_QUESTIONS ?? path.join('examples', GENERAL_QUESTIONS_FILE));
  return { file, recordsDir: path.join(path.dirname(file), GENERAL_QA_RECORDS_DIR) };
}

/**
 * The general questions this base answered right when it was checked (`kgtune base general-qa`), or
 * why there are none: the tiny base answers none of them, and a base never checked has no record.
 */
export async function generalQuestionsFor(env: KgtuneEnv, baseDir: string): Promise<{ questions: GeneralQuestion[]; note: string }> {
  const { file, recordsDir } = generalQuestionPaths(env);
  const set = await loadGeneralQuestions(file);
  const sha256 = path.basename(baseDir);
  const record = await findGeneralQaRecord(recordsDir, sha256, set.sha256);
  if (record === undefined) return { questions: [], note: `no record for base ${sha256.slice(0, 12)} in ${path.relative(projectRoot(), recordsDir)} (run ./kgtune base general-qa <id>; the tiny base answers none)` };
  return { questions: record.kept.map(({ answer: _a, ...q }) => q), note: `the ${record.kept.length} of ${record.kept.length + record.dropped.length} questions of ${path.relative(projectRoot(), file)} that ${record.base} answered right when recorded` };
}

const SUMMARY_SETS = [['test_paraphrase', 'templateSwap'], ['test_heldout', 'heldout'], ['test_independent', 'independent']] as const;
const SUMMARY_ROWS: ReadonlyArray<[GroupType, string, MetricName]> = [
  ['answerable', 'answerable', 'exactMatch'], ['answerable', 'answerable', 'faithfulness'], ['answerable', 'answerable', 'overRefusal'],
  ['refusal', 'unanswerable', 'refusalAccuracy'], ['true_false', 'trueFalse', 'trueFalseAccuracy'],
];

/** The headline numbers the CLI and Web UI show: per test set, answerable and unanswerable, every system, the adapter's interval. */
export function summarize(report: EvaluationReport): EvaluationSummary {
  const out: EvaluationSummary = {};
  for (const [split, short] of SUMMARY_SETS) {
    for (const [type, subset, m] of SUMMARY_ROWS) {
      const g = findGroup(report, { split, type });
      const b = g?.base.values[m];
      const a = g?.adapter.values[m];
      if (g === undefined || b === null || b === undefined || a === null || a === undefined) continue;
      const iv = g.adapter.intervals[m];
      out[`${short}.${subset}.${m}`] = {
        base: b, adapter: a, n: g.adapter.counts[m],
        ...(g.lookup?.values[m] != null ? { lookup: g.lookup.values[m] } : {}),
        ...(g.retrieval?.values[m] != null ? { retrieval: g.retrieval.values[m] } : {}),
        ...(iv ? { adapterCi: iv } : {}),
      };
    }
  }
  const p = report.perplexity;
  if (p.base !== null && p.adapter !== null) out['general.perplexity'] = { base: p.base, adapter: p.adapter, ...(p.texts === undefined ? {} : { n: p.texts }) };
  const q = report.generalQa;
  if (q !== undefined) out['general.questions'] = { base: q.base, adapter: q.adapter, n: q.n };
  return out;
}

/** New tokens for a general answer: the short answers ("Paris", "The capital of France is Paris.") fit well within it. */
export const GENERAL_QA_MAX_NEW_TOKENS = 32;

/** Greedy answers in batches of 16 (a batch's KV cache stays small for a real base). */
export function batched(gm: GenerationModel, prompts: string[], o: { maxNewTokens: number; greedy: true; onStep?: () => void }): string[] {
  const out: string[] = [];
  for (let i = 0; i < prompts.length; i += 16) out.push(...generate(gm, prompts.slice(i, i + 16), o));
  return out;
}

function tokenCount(gm: GenerationModel, s: string): number {
  return gm.tokenizer.encode(s).length;
}

export interface EvaluationRun extends EvaluateAdapterInput {
  driver: Driver;
  env: KgtuneEnv;
  /** Called often (between decoding steps too) with the latest progress: for heartbeats. */
  heartbeat: (progress: unknown) => void;
  /** The base's cached answers; default: `<artifacts>/<tenant>/answer-cache` (answerCacheFor). */
  answerCache?: LocalAnswerCache;
}

export async function evaluateAdapter(o: EvaluationRun): Promise<EvaluateAdapterResult> {
  const { driver, env, tenant, runId, baseDir, adapterDir, datasetDir, lossesFile, gates, snapshotId } = o;
  const all = await readExamples(datasetDir);
  const snapshot = await readSnapshot(driver, tenant, snapshotId);
  const independent = await independentExamples(env, snapshot.entities.flatMap((e) => [e.name, ...e.aliases]));
  const examples: EvalExample[] = [...all, ...independent];
  const base = await loadForGeneration({ baseDir, backend: env.KGTUNE_TRAIN_BACKEND });
  const tuned = await loadForGeneration({ baseDir, adapterDir, merge: true, backend: env.KGTUNE_TRAIN_BACKEND });
  try {
    const tested = examples.filter((e) => e.split.startsWith('test'));
    // the base's own chat template (the tiny base's is <s><|user|>…<|assistant|>), as training renders the pairs
    const format = (e: Pick<EvalExample, 'instruction' | 'input'>) => chatPrompt(base.tokenizer, { instruction: e.instruction, input: e.input });
    const maxCtx = base.model.config.maxPositions;
    const longestPrompt = Math.max(0, ...tested.map((e) => tokenCount(base, format(e)) + 1));
    // +1: the end-of-sequence token the answer must also be able to emit
    const maxNewTokens = answerTokenBudget(tested.flatMap((e) => [e.output, ...(e.answers ?? [])]), (s) => tokenCount(base, s) + 1, maxCtx - longestPrompt);
    // heartbeats between decoding steps too: a batch of a real base can outlast the heartbeat timeout
    let lastProgress: unknown;
    const beat = (): void => o.heartbeat(lastProgress);
    const decode = { maxNewTokens, greedy: true as const, onStep: beat };

    const lookup = new NearestAnswerLookup(all.filter((e) => e.split === 'train').map((e) => ({ question: defaultPrompt(e), answer: e.output })));
    const retriever = new EvidenceRetriever(snapshot.facts.filter((f) => f.withdrawn !== true).flatMap((f) => f.evidence.map((ev) => ev.sentence)));
    const retrievalPrompt = (e: EvalExample): string => {
      const q = defaultPrompt(e);
      for (let k = RETRIEVAL_K; k >= 0; k--) {
        const p = format({ instruction: retrievalQuestion(q, retriever.top(q, k), e.lang), input: '' });
        if (k === 0 || tokenCount(base, p) + 1 + maxNewTokens <= maxCtx) return p;
      }
      return format(e);
    };

    // the base's answers and perplexity depend only on base, backend, decoding and prompts: cached across adapters
    const cache = o.answerCache ?? answerCacheFor(env, tenant);
    const ctx = answerCacheContext(baseDir);
    const baseBatch = (d: { maxNewTokens: number; greedy: true; onStep?: () => void }) => async (prompts: string[]) =>
      ctx === undefined ? generate(base, prompts, d) : cache.answers(ctx, d, prompts, (ps) => generate(base, ps, d));
    const general = await heldOutGeneralText(env);
    const gq = await generalQuestionsFor(env, baseDir);
    let generalQa: GeneralQaReport | undefined;
    if (gq.questions.length > 0) {
      const prompts = gq.questions.map((q) => format({ instruction: q.question, input: '' }));
      const qaDecode = { maxNewTokens: GENERAL_QA_MAX_NEW_TOKENS, greedy: true as const, onStep: beat };
      const baseQa = ctx === undefined ? batched(base, prompts, qaDecode) : await cachedBatches(cache, ctx, qaDecode, prompts, 16, (ps) => generate(base, ps, qaDecode));
      generalQa = { ...scoreGeneralQa(gq.questions, baseQa, batched(tuned, prompts, qaDecode)), note: gq.note };
    }
    const report = await evaluate({
      examples,
      formatPrompt: format,
      generateBase: baseBatch(decode),
      generateAdapter: async (prompts) => generate(tuned, prompts, decode),
      lookup: (e) => lookup.answer(defaultPrompt(e)),
      retrievalPrompt,
      perplexityBase: general.texts.length === 0 ? undefined : ctx === undefined ? perplexity(base, general.texts, beat) : await cache.perplexity(ctx, general.texts, () => perplexity(base, general.texts, beat)),
      perplexityAdapter: general.texts.length ? perplexity(tuned, general.texts, beat) : undefined,
      perplexityTexts: general.texts.length,
      perplexityDisjoint: general.disjoint,
      ...(generalQa === undefined ? {} : { generalQa }),
      competitors: competitorsFromFacts(snapshot.facts),
      batchSize: 16,
      onProgress: (p: unknown) => {
        lastProgress = p;
        o.heartbeat(p);
      },
    });
    const gateConfig = { ...gates, maxGeneralQaForgotten: gates.maxGeneralQaForgotten ?? (generalQa === undefined ? undefined : DEFAULT_MAX_GENERAL_QA_FORGOTTEN) };
    const verdict = await runGates({ report, config: gateConfig, adapterDir, adapter: { layers: base.model.config.layers } });
    const reportDir = path.join(path.dirname(lossesFile), REPORT_DIR);
    const losses = await readLosses(lossesFile);
    await writeReport(report, reportDir, { title: `Evaluation of ${runId}`, losses, gates: verdict.gates });
    const summary = summarize(report);
    await writeEvaluationSummary(reportDir, { metrics: summary, gates: verdict.gates, passed: verdict.passed });
    return {
      reportDir, passed: verdict.passed, summary,
      gates: verdict.gates.map((g) => ({ name: g.name, value: g.value ?? Number.NaN, threshold: g.threshold, passed: g.verdict === 'pass' })),
    };
  } finally {
    base.dispose();
    tuned.dispose();
  }
}
