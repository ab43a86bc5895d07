import type { ExampleType, Split } from '../synthesis/index.js';
import type { Interval } from './bootstrap.js';
import type { Lang } from './text.js';

/** Metric names, in the order reports and charts show them. overRefusal: lower is better. */
export const METRICS = ['exactMatch', 'tokenF1', 'rougeL', 'faithfulness', 'refusalAccuracy', 'overRefusal', 'trueFalseAccuracy'] as const;
export type MetricName = (typeof METRICS)[number];

export const METRIC_LABELS: Record<MetricName, string> = {
  exactMatch: 'Exact match',
  tokenF1: 'Token F1',
  rougeL: 'ROUGE-L',
  faithfulness: 'Faithfulness',
  refusalAccuracy: 'Refusal accuracy (unanswerable)',
  overRefusal: 'Over-refusal (answerable declined)',
  trueFalseAccuracy: 'True/false accuracy',
};

/**
 * Evaluated sets: the dataset's test splits, and `test_independent` — questions written by hand from
 * the documents (not from the templates), loaded from an answer-key file (evaluation/question-set.ts).
 */
export type EvalSplit = Split | 'test_independent';

/**
 * The systems every report compares, on the same questions with the same decoding:
 * - base: the base model, question only;
 * - lookup: no model — the training answer of the most similar training question (char 3-gram Jaccard);
 * - retrieval: the base model with the top-k evidence sentences of the graph in the prompt;
 * - adapter: base + the trained LoRA adapter, question only.
 */
export const SYSTEMS = ['base', 'lookup', 'retrieval', 'adapter'] as const;
export type SystemName = (typeof SYSTEMS)[number];
export type Baseline = Exclude<SystemName, 'adapter'>;

/** Means over the examples a metric applies to; null when none did (n of that metric = 0). */
export type MetricValues = Record<MetricName, number | null>;
export type MetricCounts = Record<MetricName, number>;
export type MetricIntervals = Record<MetricName, Interval | null>;

export interface ModelScores {
  values: MetricValues;
  /** How many examples each mean is over. */
  counts: MetricCounts;
  /** 95 % percentile-bootstrap interval of each mean (seeded: the same answers give the same interval). */
  intervals: MetricIntervals;
}

export interface Gain {
  values: MetricValues;
  /** 95 % paired-bootstrap interval of adapter − baseline. */
  intervals: MetricIntervals;
}

/** Type 'answerable' is the roll-up over every type except refusal. */
export type GroupType = ExampleType | 'all' | 'answerable';

export interface GroupReport {
  split: EvalSplit | 'all';
  lang: Lang | 'all';
  type: GroupType;
  n: number;
  base: ModelScores;
  adapter: ModelScores;
  /** adapter − base, per metric (null when either side is null). */
  delta: MetricValues;
  /** Baselines that were run (lookup, retrieval). */
  lookup?: ModelScores;
  retrieval?: ModelScores;
  /** adapter − each baseline that was run, with paired intervals. */
  gains: Partial<Record<Baseline, Gain>>;
}

export interface SystemAnswer {
  answer: string;
  scores: Partial<Record<MetricName, number>>;
}

export interface ExampleResult {
  id: string;
  split: EvalSplit;
  lang: Lang;
  type: ExampleType;
  prompt: string;
  reference: string;
  base: SystemAnswer;
  adapter: SystemAnswer;
  lookup?: SystemAnswer;
  retrieval?: SystemAnswer;
}

export interface PerplexityReport {
  base: number | null;
  adapter: number | null;
  /** (adapter − base) / base; null unless both are known. */
  relativeIncrease: number | null;
  /** How many general texts, and that they share none with the base's pretraining or the replay text. */
  texts?: number;
  disjointFromPretraining?: boolean;
}

/** General questions the base answers well, scored before (base) and after (adapter): the forgetting check for a real base. */
export interface GeneralQaReport {
  n: number;
  base: number;
  adapter: number;
  /** Questions the base got right that the adapter gets wrong. */
  forgotten: number;
  /** Where the questions come from / why the check is limited (e.g. no record for this base). */
  note?: string;
}

export interface EvaluationReport {
  createdAt: string;
  splits: EvalSplit[];
  /** Which baselines ran. */
  systems: SystemName[];
  /** Every split × lang × type cell, then the roll-ups (type 'answerable'/'all', lang 'all', split 'all'). */
  groups: GroupReport[];
  perplexity: PerplexityReport;
  generalQa?: GeneralQaReport;
  /** Plain-language caveats: small n, missing baselines. */
  warnings: string[];
  examples: ExampleResult[];
}

/** Finds one group of a report; undefined when it had no examples. */
export function findGroup(
  report: EvaluationReport,
  where: { split?: EvalSplit | 'all'; lang?: Lang | 'all'; type?: GroupType },
): GroupReport | undefined {
  const split = where.split ?? 'all';
  const lang = where.lang ?? 'all';
  const type = where.type ?? 'all';
  return report.groups.find((g) => g.split === split && g.lang === lang && g.type === type);
}

/** A system's scores in a group (undefined when that baseline did not run). */
export function scoresOf(g: GroupReport, system: SystemName): ModelScores | undefined {
  return g[system];
}
