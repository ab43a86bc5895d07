import type { Lang } from './internal/text.js';
import type { Example, Split } from './model.js';

/** n-gram sizes: characters for Chinese (no word boundaries), words for English. */
export const NGRAM = { zh: { unit: 'char', n: 8 }, en: { unit: 'word', n: 5 } } as const;

export interface SplitContamination {
  examples: number;
  /** Examples sharing at least one n-gram with some train instruction. */
  withOverlap: number;
  overlapRate: number;
  /** Mean share of an example's n-grams that occur in train instructions. */
  meanNgramOverlap: number;
  /** Instructions identical to a train instruction. */
  exactDuplicates: number;
  /** Distinct facts of the split, and how many of them train also uses. */
  facts: number;
  factsInTrain: number;
}

export type TestSplit = Exclude<Split, 'train'>;
export interface ContaminationReport {
  ngram: typeof NGRAM;
  splits: Record<TestSplit, SplitContamination>;
}

export function ngrams(text: string, lang: Lang): string[] {
  if (lang === 'zh') {
    const chars = [...text.replace(/\s+/g, '')];
    const out: string[] = [];
    for (let i = 0; i + NGRAM.zh.n <= chars.length; i++) out.push(chars.slice(i, i + NGRAM.zh.n).join(''));
    return out;
  }
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  const out: string[] = [];
  for (let i = 0; i + NGRAM.en.n <= words.length; i++) out.push(words.slice(i, i + NGRAM.en.n).join(' '));
  return out;
}

/**
 * Compare every non-train instruction with the train instructions. Templates are shared across
 * facts by design, so n-gram overlap is a figure to read, not zero; facts shared with train must
 * be zero for val and test_heldout and total for test_paraphrase.
 */
export function contamination(examples: readonly Example[]): ContaminationReport {
  const trainGrams = new Set<string>();
  const trainInstructions = new Set<string>();
  const trainFacts = new Set<string>();
  for (const e of examples) {
    if (e.split !== 'train') continue;
    trainInstructions.add(e.instruction);
    for (const g of ngrams(e.instruction, e.lang)) trainGrams.add(`${e.lang}|${g}`);
    for (const f of e.factIds) trainFacts.add(f);
  }
  const splits = {} as Record<TestSplit, SplitContamination>;
  for (const split of ['val', 'test_paraphrase', 'test_heldout'] as const) {
    const rows = examples.filter((e) => e.split === split);
    let withOverlap = 0;
    let shareSum = 0;
    let shareCount = 0;
    let exactDuplicates = 0;
    const facts = new Set<string>();
    for (const e of rows) {
      for (const f of e.factIds) facts.add(f);
      if (trainInstructions.has(e.instruction)) exactDuplicates++;
      const grams = ngrams(e.instruction, e.lang);
      if (grams.length === 0) continue;
      const hit = grams.filter((g) => trainGrams.has(`${e.lang}|${g}`)).length;
      if (hit > 0) withOverlap++;
      shareSum += hit / grams.length;
      shareCount++;
    }
    splits[split] = {
      examples: rows.length,
      withOverlap,
      overlapRate: rows.length ? round(withOverlap / rows.length) : 0,
      meanNgramOverlap: shareCount ? round(shareSum / shareCount) : 0,
      exactDuplicates,
      facts: facts.size,
      factsInTrain: [...facts].filter((f) => trainFacts.has(f)).length,
    };
  }
  return { ngram: NGRAM, splits };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
