/**
 * The registry stage's contract: zod only, pure (no Node, no driver), so workflows may import it. How far a
 * pipeline promotes (the pipeline input's `promote` and `approvalTimeout`), the aliases, and the registry
 * activities' payloads.
 */
import { z } from 'zod';
import { TrainingOptions } from '../training/contract.js';

export const ALIASES = ['candidate', 'staging', 'production'] as const;
export const Alias = z.enum(ALIASES);
export type Alias = z.infer<typeof Alias>;

// ── Options ──────────────────────────────────────────────────────────────────────────────────────

/** How far to promote once registered: `staging` needs passed gates; `production` also waits for approval. */
export const PromoteTarget = z.enum(['none', 'staging', 'production']).default('staging');
/** How long `production` waits for a human decision (`30m`, `24h`, `7d`); then the promotion times out. */
export const ApprovalTimeout = z.string().regex(/^\d+(s|m|h|d)$/).default('24h');

// ── Activity payloads ────────────────────────────────────────────────────────────────────────────

export const RegisterActivityInput = z.object({
  tenant: z.string(), domain: z.string(), corpus: z.string(), runId: z.string(),
  adapterDir: z.string(), baseDir: z.string(), baseModelId: z.string(), baseSha256: z.string(),
  datasetId: z.string(), datasetDigest: z.string(), snapshotId: z.string(),
  /** The evaluation's report folder (its evaluation-summary.json: evaluation/contract.ts). */
  reportDir: z.string(),
  /** The run's losses.json (training/contract.ts). */
  lossesFile: z.string(),
  /** The pipeline's training options, recorded on the TrainingRun as given. */
  trainingConfig: TrainingOptions,
  backend: z.string(),
  industry: z.string().optional(),
});
export type RegisterActivityInput = z.infer<typeof RegisterActivityInput>;
export const RegisterActivityResult = z.object({ adapterId: z.string(), version: z.number().int(), sha256: z.string() });
export type RegisterActivityResult = z.infer<typeof RegisterActivityResult>;

const AliasTarget = z.object({ tenant: z.string(), domain: z.string(), alias: Alias, actor: z.string(), reason: z.string() });
export const SetAliasActivityInput = AliasTarget.extend({ version: z.number().int() });
export type SetAliasActivityInput = z.infer<typeof SetAliasActivityInput>;
export const RollbackAliasActivityInput = AliasTarget;
export type RollbackAliasActivityInput = z.infer<typeof RollbackAliasActivityInput>;

export const GatesPassedInput = z.object({ tenant: z.string(), domain: z.string(), version: z.number().int() });
export type GatesPassedInput = z.infer<typeof GatesPassedInput>;
export const GatesPassedResult = z.object({ passed: z.boolean(), reasons: z.array(z.string()) });
export type GatesPassedResult = z.infer<typeof GatesPassedResult>;
