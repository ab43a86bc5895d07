import type { ExampleType, Split } from '../synthesis/model.js';
import type { Lang } from './text.js';

/** Metric names, in the order reports and charts show them. */
export const METRICS = ['exactMatch', 'tokenF1', 'rougeL', 'faithfulness', 'refusalAccuracy', 'trueFalseAccuracy'] as const;
export type MetricName = (typeof METRICS)[number];

export const METRIC_LABELS: Record<MetricName, string> = {
  exactMatch: 'Exact match',
  tokenF1: 'Token F1',
  rougeL: 'ROUGE-L',
  faithfulness: 'Faithfulness',
  refusalAccuracy: 'Refusal accuracy',
  trueFalseAccuracy: 'True/false accuracy',
};

/** Means over the examples a metric applies to; null when none did (n of that metric = 0). */
export type MetricValues = Record<MetricName, number | null>;
export type MetricCounts = Record<MetricName, number>;

export interface ModelScores {
  values: MetricValues;
  /** How many examples each mean is over. */
  counts: MetricCounts;
}

export interface GroupReport {
  split: Split | 'all';
  lang: Lang | 'all';
  type: ExampleType | 'all';
  n: number;
  base: ModelScores;
  adapter: ModelScores;
  /** adapter − base, per metric (null when either side is null). */
  delta: MetricValues;
}

export interface ExampleResult {
  id: string;
  split: Split;
  lang: Lang;
  type: ExampleType;
  prompt: string;
  reference: string;
  base: { answer: string; scores: Partial<Record<MetricName, number>> };
  adapter: { answer: string; scores: Partial<Record<MetricName, number>> };
}

export interface PerplexityReport {
  base: number | null;
  adapter: number | null;
  /** (adapter − base) / base; null unless both are known. */
  relativeIncrease: number | null;
}

export interface EvaluationReport {
  createdAt: string;
  splits: Split[];
  /** Every split × lang × type cell, then the roll-ups (type 'all', lang 'all', split 'all'). */
  groups: GroupReport[];
  perplexity: PerplexityReport;
  examples: ExampleResult[];
}

/** Finds one group of a report; undefined when it had no examples. */
export function findGroup(
  report: EvaluationReport,
  where: { split?: Split | 'all'; lang?: Lang | 'all'; type?: ExampleType | 'all' },
): GroupReport | undefined {
  const split = where.split ?? 'all';
  const lang = where.lang ?? 'all';
  const type = where.type ?? 'all';
  return report.groups.find((g) => g.split === split && g.lang === lang && g.type === type);
}
