/**
 * The customer API against the real Neo4j and Temporal, through `app.inject()`: authentication,
 * tenancy isolation on every route, every class of rejected upload, duplicates, quotas, rate
 * limits, pipeline start/progress, documents with ingest status, adapters with evaluations.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, type ApiConfig } from '../../api/index.js';
import { createTenant, ensureApiSchema, revokeKey, type CreatedKey } from '../../client/index.js';
import type { ApiConfigInput } from '../../api/config.js';
import { connectNeo4j, connectTemporal } from '../../client/index.js';
import { loadEnv } from '../../configs/env.js';
import { buildDocx, buildZip, minimalPdf, PNG } from '../unit/api/zip-builder.js';
import { deleteTenants, multipart, testTenant, type Part } from '../unit/api/http-helpers.js';

const FAST_KDF = { N: 1024, r: 8, p: 1 };
const CONFIG: ApiConfigInput = {
  uploads: { maxFileBytes: 300_000, maxRequestBytes: 700_000, maxFilesPerRequest: 8, tenantQuotaBytes: 5_000_000 },
  zip: { maxEntries: 50, maxTotalUncompressedBytes: 1_000_000, maxRatio: 100 },
  rateLimit: { max: 10_000 },
};

let driver: Driver;
let temporal: { client: Client; connection: Connection };
let app: FastifyInstance;
let root: string;
const A = testTenant('apitest-a');
const B = testTenant('apitest-b');
const Q = testTenant('apitest-q');
let keyA: CreatedKey;
let keyB: CreatedKey;
let keyQ: CreatedKey;
const started: string[] = [];

/** Deterministic pseudo-random 'a'/'b' text: compresses about 7×. */
function coinText(n: number, seed: number): Buffer {
  let x = seed * 2654435761;
  return Buffer.from(Array.from({ length: n }, () => { x = (x * 1103515245 + 12345) % 2147483648; return x & 0x10000 ? 97 : 98; }));
}
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const randomKeyId = (i: number): string => `${'f'.repeat(15)}${i}`;
const bearer = (k: CreatedKey | string): Record<string, string> => ({ authorization: `Bearer ${typeof k === 'string' ? k : k.key}` });

async function upload(key: CreatedKey, corpus: string, parts: Part[], truncateAt?: number) {
  const { payload, headers } = multipart(parts, truncateAt);
  return app.inject({ method: 'POST', url: `/v1/corpora/${corpus}/uploads`, payload, headers: { ...headers, ...bearer(key) } });
}
async function get(key: CreatedKey | string | undefined, url: string) {
  return app.inject({ method: 'GET', url, headers: key ? bearer(key) : {} });
}
function corpusFiles(tenant: string, corpus: string): string[] {
  const dir = path.join(root, tenant, corpus);
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}
function stagingEmpty(): boolean {
  const s = path.join(root, '.staging');
  return !existsSync(s) || readdirSync(s).length === 0;
}

beforeAll(async () => {
  const env = loadEnv();
  driver = await connectNeo4j(env);
  temporal = await connectTemporal(env);
  await ensureApiSchema(driver);
  root = mkdtempSync(path.join(tmpdir(), 'kgtune-api-it-'));
  keyA = await createTenant(driver, A); // default scrypt cost, as in production
  keyB = await createTenant(driver, B, { kdf: FAST_KDF });
  keyQ = await createTenant(driver, Q, { kdf: FAST_KDF, quotaBytes: 2000 });
  app = await buildApi({ driver, temporal: temporal.client, uploads: root, config: CONFIG });
  // What ingest/graph and registry would have written for tenant A: one corpus, two documents, one adapter.
  const s = driver.session();
  try {
    await s.executeWrite(async (tx) => {
      await tx.run(`MERGE (c:Corpus {tenant: $t, id: 'ingested'}) SET c.name = 'ingested'
        CREATE (d1:Document {tenant: $t, sha256: $s1, name: 'manual.pdf', mime: 'application/pdf', pages: 3, status: 'ingested'})-[:IN_CORPUS]->(c)
        CREATE (d2:Document {tenant: $t, sha256: $s2, name: 'scan.pdf', mime: 'application/pdf', pages: 1, status: 'needs_ocr', reason: 'no text layer on 1 of 1 pages'})-[:IN_CORPUS]->(c)`,
      { t: A, s1: sha('manual'), s2: sha('scan') });
      await tx.run(`CREATE (a:Adapter {tenant: $t, id: 'adapter-' + $t, domain: 'machining', version: 1, sha256: $s, aliases: ['staging'], snapshotId: 'snap-' + $t})
        CREATE (:GraphSnapshot {tenant: $t, id: 'snap-' + $t, corpus: 'ingested'})
        CREATE (e:Evaluation {tenant: $t, id: 'eval-' + $t, passed: true, metrics: $m, gates: $g})-[:OF]->(a)`,
      {
        t: A, s: sha('weights'),
        m: JSON.stringify({ groups: [{ split: 'test', lang: 'all', type: 'all', n: 40, base: { values: { exactMatch: 0.1, tokenF1: 0.3 } }, adapter: { values: { exactMatch: 0.6, tokenF1: 0.8 } } }] }),
        // The shape evaluation/gates.ts produces and registry/register.ts stores.
        g: JSON.stringify([{ name: 'emGainParaphrase', value: 0.5, threshold: 0.3, comparator: '>=', verdict: 'pass' }, { name: 'perplexityChange', value: 0.2, threshold: 0.1, comparator: '<=', verdict: 'fail' }]),
      });
    });
  } finally {
    await s.close();
  }
});

afterAll(async () => {
  for (const id of started) await temporal?.client.workflow.getHandle(id).terminate('api integration test cleanup').catch(() => undefined);
  await app?.close();
  if (driver) await deleteTenants(driver, [A, B, Q]);
  await driver?.close();
  await temporal?.connection.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('authentication', () => {
  it('refuses missing, malformed, unknown and wrong keys with 401, revoked keys with 403, as JSON without stack traces', async () => {
    const none = await get(undefined, '/v1/me');
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'missing_key', message: expect.any(String) } });
    expect((await get('not-a-key', '/v1/me')).json().error.code).toBe('invalid_key');
    expect((await get(`kgt_0123456789abcdef.${'A'.repeat(43)}`, '/v1/me')).statusCode).toBe(401);
    const wrongSecret = `${keyB.key.split('.')[0]}.${'B'.repeat(43)}`;
    const wrong = await get(wrongSecret, '/v1/me');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toMatch(/at .*\.ts:\d+|stack/i);

    const extra = await createTenant(driver, testTenant('apitest-r'), { kdf: FAST_KDF });
    try {
      expect((await get(extra, '/v1/me')).statusCode).toBe(200);
      await revokeKey(driver, extra.keyId);
      const revoked = await get(extra, '/v1/me');
      expect(revoked.statusCode).toBe(403);
      expect(revoked.json().error.code).toBe('key_revoked');
    } finally {
      await deleteTenants(driver, [extra.tenant]);
    }
  });

  it('accepts the key as a bearer token or in X-Api-Key and tells the caller its tenant and limits', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/me', headers: { 'x-api-key': keyA.key } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ tenant: A, keyId: keyA.keyId, limits: { maxFileBytes: 300_000 } });
  });
});

describe('uploads', () => {
  const pdf = minimalPdf('A report');
  const docx = buildDocx('Spindle speed 1200 rpm.');

  it('stores files under <tenant>/<corpus>/<sha256>.<ext> with sidecars, types sniffed from the bytes, and returns each SHA-256', async () => {
    const r = await upload(keyA, 'reports', [
      { name: 'report.bin', data: pdf, type: 'image/png' },
      { name: 'spec.docx', data: docx },
      { name: 'notes.md', data: '# Notes\n\nCoolant every 8 hours.' },
      { name: 'page.txt', data: '<!doctype html><html><body>Hi</body></html>' },
    ]);
    expect(r.statusCode).toBe(201);
    const body = r.json();
    expect(body.files.map((f: { status: string }) => f.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
    expect(body.files.map((f: { mime: string }) => f.mime)).toEqual(['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'text/html']);
    expect(body.files[0].sha256).toBe(sha(pdf));
    const files = corpusFiles(A, 'reports');
    expect(files).toEqual(expect.arrayContaining([`${sha(pdf)}.pdf`, `${sha(docx)}.docx`, `.${sha(pdf)}.meta.json`]));
    expect(files.filter((f) => !f.startsWith('.'))).toHaveLength(4);
    expect(readFileSync(path.join(root, A, 'reports', `${sha(pdf)}.pdf`)).equals(pdf)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(root, A, 'reports', `.${sha(pdf)}.meta.json`), 'utf8')).originalName).toBe('report.bin');
    expect(stagingEmpty()).toBe(true);
  });

  it('reports duplicates (already stored, or twice in one request) and does not store them twice', async () => {
    const before = corpusFiles(A, 'reports');
    const fresh = 'A new text file.';
    const r = await upload(keyA, 'reports', [{ name: 'again.pdf', data: pdf }, { name: 'new.txt', data: fresh }, { name: 'new-copy.txt', data: fresh }]);
    expect(r.statusCode).toBe(201);
    expect(r.json().files.map((f: { name: string; status: string }) => [f.name, f.status])).toEqual([['again.pdf', 'duplicate'], ['new.txt', 'stored'], ['new-copy.txt', 'duplicate']]);
    expect(corpusFiles(A, 'reports')).toHaveLength(before.length + 2);
  });

  it('unpacks zip archives, keeping the member names and skipping system files', async () => {
    const zip = buildZip([{ name: 'docs/' }, { name: 'docs/a.txt', data: 'Member A text.' }, { name: 'docs/b.html', data: '<html><body>B</body></html>' }, { name: '__MACOSX/docs/._a.txt', data: 'x' }]);
    const r = await upload(keyA, 'archive', [{ name: 'bundle.zip', data: zip }]);
    expect(r.statusCode).toBe(201);
    expect(r.json().files).toEqual([
      expect.objectContaining({ name: 'docs/a.txt', archive: 'bundle.zip', status: 'stored', mime: 'text/plain' }),
      expect.objectContaining({ name: 'docs/b.html', archive: 'bundle.zip', status: 'stored', mime: 'text/html' }),
    ]);
    expect(r.json().skipped).toEqual([{ name: 'bundle.zip/__MACOSX/docs/._a.txt', reason: 'hidden or system file' }]);
  });

  describe('rejects, storing nothing of the request', () => {
    const good: Part = { name: 'good.txt', data: 'a perfectly good file that must not be stored either' };
    const cases: [string, Part[], number, string][] = [
      ['an unsupported type (PNG named .pdf)', [good, { name: 'photo.pdf', data: PNG }], 415, 'unsupported_type'],
      ['binary data named .txt', [{ name: 'x.txt', data: Buffer.from([0, 1, 2, 3, 0, 0]) }], 415, 'unsupported_type'],
      ['a file over the per-file limit', [good, { name: 'big.txt', data: 'x'.repeat(300_001) }], 413, 'file_too_large'],
      ['a request over the per-request limit', [1, 2, 3].map((i) => ({ name: `p${i}.txt`, data: `${i}`.repeat(250_000) })), 413, 'request_too_large'],
      ['more files than allowed per request', Array.from({ length: 9 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` })), 413, 'too_many_files'],
      ['a zip bomb (compression ratio)', [good, { name: 'bomb.zip', data: buildZip([{ name: 'zeros.txt', data: Buffer.alloc(900_000) }]) }], 413, 'zip_bomb'],
      // five members of 250 kB of random a/b text: each deflates ~7× (under the ratio limit), together 1.25 MB > 1 MB
      ['a zip bomb (total inflated size)', [{ name: 'wide.zip', data: buildZip(Array.from({ length: 5 }, (_, i) => ({ name: `n${i}.txt`, data: coinText(250_000, i + 1) }))) }], 413, 'zip_bomb'],
      ['a zip with path traversal', [good, { name: 'trav.zip', data: buildZip([{ name: 'ok.txt', data: 'ok' }, { name: '../../outside.txt', data: 'escape' }]) }], 415, 'unsafe_archive'],
      ['a zip with an absolute path', [{ name: 'abs.zip', data: buildZip([{ name: '/etc/cron.d/x', data: 'x' }]) }], 415, 'unsafe_archive'],
      ['a zip with a symlink', [good, { name: 'link.zip', data: buildZip([{ name: 'passwd', data: '/etc/passwd', unixMode: 0o120777, method: 0 }]) }], 415, 'unsafe_archive'],
      ['a zip inside a zip', [{ name: 'outer.zip', data: buildZip([{ name: 'inner.zip', data: buildZip([{ name: 'a.txt', data: 'a' }]), method: 0 }]) }], 415, 'unsupported_type'],
      ['a zip with an unsupported member', [{ name: 'mixed.zip', data: buildZip([{ name: 'a.txt', data: 'a' }, { name: 'b.png', data: PNG, method: 0 }]) }], 415, 'unsupported_type'],
    ];
    for (const [what, parts, status, code] of cases) {
      it(what, async () => {
        const r = await upload(keyB, 'rejects', parts);
        expect(r.statusCode, r.body).toBe(status);
        expect(r.json()).toEqual({ error: { code, message: expect.any(String) } });
        expect(corpusFiles(B, 'rejects')).toEqual([]);
        expect(stagingEmpty()).toBe(true);
      });
    }

    it('an interrupted upload (body cut mid-file)', async () => {
      const { payload } = multipart([good, { name: 'long.txt', data: 'y'.repeat(50_000) }]);
      const r = await upload(keyB, 'rejects', [good, { name: 'long.txt', data: 'y'.repeat(50_000) }], payload.length - 20_000);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('bad_request');
      expect(corpusFiles(B, 'rejects')).toEqual([]);
      expect(stagingEmpty()).toBe(true);
    });

    it('a request without files, and an invalid corpus name', async () => {
      const empty = await upload(keyB, 'rejects', []);
      expect(empty.statusCode).toBe(400);
      const badName = await upload(keyB, '..%2F..%2Fetc', [good]);
      expect(badName.statusCode).toBe(400);
      expect(badName.json().error.code).toBe('invalid_corpus');
    });
  });

  it('enforces the tenant quota (set per tenant), counting every corpus, duplicates free', async () => {
    const first = await upload(keyQ, 'one', [{ name: 'a.txt', data: 'a'.repeat(1200) }]);
    expect(first.statusCode).toBe(201);
    expect(first.json().usage).toEqual({ bytes: 1200, quotaBytes: 2000 });
    const over = await upload(keyQ, 'two', [{ name: 'b.txt', data: 'b'.repeat(500) }, { name: 'c.txt', data: 'c'.repeat(500) }]);
    expect(over.statusCode).toBe(413);
    expect(over.json().error.code).toBe('quota_exceeded');
    expect(corpusFiles(Q, 'two')).toEqual([]);
    const dup = await upload(keyQ, 'one', [{ name: 'a-again.txt', data: 'a'.repeat(1200) }, { name: 'd.txt', data: 'd'.repeat(700) }]);
    expect(dup.statusCode).toBe(201);
    expect(dup.json().usage.bytes).toBe(1900);
    expect((await get(keyQ, '/v1/me')).json().usage).toEqual({ bytes: 1900, quotaBytes: 2000 });
  });
});

describe('corpora and documents', () => {
  it('lists corpora from the upload folders and the graph, with documents by ingest status', async () => {
    const r = await get(keyA, '/v1/corpora');
    expect(r.statusCode).toBe(200);
    const byName = Object.fromEntries(r.json().corpora.map((c: { corpus: string }) => [c.corpus, c]));
    expect(byName.reports).toMatchObject({ files: 5, documents: {} });
    expect(byName.ingested).toMatchObject({ files: 0, documents: { ingested: 1, needs_ocr: 1 } });
  });

  it('lists documents with status and reasons: uploaded ones as `uploaded`, ingested ones as the graph says', async () => {
    const up = await get(keyA, '/v1/corpora/reports/documents');
    expect(up.statusCode).toBe(200);
    expect(up.json().documents.map((d: { status: string }) => d.status)).toEqual(Array(5).fill('uploaded'));
    expect(up.json().documents.map((d: { name: string }) => d.name)).toContain('report.bin');
    const ing = await get(keyA, '/v1/corpora/ingested/documents');
    expect(ing.json().documents).toEqual([
      expect.objectContaining({ name: 'manual.pdf', status: 'ingested', reason: null, pages: 3 }),
      expect.objectContaining({ name: 'scan.pdf', status: 'needs_ocr', reason: 'no text layer on 1 of 1 pages' }),
    ]);
    expect((await get(keyA, '/v1/corpora/nothing-here/documents')).statusCode).toBe(404);
  });
});

describe('pipelines (Temporal)', () => {
  let workflowId = '';

  it('starts the pipeline on an uploaded corpus (same config again attaches), validating the options', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/corpora/reports/pipelines', headers: bearer(keyA), payload: { domain: 'Not Valid!' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/domain/);
    const r = await app.inject({ method: 'POST', url: '/v1/corpora/reports/pipelines', headers: bearer(keyA), payload: { domain: 'machining', promote: 'none' } });
    expect(r.statusCode, r.body).toBe(202);
    workflowId = r.json().workflowId;
    started.push(workflowId);
    expect(r.json()).toEqual({ workflowId: expect.stringContaining(A), attached: false });
    const d = await temporal.client.workflow.getHandle(workflowId).describe();
    expect(d.type).toBe('domainAdapterPipeline');
    const again = await app.inject({ method: 'POST', url: '/v1/corpora/reports/pipelines', headers: bearer(keyA), payload: { domain: 'machining', promote: 'none' } });
    expect(again.json()).toEqual({ workflowId, attached: true });
  });

  it('refuses to start on an unknown corpus (404) or one with nothing uploaded (409)', async () => {
    const none = await app.inject({ method: 'POST', url: '/v1/corpora/nope/pipelines', headers: bearer(keyA), payload: { domain: 'machining' } });
    expect(none.statusCode).toBe(404);
    const empty = await app.inject({ method: 'POST', url: '/v1/corpora/ingested/pipelines', headers: bearer(keyA), payload: { domain: 'machining' } });
    expect(empty.statusCode).toBe(409);
    expect(empty.json().error.code).toBe('corpus_empty');
  });

  it('shows live progress of a run (or why there is none) and lists the tenant\'s runs', async () => {
    const r = await get(keyA, `/v1/pipelines/${encodeURIComponent(workflowId)}`);
    expect(r.statusCode).toBe(200);
    const d = r.json();
    expect(d).toMatchObject({ workflowId, status: 'RUNNING', corpus: 'reports', domain: 'machining' });
    if (d.progress) expect(d.progress.stages.map((s: { name: string }) => s.name)).toEqual(['ingest', 'graph', 'synthesize', 'train', 'evaluate', 'register', 'promote']);
    else expect(d.progressUnavailable).toMatch(/worker/);
    let listed: string[] = [];
    for (let i = 0; i < 20 && !listed.includes(workflowId); i++) {
      listed = (await get(keyA, '/v1/pipelines')).json().pipelines.map((p: { workflowId: string }) => p.workflowId);
      if (!listed.includes(workflowId)) await new Promise((res) => setTimeout(res, 500));
    }
    expect(listed).toContain(workflowId);
    expect((await get(keyA, '/v1/pipelines/pipeline-does-not-exist')).statusCode).toBe(404);
  });
});

describe('adapters', () => {
  it('lists the tenant\'s adapters with aliases, base-vs-adapter metrics and gates', async () => {
    const r = await get(keyA, '/v1/adapters');
    expect(r.statusCode).toBe(200);
    expect(r.json().adapters).toEqual([expect.objectContaining({
      domain: 'machining', version: 1, aliases: ['staging'], passed: true, corpus: 'ingested',
      metrics: [{ metric: 'exactMatch', base: 0.1, adapter: 0.6 }, { metric: 'tokenF1', base: 0.3, adapter: 0.8 }],
      gates: [
        { name: 'emGainParaphrase', value: 0.5, threshold: 0.3, comparator: '>=', passed: true, detail: null },
        { name: 'perplexityChange', value: 0.2, threshold: 0.1, comparator: '<=', passed: false, detail: null },
      ],
    })]);
  });
});

describe('summary: one polled request with an ETag', () => {
  it('returns the corpus\'s documents and adapters (only that corpus\'s), and 304 while nothing changed', async () => {
    const r = await get(keyA, '/v1/summary?corpus=ingested');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.me.tenant).toBe(A);
    expect(body.documents.map((d: { name: string }) => d.name)).toEqual(['manual.pdf', 'scan.pdf']);
    expect(body.adapters.map((a: { domain: string }) => a.domain)).toEqual(['machining']);
    const etag = r.headers.etag as string;
    expect(etag).toMatch(/^"/);
    const again = await app.inject({ method: 'GET', url: '/v1/summary?corpus=ingested', headers: { ...bearer(keyA), 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await get(keyA, '/v1/summary?corpus=reports');
    expect(other.json().adapters).toEqual([]);
    expect(other.headers.etag).not.toBe(etag);
    expect((await get(keyA, '/v1/summary?corpus=Bad!')).statusCode).toBe(400);
  });
});

describe('tenancy isolation: tenant B sees nothing of tenant A, on every route', () => {
  it('GET /v1/me names B', async () => {
    expect((await get(keyB, '/v1/me')).json().tenant).toBe(B);
  });

  it('GET /v1/corpora lists none of A\'s corpora', async () => {
    const names = (await get(keyB, '/v1/corpora')).json().corpora.map((c: { corpus: string }) => c.corpus);
    for (const c of ['reports', 'archive', 'ingested']) expect(names).not.toContain(c);
  });

  it('GET /v1/corpora/:corpus/documents answers 404 for A\'s corpora (uploaded or only in the graph)', async () => {
    for (const c of ['reports', 'ingested']) {
      const r = await get(keyB, `/v1/corpora/${c}/documents`);
      expect(r.statusCode).toBe(404);
      expect(r.json().error.code).toBe('not_found');
    }
  });

  it('POST /v1/corpora/:corpus/uploads with A\'s corpus name writes to B\'s own folder only', async () => {
    const before = corpusFiles(A, 'reports');
    const r = await upload(keyB, 'reports', [{ name: 'b-secret.txt', data: 'tenant B only' }]);
    expect(r.statusCode).toBe(201);
    expect(corpusFiles(A, 'reports')).toEqual(before);
    expect(corpusFiles(B, 'reports').filter((f) => !f.startsWith('.'))).toEqual([`${sha('tenant B only')}.txt`]);
    const bDocs = (await get(keyB, '/v1/corpora/reports/documents')).json().documents;
    expect(bDocs.map((d: { name: string }) => d.name)).toEqual(['b-secret.txt']);
    const aDocs = (await get(keyA, '/v1/corpora/reports/documents')).json().documents;
    expect(aDocs.map((d: { name: string }) => d.name)).not.toContain('b-secret.txt');
  });

  it('POST /v1/corpora/:corpus/pipelines answers 404 for A\'s corpora', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/corpora/archive/pipelines', headers: bearer(keyB), payload: { domain: 'machining' } });
    expect(r.statusCode).toBe(404);
  });

  it('GET /v1/pipelines lists none of A\'s runs, and GET /v1/pipelines/:id answers 404 for them', async () => {
    const aRun = started[0]!;
    const list = (await get(keyB, '/v1/pipelines')).json().pipelines.map((p: { workflowId: string }) => p.workflowId);
    expect(list).not.toContain(aRun);
    const r = await get(keyB, `/v1/pipelines/${encodeURIComponent(aRun)}`);
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('not_found');
    // nor a child workflow of A's run
    expect((await get(keyB, `/v1/pipelines/${encodeURIComponent(`${aRun}.ingest`)}`)).statusCode).toBe(404);
  });

  it('GET /v1/adapters lists none of A\'s adapters', async () => {
    expect((await get(keyB, '/v1/adapters')).json().adapters).toEqual([]);
  });
});

describe('rate limiting and errors', () => {
  let limited: FastifyInstance;
  beforeAll(async () => {
    limited = await buildApi({ driver, temporal: temporal.client, uploads: root, config: { ...CONFIG, rateLimit: { max: 3, windowMs: 60_000 } } as ApiConfigInput | ApiConfig });
  });
  afterAll(async () => { await limited?.close(); });

  it('limits requests per key with 429 rate_limited, other keys unaffected', async () => {
    for (let i = 0; i < 3; i++) expect((await limited.inject({ method: 'GET', url: '/v1/me', headers: bearer(keyB) })).statusCode).toBe(200);
    const r = await limited.inject({ method: 'GET', url: '/v1/me', headers: bearer(keyB) });
    expect(r.statusCode).toBe(429);
    expect(r.json().error.code).toBe('rate_limited');
    expect(r.headers['retry-after']).toBeDefined();
    expect((await limited.inject({ method: 'GET', url: '/v1/me', headers: bearer(keyA) })).statusCode).toBe(200);
  });

  it('failed authentications are limited per client address: a known key id with wrong secrets or made-up ids cannot lock a customer out', async () => {
    const guarded = await buildApi({ driver, temporal: temporal.client, uploads: root, config: { ...CONFIG, rateLimit: { max: 100, failedAuthMax: 3, windowMs: 60_000 } } as ApiConfigInput | ApiConfig });
    try {
      const wrongSecret = `${keyB.key.slice(0, keyB.key.lastIndexOf('.') + 1)}${'x'.repeat(43)}`;
      const attacker = { remoteAddress: '10.9.9.9' };
      for (let i = 0; i < 3; i++) expect((await guarded.inject({ method: 'GET', url: '/v1/me', headers: bearer(wrongSecret), ...attacker })).statusCode).toBe(401);
      const blocked = await guarded.inject({ method: 'GET', url: '/v1/me', headers: bearer(wrongSecret), ...attacker });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json().error.message).toMatch(/failed sign-ins from this address \(limit 3 per 60 s\)/);
      // The customer, elsewhere, is not affected by the attack on their key id.
      for (let i = 0; i < 5; i++) expect((await guarded.inject({ method: 'GET', url: '/v1/me', headers: bearer(keyB), remoteAddress: '10.1.1.1' })).statusCode).toBe(200);
      // Made-up key ids do not escape the address limit either.
      const other = { remoteAddress: '10.8.8.8' };
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await guarded.inject({ method: 'GET', url: '/v1/me', headers: bearer(`kgt_${randomKeyId(i)}.${'y'.repeat(43)}`), ...other })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await guarded.close();
    }
  });

  it('the per-key message states the real window', async () => {
    const r = await limited.inject({ method: 'GET', url: '/v1/me', headers: bearer(keyB) });
    expect(r.statusCode).toBe(429);
    expect(r.json().error.message).toMatch(/rate limit of 3 requests per 60 s exceeded for this key/);
  });

  it('answers unknown routes and malformed JSON with JSON errors, and serves the OpenAPI document', async () => {
    const nf = await app.inject({ method: 'GET', url: '/v2/anything' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe('not_found');
    const bad = await app.inject({ method: 'POST', url: '/v1/corpora/reports/pipelines', headers: { ...bearer(keyA), 'content-type': 'application/json' }, payload: '{"domain":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('bad_request');
    expect(bad.body).not.toMatch(/\n\s+at /);
    const doc = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().paths['/v1/corpora/{corpus}/uploads'].post.operationId).toBe('upload');
  });
});
