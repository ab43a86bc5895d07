/**
 * The registry view's API (`/v1/ops/…`) against the real Neo4j and Temporal, through `app.inject()`:
 * operator vs tenant keys, every tenant's versions with aliases and gates, a version's safe model card,
 * lineage and downloads (only that version's own artifacts, no traversal), rollback, and approvals
 * that go through the promotion workflow's validated signals (run by the real cpu worker).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/index.js';
import { createOperatorKey, generateKey, hashKey, OPERATOR_KEY_PREFIX, revokeOperatorKey, type CreatedKey, type CreatedOperatorKey } from '../../client/index.js';
import { startPromotion } from '../../cli/commands/adapters.js';
import { operatorsCommand } from '../../cli/commands/operators.js';
import { createWorkers } from '../../cli/worker.js';
import { loadEnv } from '../../configs/env.js';
import { OPERATORS_TENANT } from '../../graph/queries/operators.js';
import { RegistryOverview, VersionDetail } from '../../api/operator-schemas.js';
import { aliasHistory, LocalArtifactStore, setAlias } from '../../registry/index.js';
import type { PromoteStatus } from '../../workflows/promote.js';
import { apiStores, deleteTenants, FAST_KDF, registryPeople, testTenant } from '../unit/api/http-helpers.js';
import { seedVersion, type SeededVersion } from '../unit/api/registry-seed.js';

let driver: Driver;
let temporal: { client: Client; connection: Connection };
let app: FastifyInstance;
const dirs: string[] = [];
let workers: { workers: Worker[]; close: () => Promise<void> } | undefined;
let runs: Promise<void>[] = [];
const A = testTenant('ops-a');
const B = testTenant('ops-b');
const DOMAIN = 'machining';
let keyA: CreatedKey;
let op: CreatedOperatorKey;
let blank: { keyId: string; key: string };
const a: SeededVersion[] = [];
let b1: SeededVersion;
const promotions: string[] = [];

const bearer = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });
const get = (k: string | undefined, url: string) => app.inject({ method: 'GET', url, headers: k ? bearer(k) : {} });
const post = (k: string, url: string, body: unknown = {}) => app.inject({ method: 'POST', url, headers: bearer(k), payload: body as object });

beforeAll(async () => {
  const stores = await apiStores();
  const env = stores.env;
  ({ driver, temporal } = stores);
  ({ keyA, op } = await registryPeople(driver, A, B, `Alice Ops ${A}`));
  // An operator key whose stored name is blank (written by hand): its approvals must be refused.
  blank = generateKey(OPERATOR_KEY_PREFIX);
  await driver.executeQuery("CREATE (:OperatorKey {tenant: $t, id: $id, name: '  ', hash: $hash, createdAt: datetime()})", { t: OPERATORS_TENANT, id: blank.keyId, hash: await hashKey(blank.key, FAST_KDF) });
  const storeDir = mkdtempSync(path.join(tmpdir(), 'kgtune-ops-store-'));
  dirs.push(storeDir);
  const store = new LocalArtifactStore(storeDir);
  a.push(await seedVersion(driver, store, { tenant: A, domain: DOMAIN, corpus: 'manuals', em: 0.5, f1: 0.6, ppl: 41, passed: true, documents: ['maintenance-manual.pdf', 'spindle-specs.docx'],
    intendedUse: 'Use <script>alert(1)</script> with care; see [the disk](file:///etc/passwd) and [this](javascript:alert(1)).' }));
  a.push(await seedVersion(driver, store, { tenant: A, domain: DOMAIN, corpus: 'manuals', em: 0.7, f1: 0.8, ppl: 40.5, passed: true }));
  b1 = await seedVersion(driver, store, { tenant: B, domain: DOMAIN, corpus: 'other', em: 0.6, f1: 0.7, ppl: 40, passed: true });
  await setAlias(driver, { tenant: A, domain: DOMAIN, alias: 'production', version: 1, actor: 'seed' });
  await setAlias(driver, { tenant: A, domain: DOMAIN, alias: 'production', version: 2, actor: 'seed' });
  app = await buildApi({ driver, temporal: temporal.client, uploads: mkdtempSync(path.join(tmpdir(), 'kgtune-ops-up-')), artifacts: store, config: { rateLimit: { max: 10_000 } } });
  workers = await createWorkers(env, 'cpu');
  runs = workers.workers.map((w) => w.run());
});

afterAll(async () => {
  for (const id of promotions) await temporal?.client.workflow.getHandle(id).terminate('test cleanup').catch(() => undefined);
  for (const w of workers?.workers ?? []) w.shutdown();
  await Promise.all(runs.map((r) => r.catch(() => undefined)));
  await workers?.close();
  await app?.close();
  if (driver) {
    await deleteTenants(driver, [A, B]);
    await driver.executeQuery('MATCH (k:OperatorKey {tenant: $t}) WHERE k.id IN $ids DETACH DELETE k', { t: OPERATORS_TENANT, ids: [op?.keyId, blank?.keyId].filter(Boolean) });
  }
  await driver?.close();
  await temporal?.connection.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('operator keys', () => {
  it('a tenant key gets 403 on operator routes; an operator key gets 403 on tenant routes', async () => {
    const r = await get(keyA.key, '/v1/ops/adapters');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('operator_only');
    for (const [method, url] of [['GET', '/v1/me'], ['POST', '/v1/corpora/docs/uploads'], ['POST', '/v1/corpora/docs/pipelines'], ['GET', '/v1/summary']] as const) {
      const x = await app.inject({ method, url, headers: bearer(op.key) });
      expect(x.statusCode, `${method} ${url}`).toBe(403);
      expect(x.json().error.code).toBe('tenant_only');
    }
    expect((await get(undefined, '/v1/ops/adapters')).statusCode).toBe(401);
    expect((await get(`${op.key.slice(0, -3)}xyz`, '/v1/ops/adapters')).statusCode).toBe(401);
    const me = await get(op.key, '/v1/ops/me');
    expect(me.json()).toEqual({ name: `Alice Ops ${A}`, keyId: op.keyId });
  });

  it('are made, listed and revoked with `kgtune operators`', async () => {
    const env = loadEnv();
    const out: string[] = [];
    const log = console.log;
    console.log = (m: unknown) => { out.push(String(m)); };
    try {
      expect(await operatorsCommand(['create', 'Eve', 'Ops', A], env)).toBe(0);
      const key = /kgo_[0-9a-f]{16}\.[A-Za-z0-9_-]{43}/.exec(out.join('\n'))?.[0];
      expect(key).toBeDefined();
      const me = await get(key, '/v1/ops/me');
      expect(me.json().name).toBe(`Eve Ops ${A}`);
      await operatorsCommand(['list'], env);
      expect(out.at(-1)).toContain(`Eve Ops ${A}`);
      expect(await operatorsCommand(['revoke', me.json().keyId], env)).toBe(0);
      expect((await get(key, '/v1/ops/me')).statusCode).toBe(403);
      await expect(operatorsCommand(['create', ' '], env)).rejects.toThrow(/usage: kgtune operators create <name>/);
      await driver.executeQuery('MATCH (k:OperatorKey {tenant: $t, id: $id}) DETACH DELETE k', { t: OPERATORS_TENANT, id: me.json().keyId });
    } finally {
      console.log = log;
    }
  });

  it('is refused once revoked', async () => {
    const other = await createOperatorKey(driver, 'short-lived', { kdf: FAST_KDF });
    expect((await get(other.key, '/v1/ops/me')).statusCode).toBe(200);
    await revokeOperatorKey(driver, other.keyId);
    const r = await get(other.key, '/v1/ops/me');
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('key_revoked');
    await driver.executeQuery('MATCH (k:OperatorKey {tenant: $t, id: $id}) DETACH DELETE k', { t: OPERATORS_TENANT, id: other.keyId });
  });
});

describe('registry reads', () => {
  it('lists every tenant\'s versions per domain with aliases, metrics and gates with their directions', async () => {
    const r = await get(op.key, '/v1/ops/adapters');
    expect(r.statusCode).toBe(200);
    expect(RegistryOverview.safeParse(r.json()).success).toBe(true);
    const domains = (r.json() as { domains: { tenant: string; domain: string; versions: { version: number; aliases: string[]; metrics: { metric: string; adapter: number }[]; gates: { name: string; comparator: string; threshold: number }[] }[]; aliasHistory: unknown[] }[] }).domains;
    const da = domains.find((d) => d.tenant === A && d.domain === DOMAIN)!;
    expect(da.versions.map((v) => [v.version, v.aliases])).toEqual([[2, ['production']], [1, []]]);
    expect(da.versions[0]!.metrics.find((m) => m.metric === 'exactMatch')?.adapter).toBe(0.7);
    expect(da.versions[0]!.gates.map((g) => [g.name, g.comparator, g.threshold])).toEqual([['em_gain_paraphrase', '>=', 0.3], ['perplexity_increase', '<=', 0.05]]);
    expect(da.aliasHistory).toHaveLength(2);
    expect(domains.some((d) => d.tenant === B)).toBe(true);
  });

  it('renders the model card as escaped HTML linking only to the API\'s download routes', async () => {
    const r = await get(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/1`);
    expect(r.statusCode).toBe(200);
    expect(VersionDetail.safeParse(r.json()).error).toBeUndefined();
    const v = r.json() as { modelCardHtml: string; artifacts: { name: string; href: string }[] };
    const html = v.modelCardHtml;
    expect(html).toContain('<table>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    // file:// and javascript: links stay visible as text, never as links: every address points at a download route
    const addresses = [...html.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
    expect(addresses.length).toBeGreaterThanOrEqual(4);
    for (const u of addresses) expect(u).toMatch(new RegExp(`^/v1/ops/adapters/${A}/${DOMAIN}/1/artifacts/`));
    expect(html).toContain(`href="/v1/ops/adapters/${A}/${DOMAIN}/1/artifacts/report.md"`);
    expect(html).toContain(`src="/v1/ops/adapters/${A}/${DOMAIN}/1/artifacts/metrics.svg"`);
    expect(v.artifacts.map((x) => x.name).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors', 'manifest.json', 'metrics.svg', 'model-card.md', 'report.md']);
  });

  it('shows the lineage of a version: documents → snapshot → dataset → run', async () => {
    const r = await get(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/1`);
    const l = r.json().lineage;
    expect(l.documents.map((d: { name: string; facts: number }) => [d.name, d.facts])).toEqual([['spindle-specs.docx', 2], ['maintenance-manual.pdf', 1]]);
    expect(l.snapshot).toMatchObject({ id: a[0]!.snapshotId, corpus: 'manuals' });
    expect(l.dataset.id).toBe(a[0]!.datasetId);
    expect(l.run.id).toBe(a[0]!.runId);
    expect((await get(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/9`)).statusCode).toBe(404);
  });
});

describe('downloads', () => {
  it('streams the version\'s own artifacts as attachments', async () => {
    const w = await get(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/1/artifacts/adapter_model.safetensors`);
    expect(w.statusCode).toBe(200);
    expect(w.rawPayload.equals(a[0]!.weights)).toBe(true);
    expect(w.headers['content-disposition']).toMatch(/^attachment; filename="adapter_model.safetensors"/);
    const md = await get(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/2/artifacts/report.md`);
    expect(md.body).toBe(a[1]!.reportMd);
    const bw = await get(op.key, `/v1/ops/adapters/${B}/${DOMAIN}/1/artifacts/adapter_model.safetensors`);
    expect(bw.rawPayload.equals(b1.weights)).toBe(true);
  });

  it('serves nothing outside the version: no traversal, no other version\'s or tenant\'s blobs by hash', async () => {
    const bSha = (await get(op.key, `/v1/ops/adapters/${B}/${DOMAIN}/1`)).json().artifacts.find((x: { name: string }) => x.name === 'adapter_model.safetensors').sha256 as string;
    for (const name of ['..%2F..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..', bSha, `sha256%2F${bSha.slice(0, 2)}%2F${bSha}`, 'report', '%00report.md']) {
      const r = await get(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/1/artifacts/${name}`);
      expect(r.statusCode, name).toBe(404);
    }
    expect((await get(op.key, `/v1/ops/adapters/..%2F${B}/${DOMAIN}/1/artifacts/report.md`)).statusCode).toBe(400);
    expect((await get(keyA.key, `/v1/ops/adapters/${A}/${DOMAIN}/1/artifacts/report.md`)).statusCode).toBe(403);
  });
});

describe('rollback', () => {
  it('moves the alias back to the earlier version, recorded under the operator\'s name', async () => {
    const r = await post(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/rollback`, { alias: 'production', reason: 'v2 regressed on the hand-written set' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ alias: 'production', previous: 2, version: 1 });
    const last = (await aliasHistory(driver, { tenant: A, domain: DOMAIN, alias: 'production' })).at(-1)!;
    expect(last).toMatchObject({ kind: 'rollback', fromVersion: 2, toVersion: 1, actor: `Alice Ops ${A}`, reason: 'v2 regressed on the hand-written set' });
    const again = await post(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/rollback`, { alias: 'production' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/no earlier version/);
    expect((await post(op.key, `/v1/ops/adapters/${A}/${DOMAIN}/rollback`, { alias: 'nightly' })).statusCode).toBe(400);
  });
});

async function pending(id: string): Promise<{ workflowId: string; tenant: string; domain: string; version: number } | undefined> {
  for (let i = 0; i < 60; i++) {
    const r = await get(op.key, '/v1/ops/approvals');
    expect(r.statusCode).toBe(200);
    const hit = (r.json().approvals as { workflowId: string; tenant: string; domain: string; version: number }[]).find((x) => x.workflowId === id);
    if (hit) return hit;
    await new Promise((res) => setTimeout(res, 500));
  }
  return undefined;
}

describe('approvals', () => {
  it('lists a waiting promotion; an approve without a reviewer is refused and it stays pending; reject is recorded', async () => {
    const started = await startPromotion(temporal.client, { tenant: A, domain: DOMAIN, version: 2, to: 'production', timeout: '1h' }, 60_000);
    promotions.push(started.workflowId);
    expect(started.status?.state).toBe('awaiting-approval');
    expect(await pending(started.workflowId)).toMatchObject({ tenant: A, domain: DOMAIN, version: 2, target: 'production' });

    const blankReview = await post(blank.key, `/v1/ops/approvals/${started.workflowId}/approve`, {});
    expect(blankReview.statusCode).toBe(400);
    expect(blankReview.json().error.message).toMatch(/reviewer is required/);
    const impostor = await post(op.key, `/v1/ops/approvals/${started.workflowId}/approve`, { reviewer: 'mallory' });
    expect(impostor.statusCode).toBe(400);
    const handle = temporal.client.workflow.getHandle(started.workflowId);
    expect((await handle.query<PromoteStatus>('state')).state).toBe('awaiting-approval');

    const r = await post(op.key, `/v1/ops/approvals/${started.workflowId}/reject`, { comment: 'perplexity drift too high' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ state: 'rejected', review: { reviewer: `Alice Ops ${A}`, comment: 'perplexity drift too high', decision: 'reject' } });
    const result = await handle.result() as PromoteStatus;
    expect(result.state).toBe('rejected');
    expect(result.review).toMatchObject({ reviewer: `Alice Ops ${A}`, comment: 'perplexity drift too high' });
    const late = await post(op.key, `/v1/ops/approvals/${started.workflowId}/approve`, {});
    expect(late.statusCode).toBe(409);
  });

  it('approve moves production, with the operator as the actor', async () => {
    const started = await startPromotion(temporal.client, { tenant: B, domain: DOMAIN, version: 1, to: 'production', timeout: '1h' }, 60_000);
    promotions.push(started.workflowId);
    expect(await pending(started.workflowId)).toBeDefined();
    const r = await post(op.key, `/v1/ops/approvals/${started.workflowId}/approve`, { comment: 'ok for rollout' });
    expect(r.statusCode).toBe(200);
    await temporal.client.workflow.getHandle(started.workflowId).result();
    const last = (await aliasHistory(driver, { tenant: B, domain: DOMAIN, alias: 'production' })).at(-1)!;
    expect(last).toMatchObject({ toVersion: 1, actor: `Alice Ops ${A}`, reason: 'ok for rollout' });
    expect((await post(op.key, '/v1/ops/approvals/no-such-promotion/approve', {})).statusCode).toBe(404);
  });
});
