/**
 * Pipeline inputs, validated with zod. Pure (no I/O): imported at runtime by workflows, so the
 * Temporal Web UI's JSON input is checked inside the workflow and fails at once with field names.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _, 1–63 chars, starting with a letter or digit');

export const TrainingOptions = z.object({
  /** LoRA rank: 8 is PEFT's default and enough for a few hundred facts on the tiny base. */
  rank: z.number().int().min(1).max(256).default(8),
  alpha: z.number().positive().default(16),
  dropout: z.number().min(0).max(0.5).default(0),
  targets: z.array(z.enum(['q', 'k', 'v', 'o', 'gate', 'up', 'down'])).min(1).default(['q', 'k', 'v', 'o', 'gate', 'up', 'down']),
  /**
   * Optimiser steps. 400 × 16 examples ≈ 12 passes over the sample corpus's ~540 training examples
   * (~5 min on one core with wasm). Measured: not enough for the tiny base to memorise its ~76 train
   * facts (train exact match 0.075 after 600 steps at lr 1e-2); a larger base or more steps is needed.
   */
  steps: z.number().int().min(1).max(1_000_000).default(400),
  /** 1e-2: on the 1.2 M-parameter tiny base, 3e-3 left train loss at 1.31 after 300 steps; 1e-2 reached ~0.6–1.1. */
  learningRate: z.number().positive().max(1).default(1e-2),
  batchSize: z.number().int().min(1).max(512).default(16),
  /**
   * One micro-batch in this many is general text (the base's own pretraining text) instead of
   * instruction pairs, so the adapter does not make the base forget language; 0 turns replay off.
   */
  replayEvery: z.number().int().min(0).max(1000).refine((n) => n !== 1, 'must be 0 (off) or at least 2').default(4),
  checkpointEvery: z.number().int().min(1).default(50),
  seed: z.number().int().default(1),
});
export type TrainingOptions = z.infer<typeof TrainingOptions>;

export const GateOptions = z.object({
  /** Adapter EM minus base EM on the paraphrase split. */
  emGainParaphrase: z.number().min(-1).max(1).default(0.3),
  refusalAccuracy: z.number().min(0).max(1).default(0.8),
  /** Relative perplexity increase on general text allowed (forgetting check). */
  maxPerplexityIncrease: z.number().min(0).default(0.1),
});
export type GateOptions = z.infer<typeof GateOptions>;

export const PipelineInput = z.object({
  tenant: id,
  domain: id,
  corpus: id,
  /** Folder of documents, readable by the CPU workers. */
  source: z.string().min(1),
  industry: z.string().regex(/^[a-z0-9_-]+$/).default('manufacturing'),
  seed: z.number().int().default(1),
  synthesis: z.object({ targetSize: z.number().int().min(10).max(1_000_000).default(1200) }).default({ targetSize: 1200 }),
  training: TrainingOptions.default(TrainingOptions.parse({})),
  gates: GateOptions.default(GateOptions.parse({})),
  /** How far to promote once registered: `staging` needs passed gates; `production` also waits for approval. */
  promote: z.enum(['none', 'staging', 'production']).default('staging'),
  approvalTimeout: z.string().regex(/^\d+(s|m|h|d)$/).default('24h'),
});
export type PipelineInput = z.infer<typeof PipelineInput>;
export type PipelineInputRaw = z.input<typeof PipelineInput>;

export class InputError extends Error {
  readonly type = 'ValidationError';
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

/** Canonical JSON (sorted keys) — used for config digests and workflow ids. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** FNV-1a 64-bit over the canonical JSON, hex. Pure, so a workflow can derive child ids from it too. */
export function configDigest(v: unknown): string {
  const s = canonicalJson(v);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** Workflow id of a pipeline: same tenant, corpus and config → same id, so a duplicate start is rejected. */
export function pipelineWorkflowId(input: PipelineInput): string {
  return `pipeline-${input.tenant}-${input.corpus}-${configDigest(input).slice(0, 12)}`;
}
