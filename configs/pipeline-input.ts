/**
 * Pipeline inputs, validated with zod. Pure (no I/O): imported at runtime by workflows, so the
 * Temporal Web UI's JSON input is checked inside the workflow and fails at once with field names.
 */
import { z } from 'zod';
import { PiiOptions } from './pure/pii-options.js';
import { canonicalJson, fnv1a64Hex } from './pure/hash.js';
import { DEFAULT_INDUSTRY, INDUSTRY_PACKS, unknownIndustryMessage } from './industry-names.js';
import { ExtractionOptions } from './extraction.js';
import { KgtuneError } from './pure/errors.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _, 1–63 chars, starting with a letter or digit');

export const TrainingOptions = z.object({
  /**
   * LoRA rank. Measured on the sample corpus (tiny base, 800 steps, lr 5e-3): rank 8 at lr 1e-2
   * learned almost nothing (train exact match 0.05); rank 32 reached train EM 0.68 and paraphrase
   * EM 0.62 (base 0.00). See the note on issue #8 for the table.
   */
  rank: z.number().int().min(1).max(256).default(32),
  /** LoRA alpha: 2 × rank, so the update's scale (alpha/rank) stays 2 whatever the rank. */
  alpha: z.number().positive().default(64),
  dropout: z.number().min(0).max(0.5).default(0),
  targets: z.array(z.enum(['q', 'k', 'v', 'o', 'gate', 'up', 'down'])).min(1).default(['q', 'k', 'v', 'o', 'gate', 'up', 'down']),
  /**
   * Optimiser steps of 16 sequences; one in `replayEvery` is general text. 800 ≈ 15 passes over the
   * sample corpus's ~640 training pairs: 400 steps left paraphrase EM at 0.15, 800 reached 0.62.
   * About 6 min on this 2-core machine with the native backend, ~12 min with wasm.
   */
  steps: z.number().int().min(1).max(1_000_000).default(800),
  /** 5e-3 with rank 32: 1e-2 at rank 8 plateaued at train loss ~1.2. */
  learningRate: z.number().positive().max(1).default(5e-3),
  batchSize: z.number().int().min(1).max(512).default(16),
  /**
   * One micro-batch in this many is general text (the base's own pretraining text) instead of
   * instruction pairs, so the adapter does not make the base forget language; 0 turns replay off.
   * Measured: without replay, general-text perplexity rose +1,331% (400 steps) and +3,058% (800);
   * with 1 in 4 it moved −1% to +2%.
   */
  replayEvery: z.number().int().min(0).max(1000).refine((n) => n !== 1, 'must be 0 (off) or at least 2').default(4),
  /**
   * End with the weights of the best validation loss instead of the last step's. Off: the
   * validation split asks facts never trained on, so its loss tracks answer format, not whether the
   * trained facts were learnt. On the sample corpus it restored step 640 of 800 and paraphrase
   * exact match was 0.39, against 0.53 for the last step's weights (note on issue #8).
   */
  keepBestValidation: z.boolean().default(false),
  checkpointEvery: z.number().int().min(1).default(50),
  /** Recompute each layer in the backward pass instead of keeping its activations (training/trainer/config.ts). Unset: on for bases above 50 M parameters; optional, so inputs without it keep their config digest. */
  gradientCheckpointing: z.boolean().optional(),
  seed: z.number().int().default(1),
});
export type TrainingOptions = z.infer<typeof TrainingOptions>;

export const GateOptions = z.object({
  /** Adapter EM minus base EM on the template-swap split (test_paraphrase). */
  emGainParaphrase: z.number().min(-1).max(1).default(0.3),
  /** Adapter EM minus the nearest-training-answer lookup's EM, on the template-swap and the held-out split. */
  minGainOverLookup: z.number().min(-1).max(1).default(0.05),
  /** Share of unanswerable test questions declined. */
  refusalAccuracy: z.number().min(0).max(1).default(0.8),
  /** Share of answerable test questions declined, at most. */
  maxOverRefusal: z.number().min(0).max(1).default(0.2),
  /** Relative perplexity increase on general text allowed (forgetting check). */
  maxPerplexityIncrease: z.number().min(0).default(0.1),
  /**
   * Share of the general questions the base answers right (a real base: examples/general-questions)
   * that the adapter may get wrong. Unset: 0.2 whenever they were scored — the adapter keeps ≥ 80 %.
   */
  maxGeneralQaForgotten: z.number().min(0).max(1).optional(),
});
export type GateOptions = z.infer<typeof GateOptions>;

export const PipelineInput = z.object({
  tenant: id,
  domain: id,
  corpus: id,
  /** Folder of documents, readable by the CPU workers. */
  source: z.string().min(1),
  /**
   * The base model the adapter is trained on: `tiny` (built in), a pulled catalogue id
   * (`./kgtune base pull smollm2-135m-instruct`, `./kgtune base list`), a base sha256, or an absolute
   * path to a Hugging Face folder (imported into the catalogue by content).
   */
  base: z.string().trim().min(1).max(4096).default('tiny'),
  /**
   * The industry pack (configs/industries/<name>.yaml): the entity and relation types extraction
   * looks for and the question templates synthesis phrases with. Checked here, before anything is
   * ingested; the default and why: configs/industry-names.ts.
   */
  industry: z.enum(INDUSTRY_PACKS, { error: (iss) => unknownIndustryMessage(iss.input) }).default(DEFAULT_INDUSTRY),
  seed: z.number().int().default(1),
  /** Which extractor builds the graph: offline (default), llm or both — see configs/extraction.ts. */
  extraction: ExtractionOptions.default({ mode: 'offline' }),
  synthesis: z.object({ targetSize: z.number().int().min(10).max(1_000_000).default(1200) }).default({ targetSize: 1200 }),
  training: TrainingOptions.default(TrainingOptions.parse({})),
  gates: GateOptions.default(GateOptions.parse({})),
  /** How far to promote once registered: `staging` needs passed gates; `production` also waits for approval. */
  promote: z.enum(['none', 'staging', 'production']).default('staging'),
  approvalTimeout: z.string().regex(/^\d+(s|m|h|d)$/).default('24h'),
  /**
   * The tenant's PII redaction at ingest: `{ kinds, action: mask|hash|drop, allow }` (configs/pure/pii-options.ts).
   * Absent: every kind masked with its typed placeholder. Optional without a default, so inputs without
   * it keep their config digest and workflow id.
   */
  pii: PiiOptions.optional(),
});
export type PipelineInput = z.infer<typeof PipelineInput>;
export type PipelineInputRaw = z.input<typeof PipelineInput>;

export class InputError extends KgtuneError {
  readonly type = 'ValidationError';
  get code(): string { return this.type; }
  get retryable(): boolean { return false; }
}

/** Parse or fail with one line naming every bad field. */
export function parsePipelineInput(raw: unknown): PipelineInput {
  const r = PipelineInput.safeParse(raw);
  if (!r.success) {
    const fields = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`);
    throw new InputError(`invalid pipeline input — ${fields.join('; ')}`);
  }
  return r.data;
}

/** FNV-1a 64-bit over the canonical JSON, hex. Pure, so a workflow can derive child ids from it too. */
export function configDigest(v: unknown): string {
  return fnv1a64Hex(canonicalJson(v));
}

/** Workflow id of a pipeline: same tenant, corpus and config → same id, so a duplicate start is rejected. */
export function pipelineWorkflowId(input: PipelineInput): string {
  return `pipeline-${input.tenant}-${input.corpus}-${configDigest(input).slice(0, 12)}`;
}
