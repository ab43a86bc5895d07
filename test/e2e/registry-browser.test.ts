/**
 * The registry view for MLOps end to end, in Debian's headless Chromium (playwright-core) against the
 * real API, Neo4j and Temporal: adapters registered with the registry's own `registerAdapter`, a real
 * promotion waiting for approval (run by the real cpu worker), an operator key. A tenant key is refused;
 * the operator compares two versions (bars), reads gates, a version's lineage and model card, downloads
 * a report, approves the promotion and rolls production back. Screenshots go to KGTUNE_E2E_ARTIFACTS.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Driver } from 'neo4j-driver';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/index.js';
import { type CreatedKey, type CreatedOperatorKey } from '../../client/index.js';
import { startPromotion } from '../../cli/commands/adapters.js';
import { createWorkers } from '../../cli/worker.js';
import { OPERATORS_TENANT } from '../../graph/queries/operators.js';
import { aliasHistory, LocalArtifactStore, setAlias } from '../../registry/index.js';
import type { PromoteStatus } from '../../workflows/promote.js';
import { apiStores, deleteTenants, registryPeople, testTenant } from '../unit/api/http-helpers.js';
import { seedVersion, type SeededVersion } from '../unit/api/registry-seed.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.KGTUNE_E2E_ARTIFACTS ?? path.join(tmpdir(), 'kgtune-e2e');
const A = testTenant('reg-a');
const B = testTenant('reg-b');
const DOMAIN = 'machining';

let driver: Driver;
let temporal: { client: Client; connection: Connection };
let app: FastifyInstance;
let url: string;
let context: BrowserContext;
let page: Page;
let keyA: CreatedKey;
let op: CreatedOperatorKey;
let workers: { workers: Worker[]; close: () => Promise<void> } | undefined;
let runs: Promise<void>[] = [];
const dirs: string[] = [];
const a: SeededVersion[] = [];
let promotionId = '';

beforeAll(async () => {
  const stores = await apiStores({ chromium: CHROMIUM });
  const env = stores.env;
  ({ driver, temporal } = stores);
  ({ keyA, op } = await registryPeople(driver, A, B, `Dana Reviewer ${A}`));
  const storeDir = mkdtempSync(path.join(tmpdir(), 'kgtune-reg-store-'));
  dirs.push(storeDir);
  const store = new LocalArtifactStore(storeDir);
  a.push(await seedVersion(driver, store, { tenant: A, domain: DOMAIN, corpus: 'manuals', em: 0.5, f1: 0.6, ppl: 41, passed: true, documents: ['maintenance-manual.pdf', 'spindle-specs.docx'] }));
  a.push(await seedVersion(driver, store, { tenant: A, domain: DOMAIN, corpus: 'manuals', em: 0.7, f1: 0.75, ppl: 44, passed: false }));
  await seedVersion(driver, store, { tenant: B, domain: DOMAIN, corpus: 'other', em: 0.6, f1: 0.7, ppl: 40, passed: true });
  await setAlias(driver, { tenant: A, domain: DOMAIN, alias: 'production', version: 1, actor: 'seed' });
  await setAlias(driver, { tenant: A, domain: DOMAIN, alias: 'production', version: 2, actor: 'seed', reason: 'hotfix' });
  workers = await createWorkers(env, 'cpu');
  runs = workers.workers.map((w) => w.run());
  const started = await startPromotion(temporal.client, { tenant: B, domain: DOMAIN, version: 1, to: 'production', timeout: '1h' }, 60_000);
  promotionId = started.workflowId;
  if (started.status?.state !== 'awaiting-approval') throw new Error(`promotion not waiting: ${JSON.stringify(started.status)}`);
  const uploads = mkdtempSync(path.join(tmpdir(), 'kgtune-reg-up-'));
  dirs.push(uploads);
  app = await buildApi({ driver, temporal: temporal.client, uploads, artifacts: store });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  const profile = mkdtempSync(path.join(tmpdir(), 'kgtune-chromium-'));
  dirs.push(profile);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, acceptDownloads: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 1500 },
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(20_000);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}, 240_000);

afterAll(async () => {
  if (promotionId) await temporal?.client.workflow.getHandle(promotionId).terminate('e2e cleanup').catch(() => undefined);
  await context?.close();
  await app?.close();
  for (const w of workers?.workers ?? []) w.shutdown();
  await Promise.all(runs.map((r) => r.catch(() => undefined)));
  await workers?.close();
  if (driver) {
    await deleteTenants(driver, [A, B]);
    if (op) await driver.executeQuery('MATCH (k:OperatorKey {tenant: $t, id: $id}) DETACH DELETE k', { t: OPERATORS_TENANT, id: op.keyId });
  }
  await driver?.close();
  await temporal?.connection.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('registry view (headless Chromium)', () => {
  it('refuses a tenant key and signs in with an operator key', async () => {
    await page.goto(`${url}/registry`);
    await page.fill('#key', keyA.key);
    await page.click('#login-btn');
    await page.locator('#login-msg', { hasText: 'needs an operator key' }).waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
    await page.fill('#key', op.key);
    await page.click('#login-btn');
    await page.locator('#whoami', { hasText: `Dana Reviewer ${A}` }).waitFor();
  });

  it('lists versions per tenant and domain with aliases and gates with their directions', async () => {
    const domain = page.locator(`.domain[data-domain="${A}/${DOMAIN}"]`);
    await domain.waitFor();
    expect(await domain.locator('tr[data-version="2"] .alias').allTextContents()).toEqual(['production']);
    expect(await domain.locator('tr[data-version="2"] .gates li').allTextContents()).toEqual([
      '✓ em_gain_paraphrase: 0.600 (needs ≥ 0.3)',
      '✗ perplexity_increase: 0.100 (needs ≤ 0.05)',
    ]);
    await page.locator(`.domain[data-domain="${B}/${DOMAIN}"]`).waitFor();
  });

  it('compares two versions side by side as bars', async () => {
    const domain = page.locator(`.domain[data-domain="${A}/${DOMAIN}"]`);
    await domain.locator('select.cmp-a').selectOption('1');
    await domain.locator('select.cmp-b').selectOption('2');
    await domain.locator('button.compare').click();
    const unit = page.locator('#compare svg.chart.unit');
    await unit.waitFor();
    expect(await unit.locator('rect[data-series="v1"]').count()).toBe(2);
    expect(await unit.locator('rect[data-series="v2"]').count()).toBe(2);
    expect(await page.locator('#compare svg.chart.other').textContent()).toContain('perplexity');
    expect(await page.locator('#compare tr[data-metric="exactMatch"]').textContent()).toBe('exactMatch0.5000.700+0.200');
    expect(await page.locator('#compare .gate-compare h4').allTextContents()).toEqual(['gates of v1: passed', 'gates of v2: failed']);
    await page.locator('#compare-box').screenshot({ path: path.join(SCREENSHOT_DIR, 'registry-compare.png') });
  });

  it('shows a version\'s lineage and model card, and downloads its report', async () => {
    await page.locator(`.domain[data-domain="${A}/${DOMAIN}"] tr[data-version="1"] button.details`).click();
    await page.locator('#version-title', { hasText: `${A} / ${DOMAIN} v1` }).waitFor();
    const chain = page.locator('#lineage .chain');
    expect(await chain.locator('.node strong').allTextContents()).toEqual(['2 document(s)', 'snapshot', 'dataset', 'training run', 'adapter v1']);
    expect(await chain.textContent()).toContain('spindle-specs.docx (2 facts)');
    expect(await chain.textContent()).toContain(a[0]!.runId);
    await page.locator('#card h1', { hasText: `Adapter ${DOMAIN} v1` }).waitFor();
    const hrefs = await page.locator('#card a').evaluateAll((as) => as.map((x) => x.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h.startsWith('/v1/ops/')).toBe(true);
    // the chart image is fetched with the key and shown from a blob URL
    await expect.poll(async () => page.locator('#card img').first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 15_000 }).toBeGreaterThan(0);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#artifacts li[data-artifact="report.md"] button').click()]);
    expect(dl.suggestedFilename()).toBe('report.md');
    expect(readFileSync((await dl.path())!, 'utf8')).toBe(a[0]!.reportMd);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'registry-version.png'), fullPage: true });
  });

  it('approves a pending promotion with a comment, recorded under the operator\'s name', async () => {
    const row = page.locator(`.approval[data-workflow="${promotionId}"]`);
    await row.waitFor();
    expect(await row.locator('strong').textContent()).toBe(`${B} / ${DOMAIN} v1 → production`);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'registry-approvals.png'), fullPage: true });
    await row.locator('input.comment').fill('checked the card; ok');
    await row.locator('button.approve').click();
    await page.locator('#msg', { hasText: `Approved by Dana Reviewer ${A}` }).waitFor();
    const result = await temporal.client.workflow.getHandle(promotionId).result() as PromoteStatus;
    expect(result).toMatchObject({ state: 'production', review: { reviewer: `Dana Reviewer ${A}`, comment: 'checked the card; ok', decision: 'approve' } });
    await row.waitFor({ state: 'detached' });
    await page.locator(`.domain[data-domain="${B}/${DOMAIN}"] tr[data-version="1"] .alias`, { hasText: 'production' }).waitFor();
  });

  it('rolls production back to the earlier version', async () => {
    const domain = page.locator(`.domain[data-domain="${A}/${DOMAIN}"]`);
    await domain.locator('input.reason').fill('v2 fails its perplexity gate');
    await domain.locator('button.rollback-production').click();
    await page.locator('#msg', { hasText: `Rolled back production of ${A}/${DOMAIN}: v2 → v1` }).waitFor();
    await domain.locator('tr[data-version="1"] .alias', { hasText: 'production' }).waitFor();
    expect(await domain.locator('.history li').last().textContent()).toContain(`v2 → v1 (rollback) by Dana Reviewer ${A} — v2 fails its perplexity gate`);
    const last = (await aliasHistory(driver, { tenant: A, domain: DOMAIN, alias: 'production' })).at(-1)!;
    expect(last).toMatchObject({ kind: 'rollback', toVersion: 1, actor: `Dana Reviewer ${A}` });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'registry-rollback.png'), fullPage: true });
  });
});
