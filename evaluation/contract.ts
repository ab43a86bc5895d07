/**
 * The evaluation stage's contract: zod only, pure (no Node, no tfjs), so workflows may import it. The
 * promotion gates (the pipeline input's `gates`, with the one set of defaults), the gate results, the
 * headline summary, the activity payloads and the report folder's layout (read back by evaluation/summary-file.ts).
 */
import { z } from 'zod';
import { RunRef } from '../training/contract.js';

// ── Options ──────────────────────────────────────────────────────────────────────────────────────

/** The pipeline input's `gates`: thresholds of the promotion gates on the evaluation report; defaults carry the reason. */
export const GateOptions = z.object({
  /** Adapter EM minus base EM on the template-swap split (test_paraphrase): the adapter must answer questions about trained facts much better than the base. */
  emGainParaphrase: z.number().min(-1).max(1).default(0.3),
  /**
   * Adapter EM minus the nearest-training-answer lookup's EM, on the template-swap and the held-out split:
   * otherwise training bought nothing a lookup does not give. 0.05 = five more questions right per hundred.
   */
  minGainOverLookup: z.number().min(-1).max(1).default(0.05),
  /** Share of unanswerable test questions (made-up entities, relations the documents do not state) declined, not invented. */
  refusalAccuracy: z.number().min(0).max(1).default(0.8),
  /** …and answerable ones must not be: at most this share of answerable test questions declined. */
  maxOverRefusal: z.number().min(0).max(1).default(0.2),
  /** Forgetting check: general-text perplexity may rise by at most this fraction (0.10 = 10 %). */
  maxPerplexityIncrease: z.number().min(0).default(0.1),
  /**
   * Share of the general questions the base answers right (a real base: examples/general-questions)
   * that the adapter may get wrong. Unset: DEFAULT_MAX_GENERAL_QA_FORGOTTEN whenever they were scored.
   */
  maxGeneralQaForgotten: z.number().min(0).max(1).optional(),
});
export type GateOptions = z.infer<typeof GateOptions>;

/** With general questions scored (a real base), the adapter must keep ≥ 80 % of those the base answers right. */
export const DEFAULT_MAX_GENERAL_QA_FORGOTTEN = 0.2;

/** The gates the evaluation stage runs: the pipeline's, plus optional ones code-level callers may add. */
export const GateConfigSchema = GateOptions.extend({
  /** Optional: the adapter must beat the base with retrieval by this much EM on the template-swap split. */
  minGainOverRetrieval: z.number().min(-1).max(1).optional(),
  /** Optional: adapter faithfulness over all test splits. */
  minFaithfulness: z.number().min(0).max(1).optional(),
  /** Optional: adapter true/false accuracy over all test splits. */
  minTrueFalseAccuracy: z.number().min(0).max(1).optional(),
});
export type GateConfig = z.infer<typeof GateConfigSchema>;
export type GateConfigInput = z.input<typeof GateConfigSchema>;

export const GateResultSchema = z.object({
  name: z.string(),
  /** The measured value; null when it could not be measured (that fails the gate). */
  value: z.number().nullable(),
  threshold: z.number(),
  comparator: z.enum(['>=', '<=', '==']),
  verdict: z.enum(['pass', 'fail']),
  detail: z.string().optional(),
});
export type GateResult = z.infer<typeof GateResultSchema>;

// ── Activity payloads ────────────────────────────────────────────────────────────────────────────

/** Headline numbers: key `<test set>.<subset>.<metric>`; lookup/retrieval when those baselines ran; n and the adapter's 95 % interval. */
export const EvaluationSummary = z.record(z.string(), z.object({
  base: z.number(),
  adapter: z.number(),
  lookup: z.number().optional(),
  retrieval: z.number().optional(),
  n: z.number().optional(),
  adapterCi: z.tuple([z.number(), z.number()]).optional(),
}));
export type EvaluationSummary = z.infer<typeof EvaluationSummary>;

export const EvaluateAdapterInput = RunRef.extend({
  adapterDir: z.string(),
  /** The run's losses.json (training/contract.ts); the report goes to `evaluation/` beside it. */
  lossesFile: z.string(),
  snapshotId: z.string(),
  gates: GateOptions,
});
export type EvaluateAdapterInput = z.infer<typeof EvaluateAdapterInput>;

export const EvaluateAdapterResult = z.object({
  reportDir: z.string(),
  passed: z.boolean(),
  summary: EvaluationSummary,
  /** NaN value: not measurable (the gate failed). */
  gates: z.array(z.object({ name: z.string(), value: z.number(), threshold: z.number(), passed: z.boolean() })),
});
export type EvaluateAdapterResult = z.infer<typeof EvaluateAdapterResult>;

// ── Artifact layout ──────────────────────────────────────────────────────────────────────────────
// `<run folder>/evaluation/`: the report (HTML, JSON, charts: evaluation/report.ts) and EVAL_SUMMARY_FILE,
// which the registry reads to record the evaluation.

export const REPORT_DIR = 'evaluation';
export const EVAL_SUMMARY_FILE = 'evaluation-summary.json';

export const EvaluationSummaryFile = z.object({ metrics: EvaluationSummary, gates: z.array(GateResultSchema), passed: z.boolean() });
export type EvaluationSummaryFile = z.infer<typeof EvaluationSummaryFile>;
