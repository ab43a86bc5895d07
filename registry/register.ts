import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { CREATE_ADAPTER_VERSION, DATASET_DIGEST, FIND_ADAPTER_BY_ID, LOCK_DOMAIN, SET_ADAPTER_ARTIFACTS } from '../graph/index.js';
import { putAdapterDir } from './adapter-artifacts.js';
import type { ArtifactStore } from './artifact-store.js';
import { showAdapter } from './catalog.js';
import { RegistryError } from './errors.js';
import { renderModelCard } from './model-card.js';
import { RegisterAdapterInput } from './model.js';
import { int, toNum, withWrite } from './internal/neo4j.js';
import { sha256Hex } from '../configs/hash.js';

export interface RegisterResult {
  adapterId: string;
  version: number;
  sha256: string;
  /** false when this adapter (same weights, tenant, domain) was already registered. */
  created: boolean;
  modelCardUri: string | null;
}

/** Stable adapter id: the same weights in the same tenant and domain are the same adapter. */
export function adapterIdFor(tenant: string, domain: string, weightsSha256: string): string {
  return `adapter-${sha256Hex(`${tenant}\u0000${domain}\u0000${weightsSha256}`).slice(0, 32)}`;
}

async function putReportDir(store: ArtifactStore, dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isFile() || !/\.(json|md|svg|png)$/.test(e.name)) continue;
    out[e.name] = (await store.putFile(path.join(dir, e.name))).uri;
  }
  return out;
}

/**
 * Registers an adapter version: artifacts into the store (content-addressed), then in one Neo4j
 * transaction TrainingRun-[:USED]->Dataset-[:FROM_SNAPSHOT]->GraphSnapshot, Adapter-[:PRODUCED_BY]->
 * TrainingRun and Evaluation-[:OF]->Adapter. Versions count up per tenant and domain. Idempotent:
 * the same weights registered again return the existing version (for activity retries).
 */
export async function registerAdapter(driver: Driver, store: ArtifactStore, raw: RegisterAdapterInput): Promise<RegisterResult> {
  const input = RegisterAdapterInput.parse(raw);
  const { tenant, domain } = input;
  const stored = await putAdapterDir(store, input.adapterDir);
  const reports = input.evaluation.reportDir === undefined ? {} : await putReportDir(store, input.evaluation.reportDir);
  const sha256 = stored.weights.sha256;
  const adapterId = adapterIdFor(tenant, domain, sha256);

  const { version, created } = await withWrite(driver, async (tx) => {
    const lock = await tx.run(LOCK_DOMAIN, { tenant, domain });
    const existing = await tx.run(FIND_ADAPTER_BY_ID, { tenant, adapterId });
    if (existing.records.length > 0) return { version: toNum(existing.records[0]!.get('version')), created: false };

    const ds = await tx.run(DATASET_DIGEST, { tenant, datasetId: input.datasetId });
    const known: unknown = ds.records[0]?.get('digest');
    if (typeof known === 'string' && known !== input.datasetDigest) {
      throw new RegistryError('DatasetDigestMismatch', `dataset ${input.datasetId} has digest ${known}, the adapter was trained on ${input.datasetDigest}`);
    }
    const next = toNum(lock.records[0]!.get('lastVersion')) + 1;
    const losses = input.trainingRun.losses;
    const last = losses[losses.length - 1];
    const lastVal = [...losses].reverse().find((l) => l.val !== undefined);
    // The task's last training loss, not a replayed general-text step's.
    const lastTask = [...losses].reverse().find((l) => !l.replay && !l.distill);
    const metrics = { ...input.evaluation.metrics };
    delete metrics.examples; // answers stay in the report artifact, not in the graph
    const row = {
      domain,
      snapshotId: input.snapshotId,
      datasetId: input.datasetId,
      datasetDigest: input.datasetDigest,
      run: {
        id: input.trainingRun.id,
        config: JSON.stringify(input.trainingRun.config),
        backend: input.trainingRun.backend,
        baseModel: input.baseModelId,
        baseModelSha256: input.baseModelSha256,
        losses: JSON.stringify(losses),
        steps: int(losses.length === 0 ? 0 : Math.round(last!.step)),
        finalTrainLoss: lastTask?.train ?? null,
        finalValLoss: lastVal?.val ?? null,
      },
      adapter: {
        id: adapterId,
        domain,
        version: int(next),
        sha256,
        sizeBytes: int(stored.sizeBytes),
        baseModelId: input.baseModelId,
        baseModelSha256: input.baseModelSha256,
        datasetId: input.datasetId,
        datasetDigest: input.datasetDigest,
        snapshotId: input.snapshotId,
        industry: input.industry ?? null,
        trainingRunId: input.trainingRun.id,
        weightsUri: stored.weights.uri,
        manifestSha256: stored.manifest.sha256,
        manifestUri: stored.manifest.uri,
        reports: JSON.stringify(reports),
        intendedUse: input.intendedUse ?? null,
      },
      evaluation: {
        id: `eval-${adapterId.slice('adapter-'.length)}`,
        metrics: JSON.stringify(metrics),
        gates: JSON.stringify(input.evaluation.gates),
        passed: input.evaluation.passed,
      },
    };
    const res = await tx.run(CREATE_ADAPTER_VERSION, { tenant, rows: [row] });
    if (res.records.length !== 1) throw new RegistryError('DomainNotFound', `domain ${tenant}/${domain} vanished while registering`);
    return { version: next, created: true };
  });

  // The card reads back what was stored, so it shows exactly the registry's view.
  const detail = await showAdapter(driver, { tenant, domain, version });
  let modelCardUri = detail.adapter.modelCardUri ?? null;
  if (created || modelCardUri === null) {
    const card = await store.putBytes(new TextEncoder().encode(renderModelCard(detail)));
    modelCardUri = card.uri;
    await withWrite(driver, (tx) => tx.run(SET_ADAPTER_ARTIFACTS, { tenant, adapterId, modelCardSha256: card.sha256, modelCardUri }));
  }
  return { adapterId, version, sha256, created, modelCardUri };
}
