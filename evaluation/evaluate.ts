import type { Example, ExampleType } from '../synthesis/index.js';
import { bootstrapMean, bootstrapPairedDiff, MIN_RELIABLE_N } from './bootstrap.js';
import { EvaluationError } from './errors.js';
import { exactMatch, faithfulness, isRefusal, listMatch, parseTrueFalse, perplexityIncrease, rougeL, tokenF1, trueFalseCorrect } from './metrics.js';
import { METRICS, SYSTEMS } from './report.js';
import type {
  Baseline, EvalSplit, EvaluationReport, ExampleResult, Gain, GeneralQaReport, GroupReport, GroupType, MetricCounts, MetricIntervals, MetricName, MetricValues, ModelScores, SystemAnswer, SystemName,
} from './report.js';
import type { Lang } from './text.js';

export type Generate = (prompts: string[]) => Promise<string[]>;

/** Competing objects per fact id: the other objects the graph holds for that fact's subject and relation. */
export type Competitors = ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>;

/** An example to evaluate: a dataset example, or a hand-written one (split test_independent) with extra accepted answers. */
export type EvalExample = Omit<Example, 'split'> & {
  split: EvalSplit;
  /** Further canonical forms of the answer (hand-written sets: the short answer besides the sentence). */
  answers?: string[];
};

export interface EvaluateProgress {
  model: SystemName;
  done: number;
  total: number;
}

export interface EvaluateInput {
  examples: readonly EvalExample[];
  generateBase: Generate;
  generateAdapter: Generate;
  /** Lookup baseline: the answer for an example without any model (NearestAnswerLookup over the train split). */
  lookup?: (e: EvalExample) => string;
  /** Retrieval baseline: the prompt with evidence sentences for an example, answered by generateBase. */
  retrievalPrompt?: (e: EvalExample) => string;
  /** Perplexity of each model on held-out general text (the forgetting check), measured by the caller. */
  perplexityBase?: number;
  perplexityAdapter?: number;
  /** How many general texts the perplexity is over, and whether they were checked disjoint from pretraining and replay. */
  perplexityTexts?: number;
  perplexityDisjoint?: boolean;
  /** General questions scored before/after (see scoreGeneralQa), when the base answers some well. */
  generalQa?: GeneralQaReport;
  competitors?: Competitors;
  /** Prompts per generate call. Default 16. */
  batchSize?: number;
  onProgress?: (p: EvaluateProgress) => void;
  /** Which splits to evaluate. Default: the test splits (template swap, held-out, independent questions). */
  splits?: readonly EvalSplit[];
  /** How an example becomes a prompt. Default: instruction, then input after a blank line. */
  formatPrompt?: (e: EvalExample) => string;
  /** Clock, for reproducible reports in tests. */
  now?: () => Date;
}

export const DEFAULT_SPLITS: readonly EvalSplit[] = ['test_paraphrase', 'test_heldout', 'test_independent'];

export function defaultPrompt(e: Pick<EvalExample, 'instruction' | 'input'>): string {
  return e.input.trim() === '' ? e.instruction : `${e.instruction}\n\n${e.input}`;
}

/** Builds the competitor map from graph facts: same subject and predicate, different object. */
export function competitorsFromFacts(
  facts: ReadonlyArray<{ id: string; subjectId: string; predicate: string; object: string }>,
): Map<string, string[]> {
  const bySlot = new Map<string, Set<string>>();
  const slot = (f: { subjectId: string; predicate: string }) => `${f.subjectId}\u0000${f.predicate}`;
  for (const f of facts) {
    const set = bySlot.get(slot(f)) ?? new Set<string>();
    set.add(f.object);
    bySlot.set(slot(f), set);
  }
  const out = new Map<string, string[]>();
  for (const f of facts) out.set(f.id, [...(bySlot.get(slot(f)) ?? [])].filter((o) => o !== f.object));
  return out;
}

function competitorsOf(c: Competitors | undefined, factIds: readonly string[]): string[] {
  if (c === undefined) return [];
  const get = (id: string) => (c instanceof Map ? c.get(id) : (c as Readonly<Record<string, readonly string[]>>)[id]);
  return factIds.flatMap((id) => [...(get(id) ?? [])]);
}

/** The verdict a true/false example expects: its label when synthesis set one, else read from the gold or the reference. */
function verdictOf(e: Pick<EvalExample, 'label' | 'gold' | 'output'>): string {
  return e.label !== undefined ? String(e.label) : ([...e.gold, e.output].find((x) => parseTrueFalse(x) !== undefined) ?? e.output);
}

/**
 * Scores one answer to one example; only the metrics that apply to its type are present. Strict:
 * exact match is against the canonical answer only (the reference sentence, plus a hand-written
 * set's listed forms) — naming one gold object is not an exact match. A list needs all its items
 * asserted and no competitor; true/false is scored on the verdict; a refusal on declining.
 */
export function scoreAnswer(e: EvalExample, answer: string, competitors: readonly string[] = []): Partial<Record<MetricName, number>> {
  const lang: Lang = e.lang;
  const refs = [e.output, ...(e.answers ?? [])];
  const gold = e.gold.filter((g) => g.trim() !== '');
  const s: Partial<Record<MetricName, number>> = {
    tokenF1: tokenF1(answer, refs, lang),
    rougeL: rougeL(answer, refs, lang),
  };
  const declined = isRefusal(answer) ? 1 : 0;
  if (e.type === 'refusal') {
    s.exactMatch = declined;
    s.refusalAccuracy = declined;
    return s;
  }
  s.overRefusal = declined;
  if (e.type === 'true_false') {
    s.trueFalseAccuracy = trueFalseCorrect(answer, verdictOf(e));
    s.exactMatch = s.trueFalseAccuracy;
    return s;
  }
  const em = exactMatch(answer, refs, lang);
  s.exactMatch = e.type === 'list' && em === 0 ? listMatch(answer, gold, competitors, lang, e.output) : em;
  if (gold.length > 0) s.faithfulness = faithfulness(answer, gold, competitors, lang, e.output);
  return s;
}

async function generateAll(generate: Generate, prompts: string[], batchSize: number, model: SystemName, onProgress?: (p: EvaluateProgress) => void): Promise<string[]> {
  const out: string[] = [];
  onProgress?.({ model, done: 0, total: prompts.length });
  for (let i = 0; i < prompts.length; i += batchSize) {
    const batch = prompts.slice(i, i + batchSize);
    const answers = await generate(batch);
    if (answers.length !== batch.length) {
      throw new EvaluationError(`${model} generator returned ${answers.length} answers for ${batch.length} prompts`, 'GenerationMismatch');
    }
    out.push(...answers);
    onProgress?.({ model, done: out.length, total: prompts.length });
  }
  return out;
}

/**
 * Runs every system over the test splits — base, lookup (when given), base with retrieval (when
 * given), adapter — and scores each per split × language × question type, with roll-ups, the
 * adapter's gain over each baseline, and 95 % bootstrap intervals.
 */
export async function evaluate(input: EvaluateInput): Promise<EvaluationReport> {
  const splits = [...(input.splits ?? DEFAULT_SPLITS)];
  const batchSize = input.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EvaluationError(`batchSize must be a positive integer, got ${batchSize}`, 'InvalidInput');
  const format = input.formatPrompt ?? defaultPrompt;
  const examples = input.examples.filter((e) => splits.includes(e.split));
  const prompts = examples.map(format);

  const answers: Partial<Record<SystemName, string[]>> = {};
  answers.base = await generateAll(input.generateBase, prompts, batchSize, 'base', input.onProgress);
  if (input.lookup !== undefined) answers.lookup = examples.map(input.lookup);
  if (input.retrievalPrompt !== undefined) answers.retrieval = await generateAll(input.generateBase, examples.map(input.retrievalPrompt), batchSize, 'retrieval', input.onProgress);
  answers.adapter = await generateAll(input.generateAdapter, prompts, batchSize, 'adapter', input.onProgress);
  const systems = SYSTEMS.filter((s) => answers[s] !== undefined);

  const results: ExampleResult[] = examples.map((e, i) => {
    const comp = competitorsOf(input.competitors, e.factIds);
    const scored = (s: SystemName): SystemAnswer => ({ answer: answers[s]![i]!, scores: scoreAnswer(e, answers[s]![i]!, comp) });
    return {
      id: e.id, split: e.split, lang: e.lang, type: e.type, prompt: prompts[i]!, reference: e.output,
      base: scored('base'), adapter: scored('adapter'),
      ...(answers.lookup ? { lookup: scored('lookup') } : {}),
      ...(answers.retrieval ? { retrieval: scored('retrieval') } : {}),
    };
  });

  const pb = input.perplexityBase ?? null;
  const pa = input.perplexityAdapter ?? null;
  const groups = groupResults(results, systems);
  return {
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    splits,
    systems,
    groups,
    perplexity: {
      base: pb, adapter: pa, relativeIncrease: pb !== null && pa !== null && pb > 0 ? perplexityIncrease(pb, pa) : null,
      ...(input.perplexityTexts === undefined ? {} : { texts: input.perplexityTexts }),
      ...(input.perplexityDisjoint === undefined ? {} : { disjointFromPretraining: input.perplexityDisjoint }),
    },
    ...(input.generalQa === undefined ? {} : { generalQa: input.generalQa }),
    warnings: warningsFor(groups, systems, splits),
    examples: results,
  };
}

function metricColumn(rows: readonly ExampleResult[], side: SystemName, m: MetricName): number[] {
  return rows.map((r) => r[side]?.scores[m]).filter((x): x is number => x !== undefined);
}

function summarize(rows: readonly ExampleResult[], side: SystemName, key: string): ModelScores {
  const values = {} as MetricValues;
  const counts = {} as MetricCounts;
  const intervals = {} as MetricIntervals;
  for (const m of METRICS) {
    const xs = metricColumn(rows, side, m);
    counts[m] = xs.length;
    values[m] = xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
    intervals[m] = bootstrapMean(xs, `${key}|${side}|${m}`);
  }
  return { values, counts, intervals };
}

function gainOver(rows: readonly ExampleResult[], baseline: Baseline, key: string, adapter: ModelScores, other: ModelScores): Gain {
  const values = {} as MetricValues;
  const intervals = {} as MetricIntervals;
  for (const m of METRICS) {
    const a = adapter.values[m];
    const b = other.values[m];
    values[m] = a === null || b === null ? null : a - b;
    const both = rows.filter((r) => r.adapter.scores[m] !== undefined && r[baseline]?.scores[m] !== undefined);
    intervals[m] = both.length === 0 ? null : bootstrapPairedDiff(both.map((r) => r.adapter.scores[m]!), both.map((r) => r[baseline]!.scores[m]!), `${key}|gain-${baseline}|${m}`);
  }
  return { values, intervals };
}

function group(split: GroupReport['split'], lang: GroupReport['lang'], type: GroupType, rows: readonly ExampleResult[], systems: readonly SystemName[]): GroupReport {
  const key = `${split}|${lang}|${type}`;
  const scores: Partial<Record<SystemName, ModelScores>> = {};
  for (const s of systems) scores[s] = summarize(rows, s, key);
  const base = scores.base!;
  const adapter = scores.adapter!;
  const gains: Partial<Record<Baseline, Gain>> = {};
  for (const b of ['base', 'lookup', 'retrieval'] as const) if (scores[b] !== undefined) gains[b] = gainOver(rows, b, key, adapter, scores[b]);
  return {
    split, lang, type, n: rows.length, base, adapter, delta: gains.base!.values, gains,
    ...(scores.lookup ? { lookup: scores.lookup } : {}),
    ...(scores.retrieval ? { retrieval: scores.retrieval } : {}),
  };
}

/** Every non-empty split × lang × type cell plus roll-ups over type ('answerable' = all but refusal; 'all'), lang and split. */
export function groupResults(results: readonly ExampleResult[], systems: readonly SystemName[] = ['base', 'adapter']): GroupReport[] {
  const splits = unique(results.map((r) => r.split));
  const langs = unique(results.map((r) => r.lang));
  const types = unique(results.map((r) => r.type));
  const out: GroupReport[] = [];
  const typeMatches = (t: GroupType, r: ExampleResult) => t === 'all' || (t === 'answerable' ? r.type !== 'refusal' : r.type === t);
  for (const split of [...splits, 'all' as const]) {
    for (const lang of [...langs, 'all' as const]) {
      for (const type of [...types, 'answerable' as const, 'all' as const] as GroupType[]) {
        const rows = results.filter((r) => (split === 'all' || r.split === split) && (lang === 'all' || r.lang === lang) && typeMatches(type, r));
        if (rows.length > 0) out.push(group(split, lang, type, rows, systems));
      }
    }
  }
  return out;
}

/** Per evaluated split: a warning for every headline count (all, answerable, unanswerable) under 30, and for a baseline that did not run. */
function warningsFor(groups: readonly GroupReport[], systems: readonly SystemName[], splits: readonly EvalSplit[]): string[] {
  const out: string[] = [];
  for (const b of ['lookup', 'retrieval'] as const) if (!systems.includes(b)) out.push(`the ${b} baseline did not run: the adapter's gain over it is unknown`);
  for (const split of splits) {
    for (const [type, what] of [['all', 'questions'], ['answerable', 'answerable questions'], ['refusal', 'unanswerable questions']] as Array<[ExampleType | 'all' | 'answerable', string]>) {
      const g = groups.find((x) => x.split === split && x.lang === 'all' && x.type === type);
      if (g !== undefined && g.n < MIN_RELIABLE_N) out.push(`${split}: only ${g.n} ${what} (n < ${MIN_RELIABLE_N}): the 95 % intervals are wide; read the means with them`);
    }
  }
  return out;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
