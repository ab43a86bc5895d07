/**
 * Registering what a pipeline run produced: the run's loss curve (training/contract.ts) and the evaluation
 * summary (evaluation/contract.ts) read back with their schemas, the adapter's artifacts into the store and
 * its metadata and lineage into Neo4j (registerAdapter). Idempotent by weights sha256.
 */
import type { Driver } from 'neo4j-driver';
import { readEvaluationSummary } from '../evaluation/index.js';
import { readLosses } from '../training/index.js';
import type { ArtifactStore } from './artifact-store.js';
import type { RegisterActivityInput, RegisterActivityResult } from './contract.js';
import { registerAdapter } from './register.js';

export async function registerRun(driver: Driver, store: ArtifactStore, input: RegisterActivityInput): Promise<RegisterActivityResult> {
  const summary = await readEvaluationSummary(input.reportDir);
  const losses = await readLosses(input.lossesFile);
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
}
