import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import { ALIAS_EVENTS, jsonProperty, LINEAGE_SUMMARY, LIST_ADAPTERS, SHOW_ADAPTER } from '../graph/index.js';
import { type GateResult, GateResultSchema } from '../evaluation/index.js';
import { LossesSchema } from '../training/contract.js';
import { RegistryError } from './errors.js';
import type { AdapterSummary, Alias, AliasEvent } from './model.js';
import { int, plain, toNum, withRead } from './internal/neo4j.js';

export interface AdapterDetail {
  adapter: {
    id: string;
    domain: string;
    version: number;
    sha256: string;
    sizeBytes: number;
    baseModelId: string;
    baseModelSha256: string;
    datasetId: string;
    datasetDigest: string;
    snapshotId: string;
    /** Industry pack of the data (absent on versions registered before it was recorded). */
    industry?: string | null;
    aliases: Alias[];
    weightsUri: string;
    manifestSha256: string;
    manifestUri: string;
    /** Report files kept in the artifact store: file name → URI. */
    reports: Record<string, string>;
    modelCardUri?: string;
    intendedUse?: string;
    createdAt: string;
  };
  trainingRun: { id: string; backend: string; baseModel: string; config: Record<string, unknown>; losses: Array<{ step: number; train: number; val?: number }>; steps: number; finalTrainLoss: number | null; finalValLoss: number | null } | null;
  dataset: { id: string; digest: string | null; splits: unknown } | null;
  snapshotId: string | null;
  evaluation: { metrics: Record<string, unknown>; gates: GateResult[]; passed: boolean } | null;
  lineage: { facts: number; chunks: number; documents: number };
  /** Alias moves to or from this version, oldest first. */
  aliasHistory: AliasEvent[];
}

export interface AdapterRef {
  tenant: string;
  domain: string;
  version: number;
}

export async function listAdapters(driver: Driver, q: { tenant: string; domain?: string }): Promise<AdapterSummary[]> {
  const res = await withRead(driver, (tx) => tx.run(LIST_ADAPTERS, { tenant: q.tenant, domain: q.domain ?? null }));
  return res.records.map((r) => ({
    adapterId: r.get('adapterId') as string,
    domain: r.get('domain') as string,
    version: toNum(r.get('version')),
    sha256: r.get('sha256') as string,
    sizeBytes: toNum(r.get('sizeBytes')),
    baseModelId: r.get('baseModelId') as string,
    datasetId: r.get('datasetId') as string,
    aliases: r.get('aliases') as Alias[],
    createdAt: r.get('createdAt') as string,
    passed: (r.get('passed') as boolean | null) ?? null,
  }));
}

export function toAliasEvent(r: { get(key: string): unknown }): AliasEvent {
  return {
    alias: r.get('alias') as Alias,
    seq: toNum(r.get('seq')),
    kind: r.get('kind') as AliasEvent['kind'],
    fromVersion: r.get('fromVersion') === null ? null : toNum(r.get('fromVersion')),
    toVersion: toNum(r.get('toVersion')),
    actor: r.get('actor') as string,
    reason: (r.get('reason') as string | null) ?? '',
    at: r.get('at') as string,
  };
}

/** Everything the registry knows about one version: adapter, run, data, evaluation, lineage, alias history. */
export async function showAdapter(driver: Driver, ref: AdapterRef): Promise<AdapterDetail> {
  const params = { tenant: ref.tenant, domain: ref.domain, version: int(ref.version) };
  return withRead(driver, async (tx) => {
    const res = await tx.run(SHOW_ADAPTER, params);
    const rec = res.records[0];
    if (rec === undefined) throw new RegistryError('AdapterNotFound', `no adapter ${ref.tenant}/${ref.domain} v${ref.version}`);
    const a = plain(rec.get('adapter')) as Record<string, unknown>;
    const run = plain(rec.get('run')) as Record<string, unknown> | null;
    const ds = plain(rec.get('dataset')) as Record<string, unknown> | null;
    const ev = plain(rec.get('evaluation')) as Record<string, unknown> | null;
    const lin = (await tx.run(LINEAGE_SUMMARY, params)).records[0];
    const version = `AdapterVersion ${ref.tenant}/${ref.domain} v${ref.version}`;
    const events = (await tx.run(ALIAS_EVENTS, { tenant: ref.tenant, domain: ref.domain, alias: null })).records
      .map(toAliasEvent)
      .filter((e) => e.toVersion === ref.version || e.fromVersion === ref.version);
    return {
      adapter: {
        ...(a as unknown as AdapterDetail['adapter']),
        aliases: (a.aliases as Alias[] | undefined) ?? [],
        reports: jsonProperty(z.record(z.string(), z.string()), a.reports, version, 'reports', {}),
      },
      trainingRun:
        run === null
          ? null
          : {
              id: run.id as string,
              backend: run.backend as string,
              baseModel: run.baseModel as string,
              config: jsonProperty(z.record(z.string(), z.unknown()), run.config, `TrainingRun of ${version}`, 'config', {}),
              losses: jsonProperty(LossesSchema, run.losses, `TrainingRun of ${version}`, 'losses', []),
              steps: (run.steps as number | undefined) ?? 0,
              finalTrainLoss: (run.finalTrainLoss as number | undefined) ?? null,
              finalValLoss: (run.finalValLoss as number | undefined) ?? null,
            },
      dataset: ds === null ? null : { id: ds.id as string, digest: (ds.digest as string | undefined) ?? null, splits: ds.splits ?? null },
      snapshotId: (rec.get('snapshotId') as string | null) ?? null,
      evaluation:
        ev === null
          ? null
          : {
              metrics: jsonProperty(z.record(z.string(), z.unknown()), ev.metrics, `Evaluation of ${version}`, 'metrics', {}),
              gates: jsonProperty(z.array(GateResultSchema), ev.gates, `Evaluation of ${version}`, 'gates', []),
              passed: ev.passed === true,
            },
      lineage: {
        facts: lin === undefined ? 0 : toNum(lin.get('facts')),
        chunks: lin === undefined ? 0 : toNum(lin.get('chunks')),
        documents: lin === undefined ? 0 : toNum(lin.get('documents')),
      },
      aliasHistory: events,
    };
  });
}
