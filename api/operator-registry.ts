/**
 * What the registry view for MLOps reads and does, across tenants: versions per tenant and domain
 * (with aliases, metrics, gates), one version's detail (model card as safe HTML, artifacts, lineage),
 * downloads of a version's own stored artifacts, pending approvals, approve/reject and rollback.
 * Actions go through the same code as the CLI: `sendReview` (client/review.ts: validated approve/reject signals of the
 * promotion workflow) and the registry's `rollback`.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import neo4j, { type Driver } from 'neo4j-driver';
import { z } from 'zod';
import { ADAPTER_TENANTS, jsonProperty, VERSION_ARTIFACTS, VERSION_LINEAGE } from '../graph/index.js';
import { AdapterManifest, aliasHistory, rollback, RegistryError, showAdapter, type AliasEvent, type ArtifactStore } from '../registry/index.js';
import { num, queryPromotionState, readTx, ReviewError, sendReview, waitForPromotion, withTimeout } from '../client/index.js';
import { ReviewSchema, type PromoteStatus } from '../workflows/promote.js';
import type { Operator } from './operator-auth.js';
import { ApiError } from './errors.js';
import type { Catalog } from './catalog.js';
import { modelCardHtml } from './model-card-html.js';
import type { Adapter } from './schemas.js';

type AdapterT = z.infer<typeof Adapter>;

export interface DomainView { tenant: string; domain: string; versions: AdapterT[]; aliasHistory: AliasEvent[] }
export interface ArtifactRef { name: string; kind: 'adapter' | 'manifest' | 'model-card' | 'report'; sha256: string; size: number | null; href: string }
export interface LineageView {
  documents: { sha256: string; name: string; facts: number }[];
  snapshot: { id: string; corpus: string | null; createdAt: string | null };
  dataset: { id: string; digest: string | null };
  run: { id: string | null; backend: string | null; steps: number | null; createdAt: string | null };
}
export interface Approval { workflowId: string; tenant: string; domain: string; version: number; target: string; state: string; startedAt: string | null }

const PromoteArgs = z.object({ tenant: z.string(), domain: z.string(), version: z.number().int(), target: z.string() });
const HEX64 = /[0-9a-f]{64}$/;

export function artifactHref(tenant: string, domain: string, version: number, name: string): string {
  return `/v1/ops/adapters/${encodeURIComponent(tenant)}/${encodeURIComponent(domain)}/${version}/artifacts/${encodeURIComponent(name)}`;
}

function registryToApi(e: unknown): never {
  if (e instanceof RegistryError) {
    const notFound = e.type === 'AdapterNotFound' || e.type === 'DomainNotFound' || e.type === 'ArtifactNotFound';
    throw new ApiError(notFound ? 'not_found' : 'conflict', e.message);
  }
  throw e;
}

export class OperatorRegistry {
  constructor(
    private readonly driver: Driver,
    private readonly catalog: Catalog,
    private readonly store: ArtifactStore | undefined,
    private readonly temporal: Client | undefined,
  ) {}

  /** Every tenant's adapters, grouped by tenant and domain, newest version first, with each domain's alias history. */
  async overview(): Promise<DomainView[]> {
    const tenants = await readTx(this.driver, async (tx) => (await tx.run(ADAPTER_TENANTS)).records.map((r) => r.get('tenant') as string));
    const out: DomainView[] = [];
    for (const tenant of tenants) {
      const byDomain = new Map<string, AdapterT[]>();
      for (const a of await this.catalog.adapters(tenant)) byDomain.set(a.domain, [...(byDomain.get(a.domain) ?? []), a]);
      for (const [domain, versions] of byDomain) out.push({ tenant, domain, versions, aliasHistory: await aliasHistory(this.driver, { tenant, domain }) });
    }
    return out;
  }

  /** The artifacts stored for one version: the adapter folder's files, its manifest, the model card and the reports. */
  async artifacts(tenant: string, domain: string, version: number): Promise<ArtifactRef[]> {
    const rec = await readTx(this.driver, async (tx) => (await tx.run(VERSION_ARTIFACTS, { tenant, domain, version: neo4j.int(version) })).records[0]);
    if (!rec) throw new ApiError('not_found', `no adapter ${tenant}/${domain} v${version}`);
    const href = (name: string) => artifactHref(tenant, domain, version, name);
    const out: ArtifactRef[] = [];
    const manifestSha = rec.get('manifestSha256') as string | null;
    if (manifestSha && this.store) {
      const manifest = AdapterManifest.safeParse(JSON.parse(new TextDecoder().decode(await this.store.get(manifestSha).catch(registryToApi))));
      if (manifest.success) for (const f of manifest.data.files) out.push({ name: f.path, kind: 'adapter', sha256: f.sha256, size: f.size, href: href(f.path) });
    } else if (typeof rec.get('weightsSha256') === 'string') {
      out.push({ name: 'adapter_model.safetensors', kind: 'adapter', sha256: rec.get('weightsSha256') as string, size: null, href: href('adapter_model.safetensors') });
    }
    if (manifestSha) out.push({ name: 'manifest.json', kind: 'manifest', sha256: manifestSha, size: null, href: href('manifest.json') });
    const card = rec.get('modelCardSha256') as string | null;
    if (card) out.push({ name: 'model-card.md', kind: 'model-card', sha256: card, size: null, href: href('model-card.md') });
    const reports = jsonProperty(z.record(z.string(), z.unknown()), rec.get('reports'), `AdapterVersion ${tenant}/${domain} v${version}`, 'reports', {});
    for (const [name, uri] of Object.entries(reports)) {
      const sha = typeof uri === 'string' ? HEX64.exec(uri)?.[0] : undefined;
      if (sha) out.push({ name, kind: 'report', sha256: sha, size: null, href: href(name) });
    }
    return out;
  }

  /** The bytes of one artifact of this version, found by name among its own artifacts (a name is never a path). */
  async download(tenant: string, domain: string, version: number, name: string): Promise<{ name: string; bytes: Uint8Array }> {
    if (!this.store) throw new ApiError('service_unavailable', 'no artifact store is configured for this API');
    const found = (await this.artifacts(tenant, domain, version)).find((a) => a.name === name);
    if (!found) throw new ApiError('not_found', `adapter ${tenant}/${domain} v${version} has no artifact '${name.slice(0, 80)}'`);
    const bytes = await this.store.get(found.sha256).catch(registryToApi);
    return { name: found.name.split('/').pop() ?? found.name, bytes };
  }

  async lineage(tenant: string, domain: string, version: number): Promise<LineageView> {
    const r = await readTx(this.driver, async (tx) => (await tx.run(VERSION_LINEAGE, { tenant, domain, version: neo4j.int(version) })).records[0]);
    if (!r) throw new ApiError('not_found', `no adapter ${tenant}/${domain} v${version}`);
    const docs = (r.get('documents') as { sha256: string; name: string | null; facts: unknown }[]).map((d) => ({ sha256: d.sha256, name: d.name ?? d.sha256, facts: num(d.facts) ?? 0 }));
    return {
      documents: docs.sort((a, b) => b.facts - a.facts || a.name.localeCompare(b.name)),
      snapshot: { id: r.get('snapshotId') as string, corpus: (r.get('corpus') as string | null) ?? null, createdAt: (r.get('snapshotAt') as string | null) ?? null },
      dataset: { id: r.get('datasetId') as string, digest: (r.get('datasetDigest') as string | null) ?? null },
      run: { id: (r.get('runId') as string | null) ?? null, backend: (r.get('backend') as string | null) ?? null, steps: num(r.get('steps')), createdAt: (r.get('runAt') as string | null) ?? null },
    };
  }

  /** One version: the registry's detail, its artifacts (download links), lineage and the model card as safe HTML. */
  async version(tenant: string, domain: string, version: number) {
    const detail = await showAdapter(this.driver, { tenant, domain, version }).catch(registryToApi);
    const artifacts = await this.artifacts(tenant, domain, version);
    const link = (name: string) => artifacts.find((a) => a.name === name)?.href ?? '#';
    const reports = Object.fromEntries(artifacts.filter((a) => a.kind === 'report').map((a) => [a.name, a.href]));
    const linked = { ...detail, adapter: { ...detail.adapter, weightsUri: link('adapter_model.safetensors'), manifestUri: link('manifest.json'), reports } };
    return {
      tenant, domain, version,
      aliases: detail.adapter.aliases,
      baseModelId: detail.adapter.baseModelId,
      createdAt: detail.adapter.createdAt,
      artifacts,
      lineage: await this.lineage(tenant, domain, version),
      modelCardHtml: modelCardHtml(linked),
    };
  }

  private client(): Client {
    if (!this.temporal) throw new ApiError('service_unavailable', 'Temporal is not reachable; approvals are unavailable until the API is restarted with Temporal up');
    return this.temporal;
  }

  /** Running promotions waiting for a decision, with the tenant, domain and version they promote. */
  async approvals(): Promise<Approval[]> {
    const client = this.client();
    const out: Approval[] = [];
    let seen = 0;
    for await (const wf of client.workflow.list({ query: "WorkflowType = 'promoteAdapter' AND ExecutionStatus = 'Running'" })) {
      if (++seen > 200) break;
      const handle = client.workflow.getHandle(wf.workflowId, wf.runId);
      const state = await withTimeout(queryPromotionState(this.client(), wf.workflowId).catch(() => undefined), 5000);
      if (state?.state !== 'awaiting-approval') continue;
      const history = await handle.fetchHistory();
      const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      const args = PromoteArgs.safeParse(payload ? defaultPayloadConverter.fromPayload(payload) : undefined);
      if (!args.success) continue;
      out.push({ workflowId: wf.workflowId, ...args.data, state: state.state, startedAt: wf.startTime.toISOString() });
    }
    return out.sort((a, b) => a.workflowId.localeCompare(b.workflowId));
  }

  /** Approve or reject as the signed-in operator (the reviewer), through the CLI's checked signal path. */
  async review(workflowId: string, decision: 'approve' | 'reject', operator: Operator, comment: string | undefined): Promise<PromoteStatus> {
    const review = ReviewSchema.safeParse({ reviewer: operator.name, ...(comment ? { comment } : {}) });
    if (!review.success) throw new ApiError('bad_request', `cannot ${decision}: ${review.error.issues.map((i) => i.message).join('; ')}`);
    try {
      const after = await sendReview(this.client(), workflowId, decision, review.data);
      // An approval is recorded before the alias moves (state 'approved', then 'production'): answer once the move
      // is done, so the page's reload shows the new alias (bounded; the state says where it stands otherwise).
      if (after.state !== 'approved') return after;
      return (await waitForPromotion(this.client(), workflowId, (s) => s.state !== 'approved', 15_000)) ?? after;
    } catch (e) {
      if (e instanceof ReviewError && e.kind !== 'NoWorker') throw new ApiError(e.kind === 'NotFound' ? 'not_found' : e.kind === 'InvalidReview' ? 'bad_request' : 'conflict', e.message.replace(/ — .*$/, ''));
      throw e;
    }
  }

  async rollback(tenant: string, domain: string, alias: 'candidate' | 'staging' | 'production', operator: Operator, reason: string | undefined) {
    return rollback(this.driver, { tenant, domain, alias, actor: operator.name, reason: reason || 'rollback from the registry view' }).catch(registryToApi);
  }
}
