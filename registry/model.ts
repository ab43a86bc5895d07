import { z } from 'zod';
import { GateResultSchema } from '../evaluation/contract.js';
import { LossPointSchema } from '../training/contract.js';
import { Alias } from './contract.js';

export { ALIASES, Alias } from './contract.js';

const id = z.string().min(1).max(200);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');

export const RegisterAdapterInput = z.object({
  tenant: id,
  domain: id,
  adapterDir: z.string().min(1),
  baseModelId: z.string().min(1),
  baseModelSha256: sha256,
  datasetId: id,
  datasetDigest: z.string().min(1),
  snapshotId: id,
  /** The industry pack the graph and dataset were made with (configs/industries); shown on the model card. */
  industry: z.string().min(1).optional(),
  trainingRun: z.object({
    id,
    /** The fully resolved training config (saved with every adapter). */
    config: z.record(z.string(), z.unknown()),
    backend: z.string().min(1),
    losses: z.array(LossPointSchema).default([]),
  }),
  evaluation: z.object({
    /** The evaluation report (per-example answers are dropped before storing) or a summary of it. */
    metrics: z.record(z.string(), z.unknown()),
    gates: z.array(GateResultSchema),
    passed: z.boolean(),
    /** Folder of report.json / report.md / *.svg to keep in the artifact store. */
    reportDir: z.string().optional(),
  }),
  /** For the model card. */
  intendedUse: z.string().optional(),
});
export type RegisterAdapterInput = z.input<typeof RegisterAdapterInput>;

export const SetAliasInput = z.object({
  tenant: id,
  domain: id,
  alias: Alias,
  version: z.number().int().positive(),
  actor: z.string().min(1),
  reason: z.string().default(''),
  /** Refuse versions whose evaluation gates did not pass. */
  requireGatesPassed: z.boolean().default(false),
});
export type SetAliasInput = z.input<typeof SetAliasInput>;

export const RollbackInput = z.object({ tenant: id, domain: id, alias: Alias, actor: z.string().min(1), reason: z.string().default('') });
export type RollbackInput = z.input<typeof RollbackInput>;

export interface AliasEvent {
  alias: Alias;
  seq: number;
  kind: 'set' | 'rollback';
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  reason: string;
  at: string;
}

export interface AdapterSummary {
  adapterId: string;
  domain: string;
  version: number;
  sha256: string;
  sizeBytes: number;
  baseModelId: string;
  datasetId: string;
  aliases: Alias[];
  createdAt: string;
  /** Evaluation gates verdict; null when no evaluation is stored. */
  passed: boolean | null;
}
