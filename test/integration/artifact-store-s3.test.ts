/**
 * The S3 artifact store against a real S3-compatible server on loopback: moto's server, installed on
 * first use by scripts/s3-test-server.sh into the ignored venv <KGTUNE_HOME>/venv-s3, run with
 * authentication on (INITIAL_NO_AUTH_ACTION_COUNT), so every request's SigV4 signature is checked
 * by an independent implementation.
 *
 * Skips only when the server cannot be installed (no Python/venv, or pip failed), and says why.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../configs/env.js';
import { ArtifactStoreError, S3ArtifactStore, artifactStoreFromEnv, putAdapterDir, restoreAdapterDir, type ArtifactStore } from '../../registry/index.js';
import { sha256Hex, signRequest, type Credentials } from '../../registry/internal/sigv4.js';

const SCRIPT = path.join(projectRoot(), 'scripts', 's3-test-server.sh');
const BUCKET = 'kgtune-it';
const PREFIX = 'it/';
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const enc = (s: string) => new TextEncoder().encode(s);

// Install (one time, ~1 min) before collecting, so that only an install failure can skip.
const install = spawnSync('bash', [SCRIPT, 'install'], { encoding: 'utf8', timeout: 600_000 });
const installed = install.status === 0;
if (!installed) {
  const why = (install.stderr || install.error?.message || `exit ${install.status}`).trim().split('\n').at(-1);
  if (install.status !== 3) throw new Error(`scripts/s3-test-server.sh install failed unexpectedly (exit ${install.status}): ${why}`);
  console.warn(`[artifact-store-s3] SKIPPED: the S3 test server could not be installed: ${why}`);
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

let server: ChildProcess | undefined;
let serverLog = '';
let endpoint = '';
let creds: Credentials;
const spool = await mkdtemp(path.join(tmpdir(), 'kgtune-s3-it-'));

/** A raw signed request (IAM setup, listing, tampering): what the store does not do itself. */
async function raw(method: string, pathAndQuery: string, c: Credentials | undefined, opts: { service?: string; body?: string; contentType?: string } = {}): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint + pathAndQuery);
  const body = opts.body ?? '';
  const headers: Record<string, string> = opts.contentType ? { 'content-type': opts.contentType } : {};
  const s = signRequest({
    method, url, headers, payloadHash: sha256Hex(body), region: 'us-east-1', service: opts.service ?? 's3',
    credentials: c ?? { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bootstrap' },
  });
  const { host: _host, ...send } = s.headers;
  const res = await fetch(url, { method, headers: send, body: method === 'GET' || method === 'HEAD' ? undefined : body });
  return { status: res.status, text: await res.text() };
}

async function iam(params: Record<string, string>): Promise<string> {
  const r = await raw('POST', '/', undefined, { service: 'iam', body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(), contentType: 'application/x-www-form-urlencoded; charset=utf-8' });
  if (r.status !== 200) throw new Error(`IAM ${params.Action} failed: ${r.status} ${r.text.slice(0, 300)}`);
  return r.text;
}

async function listKeys(): Promise<string[]> {
  const r = await raw('GET', `/${BUCKET}?list-type=2`, creds);
  expect(r.status).toBe(200);
  return [...r.text.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!).sort();
}

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(p: Promise<unknown>): Promise<ArtifactStoreError> {
  const r = await p.then(() => undefined, (e: unknown) => e);
  expect(r).toBeInstanceOf(ArtifactStoreError);
  return r as ArtifactStoreError;
}

function newStore(over: Record<string, unknown> = {}, fetchImpl?: typeof fetch): S3ArtifactStore {
  return new S3ArtifactStore({ kind: 's3', endpoint, bucket: BUCKET, prefix: PREFIX, ...creds, ...over }, { spoolDir: spool, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

describe.skipIf(!installed)('S3ArtifactStore against a real S3-compatible server (moto, auth on)', () => {
  beforeAll(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    // The first 3 requests (the IAM set-up below) are let through; every later one must be signed by a known key.
    server = spawn('bash', [SCRIPT, 'run', String(port)], { env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`moto_server exited with ${server.exitCode}: ${serverLog.slice(-500)}`);
      const ok = await fetch(`${endpoint}/moto-api/`).then((r) => r.status < 500, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${serverLog.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await iam({ Action: 'CreateUser', UserName: 'kgtune' });
    const key = await iam({ Action: 'CreateAccessKey', UserName: 'kgtune' });
    await iam({ Action: 'PutUserPolicy', UserName: 'kgtune', PolicyName: 's3-all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) });
    creds = { accessKeyId: /<AccessKeyId>([^<]+)</.exec(key)![1]!, secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(key)![1]! };
    const made = await raw('PUT', `/${BUCKET}`, creds);
    expect(made.status, made.text).toBe(200);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await rm(spool, { recursive: true, force: true });
  });

  it('the server really checks signatures: a wrong secret is refused (AuthRefused, one line)', async () => {
    const e = await newStore({ secretAccessKey: `${creds.secretAccessKey}x` }).has(sha('x')).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(ArtifactStoreError);
    expect(e).toMatchObject({ type: 'AuthRefused', permanent: true, status: 403 });
    console.log(`[artifact-store-s3] wrong secret → ${(e as Error).message}`);
    const put = await failure(newStore({ accessKeyId: 'AKIANOTAKEY000000000' }).putBytes(enc('x')));
    expect(put).toMatchObject({ type: 'AuthRefused' });
    expect(put.message).toMatch(/refused the credentials .*\(403( InvalidAccessKeyId)?\)/);
    expect(await listKeys()).toEqual([]);
  });

  it('content-addressed round trip under the prefix; existing content is not re-uploaded', async () => {
    const methods: string[] = [];
    const counting: typeof fetch = (input, init) => {
      methods.push(init?.method ?? 'GET');
      return fetch(input, init);
    };
    const store = newStore({}, counting);
    const a = await store.putBytes(enc('hello'));
    expect(a).toEqual({ sha256: sha('hello'), size: 5, uri: `s3://${BUCKET}/${PREFIX}sha256/2c/${sha('hello')}` });
    expect(methods).toEqual(['HEAD', 'HEAD', 'PUT']);
    methods.length = 0;
    expect(await store.putBytes(enc('hello'))).toEqual(a);
    expect(await store.putStream((async function* () { yield enc('he'); yield enc('llo'); })())).toEqual(a);
    const f = path.join(spool, 'hello.txt');
    await writeFile(f, 'hello');
    expect(await store.putFile(f)).toEqual(a);
    await rm(f);
    expect(methods).toEqual(['HEAD', 'HEAD', 'HEAD']);
    expect(await store.has(a.sha256)).toBe(true);
    expect(await store.has(sha('absent'))).toBe(false);
    expect(new TextDecoder().decode(await store.get(a.sha256))).toBe('hello');
    expect(await listKeys()).toEqual([`${PREFIX}sha256/2c/${sha('hello')}`]);
  });

  it('a stream that fails midway leaves no object and no temporary key; a 12 MiB stream lands whole', async () => {
    const store = newStore();
    const before = await listKeys();
    async function* broken() {
      yield enc('first half');
      throw new Error('producer died');
    }
    await expect(store.putStream(broken())).rejects.toThrow('producer died');
    expect(await store.has(sha('first half'))).toBe(false);
    expect(await listKeys()).toEqual(before);

    const big = new Uint8Array(12 * 1024 * 1024).map((_, i) => (i * 31) % 256);
    const a = await store.putStream((async function* () { for (let i = 0; i < big.length; i += 1 << 20) yield big.subarray(i, i + (1 << 20)); })());
    expect(a).toMatchObject({ sha256: sha(big), size: big.byteLength });
    expect((await store.get(sha(big))).byteLength).toBe(big.byteLength);
    expect(await readdir(spool)).toEqual([]);
  });

  it('concurrent writers of the same content all succeed with one whole object', async () => {
    // moto answers 500 to concurrent overwrites of one key (it closes the previous version's temp
    // file under the other request); the store retries transient failures after a fresh HEAD, which
    // also covers real S3's occasional 500/503.
    const store = newStore();
    const big = new Uint8Array(2_000_000).map((_, i) => (i * 7) % 251);
    const results = await Promise.all(Array.from({ length: 4 }, () => store.putBytes(big)));
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha(big)]));
    expect((await store.get(sha(big))).byteLength).toBe(big.byteLength);
    expect((await listKeys()).every((k) => k.startsWith(`${PREFIX}sha256/`))).toBe(true);
    expect(await readdir(spool)).toEqual([]);
  });

  it('get verifies content: a tampered object is ArtifactIntegrity; an absent one ArtifactNotFound', async () => {
    const store = newStore();
    const a = await store.putBytes(enc('precious'));
    const tampered = await raw('PUT', `/${BUCKET}/${PREFIX}sha256/${a.sha256.slice(0, 2)}/${a.sha256}`, creds, { body: 'tampered' });
    expect(tampered.status).toBe(200);
    await expect(store.get(a.sha256)).rejects.toMatchObject({ type: 'ArtifactIntegrity' });
    await store.delete(a.sha256);
    await expect(store.get(a.sha256)).rejects.toMatchObject({ type: 'ArtifactNotFound' });
    expect((await store.putBytes(enc('precious'))).sha256).toBe(a.sha256);
    expect(new TextDecoder().decode(await store.get(a.sha256))).toBe('precious');
  });

  it('an adapter folder goes in and comes back byte for byte (putAdapterDir / restoreAdapterDir)', async () => {
    const dir = await mkdtemp(path.join(spool, 'adapter-'));
    const weights = new Uint8Array(200_000).map((_, i) => (i * 13) % 256);
    await writeFile(path.join(dir, 'adapter_model.safetensors'), weights);
    await writeFile(path.join(dir, 'adapter_config.json'), JSON.stringify({ r: 8, alpha: 16 }));
    const store: ArtifactStore = newStore();
    const stored = await putAdapterDir(store, dir);
    expect(stored.weights.sha256).toBe(sha(weights));
    const dest = await mkdtemp(path.join(spool, 'restored-'));
    await restoreAdapterDir(store, stored.manifest.sha256, dest);
    expect(new Uint8Array(await readFile(path.join(dest, 'adapter_model.safetensors')))).toEqual(weights);
    expect(JSON.parse(await readFile(path.join(dest, 'adapter_config.json'), 'utf8'))).toEqual({ r: 8, alpha: 16 });
    await rm(dir, { recursive: true });
    await rm(dest, { recursive: true });
  });

  it('bucket missing and endpoint unreachable are clear one-line errors', async () => {
    const missing = await failure(newStore({ bucket: 'no-such-bucket' }).putBytes(enc('x')));
    expect(missing).toMatchObject({ type: 'BucketNotFound', permanent: true });
    expect(missing.message).toBe(`S3 bucket "no-such-bucket" does not exist at ${endpoint} (HEAD 404): create it or set KGTUNE_S3_BUCKET`);
    const port = await freePort();
    const down = await failure(newStore({ endpoint: `http://127.0.0.1:${port}` }).get(sha('x')));
    expect(down).toMatchObject({ type: 'EndpointUnreachable', permanent: false });
    expect(down.message).toBe(`S3 endpoint http://127.0.0.1:${port} is unreachable (ECONNREFUSED 127.0.0.1)`);
  });

  it('artifactStoreFromEnv selects this server from KGTUNE_S3_* variables', async () => {
    const store = artifactStoreFromEnv({ artifactsDir: spool }, {
      KGTUNE_S3_ENDPOINT: endpoint,
      KGTUNE_S3_REGION: 'us-east-1',
      KGTUNE_S3_BUCKET: BUCKET,
      KGTUNE_S3_PREFIX: 'from-env',
      KGTUNE_S3_ACCESS_KEY_ID: creds.accessKeyId,
      KGTUNE_S3_SECRET_ACCESS_KEY: creds.secretAccessKey,
    });
    expect(store.kind).toBe('s3');
    const a = await store.putBytes(enc('via env'));
    expect(a.uri).toBe(`s3://${BUCKET}/from-env/sha256/${a.sha256.slice(0, 2)}/${a.sha256}`);
    expect(await listKeys()).toContain(`from-env/sha256/${a.sha256.slice(0, 2)}/${a.sha256}`);
  });
});
