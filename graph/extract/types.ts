import type { ChunkRecord } from '../../ingest/index.js';
import type { IndustryPack } from '../../configs/industry-pack.js';
import type { EntityRecord, FactRecord } from '../model.js';
import type { LlmStats } from './llm.js';

export interface ExtractInput {
  tenant: string;
  chunks: ChunkRecord[];
  /** The corpus's discovered terms (ingest's new-word discovery). */
  terms?: string[];
  pack: IndustryPack;
  /** Entities stored by earlier batches of the corpus: their names and aliases resolve to them. */
  known?: EntityRecord[];
}

export interface ExtractStats {
  sentences: number;
  patternFacts: number;
  attributeFacts: number;
  tableFacts: number;
  cooccurrenceFacts: number;
  merges: number;
  /** LLM extractor only: responses that failed validation twice and were dropped. */
  llmDropped?: number;
  llmCalls?: number;
  /** LLM extractor only: calls, cache hits, failed chunks, grounded triples and drops by reason. */
  llm?: LlmStats;
}

export interface ExtractResult {
  entities: EntityRecord[];
  facts: FactRecord[];
  stats: ExtractStats;
}

/** Offline (default) and LLM extractors share this interface. */
export interface Extractor {
  readonly name: string;
  extract(input: ExtractInput): Promise<ExtractResult>;
}

/** A jieba token with offsets relative to its sentence. */
export interface Token {
  word: string;
  tag: string;
  start: number;
  end: number;
}

export type MentionSource = 'corpus' | 'dict' | 'pattern' | 'term' | 'pos' | 'caps' | 'phrase';

export interface Mention {
  start: number;
  end: number;
  /** Surface text (width-folded, original script). */
  text: string;
  type?: string;
  source: MentionSource;
}

export interface SentenceCtx {
  chunk: ChunkRecord;
  /** [start, end) relative to the chunk. */
  start: number;
  end: number;
  /** Original sentence text (for evidence). */
  raw: string;
  /** Width-folded original script: mention surfaces come from here. */
  surface: string;
  /** Width-folded and simplified (same length as surface): patterns and jieba run on this. */
  match: string;
  tokens: Token[];
  mentions: Mention[];
}

/** One extracted statement before entity resolution. */
export interface RawFact {
  /** `inferred`: the type comes from the relation, not from the mention (a weak vote). */
  subject: { text: string; type?: string; inferred?: boolean };
  predicate: string;
  object: { text: string; type?: string; literal: boolean; inferred?: boolean };
  sentence: SentenceCtx;
  confidence: number;
  via: 'pattern' | 'attribute' | 'table' | 'cooccurrence' | 'llm';
}

export interface AliasLink {
  full: string;
  short: string;
  type?: string;
  rule: 'abbreviation' | 'parenthetical' | 'parenthetical-short' | 'short-name';
  sentence: SentenceCtx;
}
