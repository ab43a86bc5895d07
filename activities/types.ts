/**
 * The activity interfaces the workflows call. Payloads carry ids, paths and summaries — never
 * document text or tensors. Factories in this folder implement them; workflows `import type` them.
 */
import type { GateOptions, TrainingOptions } from '../configs/pipeline-input.js';
import type { PiiOptions } from '../configs/pure/pii-options.js';
import type { ExtractionOptionsRaw } from '../configs/extraction.js';
import type { LlmStats } from '../graph/extract/llm.js';

export interface StatusCounts { [status: string]: number }

export interface IngestActivities {
  /** Lists the corpus folder (recursively), sorted; returns paths relative to `source`. */
  listCorpus(input: { source: string; tenant?: string }): Promise<{ files: string[]; bytes: number }>;
  /**
   * One page of the same sorted listing: the files after `after` (exclusive), at most `limit` of them and
   * at most ~256 KB of names, so the payload stays far below Temporal's 2 MB limit for any corpus size.
   * `next` is the cursor for the following page (absent on the last page); `total` counts every file.
   */
  listCorpusPage(input: { source: string; tenant?: string; after?: string; limit?: number }): Promise<{ files: string[]; next?: string; total: number }>;
  /** Ingests a batch of files into Neo4j. Idempotent: documents are keyed by content hash. `pii`: the tenant's redaction policy. */
  ingestBatch(input: { tenant: string; corpus: string; source: string; files: string[]; industry: string; pii?: PiiOptions }): Promise<{ counts: StatusCounts; chunks: number; failures: { file: string; status: string; reason: string }[] }>;
  /** Term discovery over the corpus's stored chunks; terms stored on the Corpus node. */
  discoverCorpusTerms(input: { tenant: string; corpus: string; industry: string }): Promise<{ terms: number; top: string[] }>;
}

export interface GraphActivities {
  ensureSchema(): Promise<void>;
  countChunks(input: { tenant: string; corpus: string }): Promise<{ chunks: number }>;
  /** Extracts facts from chunks [skip, skip+limit) and writes them. Idempotent (MERGE on stable ids). */
  extractBatch(input: { tenant: string; corpus: string; industry: string; skip: number; limit: number; extraction?: ExtractionOptionsRaw }): Promise<{ entities: number; facts: number; llm?: LlmStats }>;
  createSnapshot(input: { tenant: string; corpus: string }): Promise<{ snapshotId: string; facts: number; entities: number }>;
}

export interface SynthesisActivities {
  synthesizeDataset(input: { tenant: string; corpus: string; snapshotId: string; industry: string; seed: number; targetSize: number }): Promise<{ datasetId: string; digest: string; dir: string; counts: Record<string, number>; bySplit: Record<string, number> }>;
}

export interface TrainingActivities {
  /** Returns the tiny base model folder, pretraining it once if it is not cached. */
  ensureBaseModel(input: { seed: number; base?: string }): Promise<{ baseDir: string; baseModelId: string; sha256: string }>;
  /** LoRA fine-tuning; heartbeats the last checkpoint; a retry resumes from it. */
  trainAdapter(input: { tenant: string; domain: string; runId: string; baseDir: string; baseModelId?: string; datasetDir: string; training: TrainingOptions; /** Workflows to send `trainingProgress` signals to. */ progressTo?: string[] }): Promise<{ adapterDir: string; runId: string; backend: string; steps: number; finalTrainLoss: number; finalValLoss?: number; trainable: number; total: number; lossesFile: string }>;
}

/** Headline numbers: key `<test set>.<subset>.<metric>`; lookup/retrieval when those baselines ran; n and the adapter's 95 % interval. */
export type EvaluationSummary = Record<string, { base: number; adapter: number; lookup?: number; retrieval?: number; n?: number; adapterCi?: [number, number] }>;

export interface EvaluationActivities {
  evaluate(input: { tenant: string; runId: string; baseDir: string; adapterDir: string; datasetDir: string; lossesFile: string; snapshotId: string; gates: GateOptions }): Promise<{ reportDir: string; passed: boolean; summary: EvaluationSummary; gates: { name: string; value: number; threshold: number; passed: boolean }[] }>;
}

export interface RegistryActivities {
  register(input: { tenant: string; domain: string; corpus: string; runId: string; adapterDir: string; baseDir: string; baseModelId: string; datasetId: string; datasetDigest: string; snapshotId: string; reportDir: string; lossesFile: string; baseSha256: string; trainingConfig: TrainingOptions; backend: string; industry?: string }): Promise<{ adapterId: string; version: number; sha256: string }>;
  setAlias(input: { tenant: string; domain: string; alias: 'candidate' | 'staging' | 'production'; version: number; actor: string; reason: string }): Promise<{ previous: number | null }>;
  rollbackAlias(input: { tenant: string; domain: string; alias: 'candidate' | 'staging' | 'production'; actor: string; reason: string }): Promise<{ version: number | null }>;
  adapterGatesPassed(input: { tenant: string; domain: string; version: number }): Promise<{ passed: boolean; reasons: string[] }>;
}
