import type { Example, ExampleType, Split } from '../synthesis/model.js';
import { EvaluationError } from './errors.js';
import { exactMatch, faithfulness, isRefusal, parseTrueFalse, perplexityIncrease, rougeL, tokenF1, trueFalseCorrect } from './metrics.js';
import { METRICS } from './report.js';
import type { EvaluationReport, ExampleResult, GroupReport, MetricCounts, MetricName, MetricValues, ModelScores } from './report.js';
import type { Lang } from './text.js';

export type Generate = (prompts: string[]) => Promise<string[]>;

/** Competing objects per fact id: the other objects the graph holds for that fact's subject and relation. */
export type Competitors = ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>;

export interface EvaluateProgress {
  model: 'base' | 'adapter';
  done: number;
  total: number;
}

export interface EvaluateInput {
  examples: readonly Example[];
  generateBase: Generate;
  generateAdapter: Generate;
  /** Perplexity of each model on held-out general text (the forgetting check), measured by the caller. */
  perplexityBase?: number;
  perplexityAdapter?: number;
  competitors?: Competitors;
  /** Prompts per generate call. Default 16. */
  batchSize?: number;
  onProgress?: (p: EvaluateProgress) => void;
  /** Which splits to evaluate. Default: the two test splits. */
  splits?: readonly Split[];
  /** How an example becomes a prompt. Default: instruction, then input after a blank line. */
  formatPrompt?: (e: Example) => string;
  /** Clock, for reproducible reports in tests. */
  now?: () => Date;
}

export const DEFAULT_SPLITS: readonly Split[] = ['test_paraphrase', 'test_heldout'];

export function defaultPrompt(e: Example): string {
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

/** Scores one answer to one example; only the metrics that apply to its type are present. */
export function scoreAnswer(e: Example, answer: string, competitors: readonly string[] = []): Partial<Record<MetricName, number>> {
  const lang: Lang = e.lang;
  const refs = e.type === 'refusal' ? [e.output] : [e.output, ...e.gold.filter((g) => g.trim() !== '')];
  const s: Partial<Record<MetricName, number>> = {
    exactMatch: exactMatch(answer, refs, lang),
    tokenF1: tokenF1(answer, refs, lang),
    rougeL: rougeL(answer, refs, lang),
  };
  if (e.type === 'refusal') s.refusalAccuracy = isRefusal(answer) ? 1 : 0;
  else if (e.type === 'true_false') {
    // The verdict: the example's label when synthesis set one, else the gold when it is one when it is one (是/否, true/false), else from the reference answer.
    const verdict = e.label !== undefined ? String(e.label) : ([...e.gold, e.output].find((x) => parseTrueFalse(x) !== undefined) ?? e.output);
    s.trueFalseAccuracy = trueFalseCorrect(answer, verdict);
  }
  else if (e.gold.some((g) => g.trim() !== '')) s.faithfulness = faithfulness(answer, e.gold, competitors, lang);
  return s;
}

async function generateAll(
  generate: Generate,
  prompts: string[],
  batchSize: number,
  model: 'base' | 'adapter',
  onProgress?: (p: EvaluateProgress) => void,
): Promise<string[]> {
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
 * Runs the base and the adapter over the test splits (base first, then adapter, in batches) and
 * scores both per split × language × question type, with roll-ups and adapter − base deltas.
 */
export async function evaluate(input: EvaluateInput): Promise<EvaluationReport> {
  const splits = [...(input.splits ?? DEFAULT_SPLITS)];
  const batchSize = input.batchSize ?? 16;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EvaluationError(`batchSize must be a positive integer, got ${batchSize}`, 'InvalidInput');
  const format = input.formatPrompt ?? defaultPrompt;
  const examples = input.examples.filter((e) => splits.includes(e.split));
  const prompts = examples.map(format);

  const baseAnswers = await generateAll(input.generateBase, prompts, batchSize, 'base', input.onProgress);
  const adapterAnswers = await generateAll(input.generateAdapter, prompts, batchSize, 'adapter', input.onProgress);

  const results: ExampleResult[] = examples.map((e, i) => {
    const comp = competitorsOf(input.competitors, e.factIds);
    const b = baseAnswers[i]!;
    const a = adapterAnswers[i]!;
    return {
      id: e.id,
      split: e.split,
      lang: e.lang,
      type: e.type,
      prompt: prompts[i]!,
      reference: e.output,
      base: { answer: b, scores: scoreAnswer(e, b, comp) },
      adapter: { answer: a, scores: scoreAnswer(e, a, comp) },
    };
  });

  const pb = input.perplexityBase ?? null;
  const pa = input.perplexityAdapter ?? null;
  return {
    createdAt: (input.now ?? (() => new Date()))().toISOString(),
    splits,
    groups: groupResults(results),
    perplexity: { base: pb, adapter: pa, relativeIncrease: pb !== null && pa !== null && pb > 0 ? perplexityIncrease(pb, pa) : null },
    examples: results,
  };
}

function summarize(rows: readonly ExampleResult[], side: 'base' | 'adapter'): ModelScores {
  const values = {} as MetricValues;
  const counts = {} as MetricCounts;
  for (const m of METRICS) {
    const xs = rows.map((r) => r[side].scores[m]).filter((x): x is number => x !== undefined);
    counts[m] = xs.length;
    values[m] = xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
  }
  return { values, counts };
}

function group(split: GroupReport['split'], lang: GroupReport['lang'], type: GroupReport['type'], rows: readonly ExampleResult[]): GroupReport {
  const base = summarize(rows, 'base');
  const adapter = summarize(rows, 'adapter');
  const delta = {} as MetricValues;
  for (const m of METRICS) {
    const b = base.values[m];
    const a = adapter.values[m];
    delta[m] = a === null || b === null ? null : a - b;
  }
  return { split, lang, type, n: rows.length, base, adapter, delta };
}

/** Every non-empty split × lang × type cell plus roll-ups over type, lang and split. */
export function groupResults(results: readonly ExampleResult[]): GroupReport[] {
  const splits = unique(results.map((r) => r.split));
  const langs = unique(results.map((r) => r.lang));
  const types = unique(results.map((r) => r.type));
  const out: GroupReport[] = [];
  for (const split of [...splits, 'all' as const]) {
    for (const lang of [...langs, 'all' as const]) {
      for (const type of [...types, 'all' as const]) {
        const rows = results.filter((r) => (split === 'all' || r.split === split) && (lang === 'all' || r.lang === lang) && (type === 'all' || r.type === type));
        if (rows.length > 0) out.push(group(split, lang, type as ExampleType | 'all', rows));
      }
    }
  }
  return out;
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}
