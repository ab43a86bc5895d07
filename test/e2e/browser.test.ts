/**
 * The customer web page end to end, in Debian's headless Chromium driven by playwright-core,
 * against the real API (Neo4j for keys, Temporal for the pipeline): a wrong key is refused, the
 * right key signs in, a dropped file is uploaded and listed, a pipeline starts and shows its
 * progress, the adapter's evaluation is drawn. Needs /usr/bin/chromium (`apt-get install chromium`).
 *
 * So that progress is really answered, the pipeline workflow runs on a private task queue served
 * by a workflow-only worker in this process (its children go to the shared queue and wait there;
 * terminating the pipeline at the end terminates them).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Driver } from 'neo4j-driver';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../api/index.js';
import { createTenant, type CreatedKey } from '../../client/index.js';
import { projectRoot } from '../../configs/env.js';
import { pipelineWorkflowId, type PipelineInput } from '../../configs/pipeline-input.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { apiStores, deleteTenants, testTenant } from '../unit/api/http-helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.KGTUNE_E2E_ARTIFACTS ?? path.join(tmpdir(), 'kgtune-e2e');

let driver: Driver;
let temporal: { client: Client; connection: Connection } | undefined;
let app: FastifyInstance;
let url: string;
let root: string;
let profile: string;
let context: BrowserContext;
let page: Page;
let key: CreatedKey;
const tenant = testTenant('e2e');
let workflowId = '';
let worker: Worker | undefined;
let workerRun: Promise<void> | undefined;
let native: NativeConnection | undefined;
const taskQueue = `kgtune-e2e-${tenant}`;
const startedInputs: PipelineInput[] = [];
const startedIds: string[] = [];
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;

beforeAll(async () => {
  const stores = await apiStores({ chromium: CHROMIUM });
  const env = stores.env;
  ({ driver, temporal } = stores);
  key = await createTenant(driver, tenant, { kdf: { N: 1024, r: 8, p: 1 } });
  const s = driver.session();
  try {
    // As registry/ stores them: gates with verdict and comparator; the adapter names its snapshot (and so its corpus).
    await s.run(`CREATE (a:Adapter {tenant: $t, id: 'adapter-' + $t, domain: 'machining', version: 2, sha256: 'ab', aliases: ['staging'], snapshotId: 'snap-' + $t})
      CREATE (:GraphSnapshot {tenant: $t, id: 'snap-' + $t, corpus: 'documents'})
      CREATE (e:Evaluation {tenant: $t, id: 'eval-' + $t, passed: false, metrics: $m, gates: $g})-[:OF]->(a)`, {
      t: tenant,
      m: JSON.stringify({ summary: { exactMatch: { base: 0.12, adapter: 0.64 }, tokenF1: { base: 0.35, adapter: 0.81 }, rougeL: { base: 0.3, adapter: 0.77 }, perplexity: { base: 41.5, adapter: 43.2 } } }),
      g: JSON.stringify([
        { name: 'em_gain_paraphrase', value: 0.52, threshold: 0.3, comparator: '>=', verdict: 'pass' },
        { name: 'perplexity_increase', value: 0.041, threshold: 0.03, comparator: '<=', verdict: 'fail' },
      ]),
    });
  } finally {
    await s.close();
  }
  root = mkdtempSync(path.join(tmpdir(), 'kgtune-e2e-uploads-'));
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  native = await NativeConnection.connect({ address: env.temporalAddress });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: path.join(projectRoot(), 'workflows', 'index.ts'), logger: quiet });
  worker = await Worker.create({ connection: native, namespace: env.TEMPORAL_NAMESPACE, taskQueue, workflowBundle });
  workerRun = worker.run();
  app = await buildApi({
    driver, temporal: temporal.client, uploads: root,
    // Same id and search attributes as the CLI's startPipeline, on the private queue.
    startPipeline: async (client, input) => {
      startedInputs.push(input);
      const id = pipelineWorkflowId(input);
      await client.workflow.start('domainAdapterPipeline', {
        taskQueue, workflowId: id, args: [input],
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.tenant, value: input.tenant }, { key: SEARCH_ATTRIBUTES.corpus, value: input.corpus },
          { key: SEARCH_ATTRIBUTES.domain, value: input.domain }, { key: SEARCH_ATTRIBUTES.stage, value: 'queued' },
        ],
      });
      return { workflowId: id, attached: false };
    },
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  profile = mkdtempSync(path.join(tmpdir(), 'kgtune-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1100, height: 1500 },
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(20_000);
}, 120_000);

afterAll(async () => {
  for (const id of [workflowId, ...startedIds]) if (id) await temporal?.client.workflow.getHandle(id).terminate('e2e cleanup').catch(() => undefined);
  await context?.close();
  await app?.close();
  worker?.shutdown();
  await workerRun?.catch(() => undefined);
  await native?.close();
  if (driver) await deleteTenants(driver, [tenant]);
  await driver?.close();
  await temporal?.connection.close();
  for (const d of [root, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('customer web page (headless Chromium)', () => {
  it('refuses a wrong key', async () => {
    await page.goto(url);
    await page.fill('#key', `${key.key.split('.')[0]}.${'x'.repeat(43)}`);
    await page.click('#login-btn');
    await page.locator('#login-msg', { hasText: 'Key refused' }).waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
  });

  it('signs in with the right key, uploads a file and lists it with its status', async () => {
    await page.fill('#key', key.key);
    await page.click('#login-btn');
    await page.locator('#whoami', { hasText: tenant }).waitFor();
    await page.setInputFiles('#files', { name: 'maintenance-manual.txt', mimeType: 'text/plain', buffer: Buffer.from('Spindle bearings are greased every 500 hours.\n') });
    await page.locator('#upload-msg', { hasText: '1 stored' }).waitFor();
    const row = page.locator('#docs tbody tr', { hasText: 'maintenance-manual.txt' });
    await row.waitFor();
    expect(await row.locator('.status').textContent()).toBe('uploaded');
    // the same file again is reported as a duplicate
    await page.setInputFiles('#files', { name: 'copy.txt', mimeType: 'text/plain', buffer: Buffer.from('Spindle bearings are greased every 500 hours.\n') });
    await page.locator('#upload-msg', { hasText: '1 duplicate' }).waitFor();
    // a refused upload shows the API's reason
    await page.setInputFiles('#files', { name: 'photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0]) });
    await page.locator('#upload-msg', { hasText: 'unsupported_type' }).waitFor();
  });

  it('starts the pipeline and shows its progress, and draws the adapter\'s evaluation', async () => {
    await page.fill('#domain', 'machining');
    await page.click('#pipeline-form button');
    const msg = page.locator('#pipeline-msg', { hasText: 'Started' });
    await msg.waitFor();
    workflowId = ((await msg.textContent()) ?? '').replace(/^Started:\s*/, '').trim();
    expect(workflowId).toContain(tenant);
    const run = page.locator(`.run[data-workflow="${workflowId}"]`);
    await run.waitFor();
    const ingest = run.locator('.stage', { hasText: 'ingest' });
    await ingest.waitFor();
    expect(await ingest.textContent()).toContain('running');
    expect(await run.locator('.stage').count()).toBe(7);
    expect(await run.locator('h3').textContent()).toContain('RUNNING');
    await page.locator('#adapters svg rect').first().waitFor();
    expect(await page.locator('#adapters').textContent()).toContain('exactMatch');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'browser.png'), fullPage: true });
  });

  it('shows each gate as stored (pass and fail) with its direction, and 0–1 metrics and perplexity on separate scales', async () => {
    const gates = page.locator('#adapters .gates li');
    await gates.first().waitFor();
    expect(await gates.allTextContents()).toEqual([
      '✓ passed em_gain_paraphrase: 0.520 (needs ≥ 0.3)',
      '✗ failed perplexity_increase: 0.041 (needs ≤ 0.03)',
    ]);
    expect(await page.locator('#adapters svg.chart.unit').count()).toBe(1);
    const other = page.locator('#adapters svg.chart.other');
    expect(await other.count()).toBe(1);
    expect(await other.textContent()).toContain('perplexity');
    expect(await page.locator('#adapters svg.chart.unit').textContent()).not.toContain('perplexity');
  });

  it('shows spoofing and very long file names safely, and deleting an upload frees its quota', async () => {
    const rtl = 'invoice\u202Etxt.exe';
    const long = `${'very-long-name-'.repeat(20)}end.txt`;
    await page.setInputFiles('#files', [
      { name: rtl, mimeType: 'text/plain', buffer: Buffer.from('Invoice 42: spindle repair.\n') },
      { name: long, mimeType: 'text/plain', buffer: Buffer.from('A document with a long name.\n') },
    ]);
    await page.locator('#upload-msg', { hasText: '2 stored' }).waitFor();
    const rtlRow = page.locator('#docs tbody tr', { hasText: 'invoice‹U+202E›txt.exe' });
    await rtlRow.waitFor();
    expect(await page.locator('#docs').textContent()).not.toContain('\u202E');
    // The API keeps the first 255 characters; the page shows ≤ 80 of them, cut in the middle, the rest in the title.
    const longCell = page.locator('#docs tbody td.name', { hasText: 'very-long-name-very-long' });
    expect((await longCell.textContent())?.length).toBeLessThanOrEqual(80);
    expect(await longCell.textContent()).toContain('…');
    expect(await longCell.getAttribute('title')).toBe(long.slice(0, 255));
    const before = await page.locator('#whoami').textContent();
    page.once('dialog', (d) => { void d.accept(); });
    await rtlRow.locator('button.delete').click();
    await page.locator('#upload-msg', { hasText: 'Deleted invoice‹U+202E›txt.exe' }).waitFor();
    await rtlRow.waitFor({ state: 'detached' });
    await expect.poll(async () => page.locator('#whoami').textContent(), { timeout: 15_000 }).not.toBe(before);
  });

  it('starts a run with the chosen options, and cancels it', async () => {
    await page.fill('#steps', '12');
    await page.selectOption('#promote', 'none');
    const starts = startedInputs.length;
    await page.click('#pipeline-form button');
    await expect.poll(() => startedInputs.length, { timeout: 15_000 }).toBe(starts + 1);
    const msg = page.locator('#pipeline-msg', { hasText: 'Started' });
    await expect.poll(async () => msg.textContent(), { timeout: 15_000 }).not.toContain(workflowId);
    const id = ((await msg.textContent()) ?? '').replace(/^Started:\s*/, '').trim();
    startedIds.push(id);
    expect(startedInputs.at(-1)).toMatchObject({ training: { steps: 12 }, promote: 'none', corpus: 'documents' });
    const run = page.locator(`.run[data-workflow="${id}"]`);
    await run.locator('button.cancel').click();
    await page.locator('#pipeline-msg', { hasText: 'Cancellation requested' }).waitFor();
  });

  it('shows only the selected corpus\'s runs and adapters', async () => {
    await page.fill('#corpus', 'other-corpus');
    await page.dispatchEvent('#corpus', 'change');
    await page.locator('#adapters', { hasText: 'No adapters of corpus other-corpus' }).waitFor();
    await expect.poll(async () => page.locator('#runs .run').count(), { timeout: 15_000 }).toBe(0);
    await page.fill('#corpus', 'documents');
    await page.dispatchEvent('#corpus', 'change');
    await page.locator('#adapters .gates li').first().waitFor();
  });

  it('an idle tab polls one summary request per 5 s (five tabs stay far below 300 a minute)', async () => {
    const seen: string[] = [];
    const onRequest = (r: { url(): string }): void => { if (r.url().includes('/v1/')) seen.push(new URL(r.url()).pathname); };
    page.on('request', onRequest);
    await page.waitForTimeout(15_000);
    page.off('request', onRequest);
    expect(new Set(seen)).toEqual(new Set(['/v1/summary']));
    expect(seen.length).toBeLessThanOrEqual(4);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'browser-options.png'), fullPage: true });
  });

  it('signs out when the key stops working (revoked or wrong)', async () => {
    await page.evaluate(`sessionStorage.setItem('kgtune-key', 'kgt_0000000000000000.${'y'.repeat(43)}')`);
    await page.reload();
    await page.locator('#login-msg', { hasText: 'Key refused' }).waitFor();
  });
});
