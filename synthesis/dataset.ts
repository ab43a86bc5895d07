import type { ContaminationReport } from './contamination.js';
import { ExampleType, Split, type Example } from './model.js';
import type { ResolvedSynthesisOptions } from './options.js';

export interface DatasetCounts {
  total: number;
  /** The target asked for; total is lower when the graph cannot support more. */
  requested: number;
  bySplit: Record<Split, number>;
  byType: Record<ExampleType, number>;
  byLang: Record<'zh' | 'en', number>;
  bySplitType: Record<Split, Record<ExampleType, number>>;
  /** Examples per relation type (multi-hop counts for both hops). */
  byRelation: Record<string, number>;
  /** Facts per split (test_paraphrase facts are train facts). */
  factsBySplit: Record<Split, number>;
  candidates: number;
  droppedByCaps: number;
  droppedByTarget: number;
  /** Multi-fact questions whose facts fell in different splits (dropped to keep splits clean). */
  droppedCrossSplit: number;
  /** test_paraphrase examples dropped because balancing removed their facts from train. */
  droppedUntrainedParaphrase: number;
}

/** The result of `synthesize`: examples in canonical order with their identity and figures. */
export interface Dataset {
  /** SHA-256 of the canonical JSONL of `examples`. */
  digest: string;
  snapshotId: string;
  tenant: string;
  corpus: string;
  seed: number;
  examples: Example[];
  counts: DatasetCounts;
  contamination: ContaminationReport;
  /** Fact ids per split, for lineage (Dataset)-[:FROM_SNAPSHOT]/facts. */
  factSplits: Record<Split, string[]>;
  options: Omit<ResolvedSynthesisOptions, 'templates'> & { templatesOverridden: boolean };
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

export function factSplitsOf(examples: readonly Example[]): Record<Split, string[]> {
  const sets = Object.fromEntries(Split.options.map((s) => [s, new Set<string>()])) as Record<Split, Set<string>>;
  for (const e of examples) for (const f of e.factIds) sets[e.split].add(f);
  return Object.fromEntries(Split.options.map((s) => [s, [...sets[s]].sort()])) as Record<Split, string[]>;
}

export function countExamples(examples: readonly Example[], factSplits: Record<Split, string[]>, extra: Pick<DatasetCounts, 'requested' | 'candidates' | 'droppedByCaps' | 'droppedByTarget' | 'droppedCrossSplit' | 'droppedUntrainedParaphrase'>): DatasetCounts {
  const bySplit = zeroes(Split.options);
  const byType = zeroes(ExampleType.options);
  const byLang = zeroes(['zh', 'en'] as const);
  const bySplitType = Object.fromEntries(Split.options.map((s) => [s, zeroes(ExampleType.options)])) as Record<Split, Record<ExampleType, number>>;
  const byRelation: Record<string, number> = {};
  for (const e of examples) {
    bySplit[e.split]++;
    byType[e.type]++;
    byLang[e.lang]++;
    bySplitType[e.split][e.type]++;
    for (const p of e.predicates ?? []) byRelation[p] = (byRelation[p] ?? 0) + 1;
  }
  const sortedRelations = Object.fromEntries(Object.entries(byRelation).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const factsBySplit = Object.fromEntries(Split.options.map((s) => [s, factSplits[s].length])) as Record<Split, number>;
  return { total: examples.length, bySplit, byType, byLang, bySplitType, byRelation: sortedRelations, factsBySplit, ...extra };
}
