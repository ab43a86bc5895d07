import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { adapterGatesPassed, artifactStoreFromEnv, registerAdapter, rollback, setAlias } from '../registry/index.js';
import type { KgtuneEnv } from '../configs/env.js';
import type { RegistryActivities } from './types.js';
import { classified } from './errors.js';

/** Files the evaluation activity leaves in its report folder for the registry. */
export const EVAL_SUMMARY_FILE = 'evaluation-summary.json';

export function createRegistryActivities(deps: { driver: Driver; env: KgtuneEnv }): RegistryActivities {
  const { driver, env } = deps;
  // Local folder by default; S3-compatible when KGTUNE_S3_* is set (see registry/artifact-store.ts).
  const store = artifactStoreFromEnv(env);
  return {
    /** Artifacts into the content-addressed store, metadata + lineage into Neo4j. Idempotent by weights sha256. */
    async register(input) {
      return classified(async () => {
        const summary = JSON.parse(await readFile(path.join(input.reportDir, EVAL_SUMMARY_FILE), 'utf8')) as { metrics: Record<string, unknown>; gates: never[]; passed: boolean };
        const losses = JSON.parse(await readFile(input.lossesFile, 'utf8')) as { step: number; train: number; val?: number }[];
        const r = await registerAdapter(driver, store, {
          tenant: input.tenant, domain: input.domain, adapterDir: input.adapterDir,
          baseModelId: input.baseModelId, baseModelSha256: input.baseSha256,
          datasetId: input.datasetId, datasetDigest: input.datasetDigest, snapshotId: input.snapshotId,
          ...(input.industry ? { industry: input.industry } : {}),
          trainingRun: { id: input.runId, config: { ...input.trainingConfig }, backend: input.backend, losses },
          evaluation: { metrics: summary.metrics, gates: summary.gates, passed: summary.passed, reportDir: input.reportDir },
          intendedUse: `Answering questions about corpus '${input.corpus}' of tenant '${input.tenant}' (${input.domain}), citing its documents.`,
        });
        return { adapterId: r.adapterId, version: r.version, sha256: r.sha256 };
      });
    },
    async setAlias(input) {
      return classified(async () => {
        const r = await setAlias(driver, input);
        return { previous: r.previous ?? null };
      });
    },
    async rollbackAlias(input) {
      return classified(async () => {
        const r = await rollback(driver, input);
        return { version: r.version ?? null };
      });
    },
    async adapterGatesPassed(input) {
      return classified(() => adapterGatesPassed(driver, input));
    },
  };
}
