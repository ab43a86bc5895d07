/**
 * S3ArtifactStore against a tiny in-memory S3 stub on loopback: request shapes, idempotence,
 * atomicity of failed streams, error mapping, env configuration. The real server (moto, which also
 * verifies the signatures) is exercised by test/integration/artifact-store-s3.test.ts.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../configs/env.js';
import { ArtifactStoreError, LocalArtifactStore, RegistryError, S3ArtifactStore, artifactStoreFromEnv, createArtifactStore } from '../../../registry/index.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const enc = (s: string) => new TextEncoder().encode(s);

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; bytes: number }
const objects = new Map<string, Buffer>();
const seen: Seen[] = [];
let mode: 'ok' | 'deny' | 'no-bucket' | 'boom' | 'flaky-put' = 'ok';
let putFailures = 0;
let server: Server;
let endpoint = '';
let spool = '';

function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message><![CDATA[${message}]]></Message>\n</Error>`;
}

beforeAll(async () => {
  spool = await mkdtemp(path.join(tmpdir(), 'kgtune-s3-spool-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, bytes: body.length });
      const [, bucket, ...rest] = decodeURIComponent(req.url!.split('?')[0]!).split('/');
      const key = rest.join('/');
      const send = (status: number, text = '') => res.writeHead(status, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : text);
      if (mode === 'deny') return send(403, xmlError('SignatureDoesNotMatch', 'The request signature we calculated does not match'));
      if (mode === 'boom') return send(503, xmlError('SlowDown', 'Please reduce your request rate.'));
      if (mode === 'no-bucket' || bucket !== 'adapters') return send(404, xmlError('NoSuchBucket', 'The specified bucket does not exist'));
      if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256 Credential=AKIDTEST/')) return send(403, xmlError('AccessDenied', 'no auth'));
      if (key === '') return send(200);
      if (req.method === 'PUT') {
        if (mode === 'flaky-put' && putFailures-- > 0) return send(500, xmlError('InternalError', 'We encountered an internal error. Please try again.'));
        if (Number(req.headers['content-length']) !== body.length) return send(400, xmlError('IncompleteBody', 'short'));
        if (req.headers['x-amz-content-sha256'] !== sha(body)) return send(400, xmlError('XAmzContentSHA256Mismatch', 'mismatch'));
        objects.set(key, body);
        return send(200);
      }
      const obj = objects.get(key);
      if (req.method === 'DELETE') return objects.delete(key), send(204);
      if (!obj) return send(404, xmlError('NoSuchKey', 'The specified key does not exist.'));
      if (req.method === 'HEAD') return send(200);
      return res.writeHead(200).end(obj);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(spool, { recursive: true, force: true });
});
beforeEach(() => {
  mode = 'ok';
  seen.length = 0;
  objects.clear();
});

const store = (over: Record<string, unknown> = {}) =>
  new S3ArtifactStore({ kind: 's3', endpoint, bucket: 'adapters', prefix: 'team-a/kg', accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', ...over }, { spoolDir: spool });

describe('S3ArtifactStore (stub server)', () => {
  it('content-addressed under the prefix, path-style, bucket checked once; same content is not re-uploaded', async () => {
    const s = store();
    const a = await s.putBytes(enc('hello'));
    expect(a).toEqual({ sha256: sha('hello'), size: 5, uri: `s3://adapters/team-a/kg/sha256/2c/${sha('hello')}` });
    expect([...objects.keys()]).toEqual([`team-a/kg/sha256/2c/${sha('hello')}`]);
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'HEAD /adapters',
      `HEAD /adapters/team-a/kg/sha256/2c/${sha('hello')}`,
      `PUT /adapters/team-a/kg/sha256/2c/${sha('hello')}`,
    ]);
    expect(seen[2]!.headers['x-amz-content-sha256']).toBe(sha('hello'));
    seen.length = 0;
    expect(await s.putBytes(enc('hello'))).toEqual(a);
    expect(await s.putStream((async function* () { yield enc('hel'); yield enc('lo'); })())).toEqual(a);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'HEAD']);
    expect(new TextDecoder().decode(await s.get(a.sha256))).toBe('hello');
    expect(await s.has(sha('other'))).toBe(false);
    expect(await readdir(spool)).toEqual([]);
  });

  it('a stream that fails midway sends no PUT and leaves no spool file', async () => {
    const s = store();
    async function* broken() {
      yield enc('first half');
      throw new Error('producer died');
    }
    await expect(s.putStream(broken())).rejects.toThrow('producer died');
    expect(seen.filter((r) => r.method === 'PUT')).toEqual([]);
    expect(objects.size).toBe(0);
    expect(await readdir(spool)).toEqual([]);
  });

  it('putStream uploads the spooled bytes with a fixed length', async () => {
    const big = new Uint8Array(3_000_000).map((_, i) => (i * 7) % 256);
    const a = await store().putStream((async function* () { for (let i = 0; i < big.length; i += 65536) yield big.subarray(i, i + 65536); })());
    expect(a.sha256).toBe(sha(big));
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(put.headers['content-length']).toBe(String(big.length));
    expect(put.bytes).toBe(big.length);
  });

  it('get verifies the content hash; missing and malformed keys are ArtifactNotFound', async () => {
    const s = store();
    const a = await s.putBytes(enc('precious'));
    objects.set(`team-a/kg/sha256/${a.sha256.slice(0, 2)}/${a.sha256}`, Buffer.from('tampered'));
    await expect(s.get(a.sha256)).rejects.toMatchObject({ type: 'ArtifactIntegrity' });
    await expect(s.get(sha('never'))).rejects.toMatchObject({ type: 'ArtifactNotFound' });
    await expect(s.get('../../etc/passwd')).rejects.toBeInstanceOf(RegistryError);
  });

  it('one-line errors: auth refused, bucket missing, endpoint unreachable, server failure', async () => {
    mode = 'deny';
    const denied = await store().putBytes(enc('x')).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ArtifactStoreError);
    expect(denied).toMatchObject({ type: 'AuthRefused', permanent: true });
    expect((denied as Error).message).toMatch(/refused the credentials .*403.*KGTUNE_S3_ACCESS_KEY_ID/);

    mode = 'no-bucket';
    await expect(store().has(sha('x'))).rejects.toMatchObject({ type: 'BucketNotFound', permanent: true, message: expect.stringMatching(/bucket "adapters" does not exist/) });

    mode = 'boom';
    await expect(store().get(sha('x'))).rejects.toMatchObject({ type: 'S3Error', permanent: false });

    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const e = await store({ endpoint: `http://127.0.0.1:${closedPort}` }).has(sha('x')).catch((err: unknown) => err as ArtifactStoreError);
    expect(e).toMatchObject({ type: 'EndpointUnreachable', permanent: false });
    expect((e as Error).message).toBe(`S3 endpoint http://127.0.0.1:${closedPort} is unreachable (ECONNREFUSED 127.0.0.1)`);
    for (const m of [denied, e]) expect((m as Error).message).not.toContain('\n');
  });

  it('a transient PUT failure (5xx) is retried after a fresh HEAD; a lasting one is reported', async () => {
    mode = 'flaky-put';
    putFailures = 1;
    const a = await store().putBytes(enc('retry me'));
    expect(objects.size).toBe(1);
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'HEAD', 'PUT', 'HEAD', 'PUT']);
    expect(a.sha256).toBe(sha('retry me'));
    putFailures = 10;
    await expect(store().putBytes(enc('never'))).rejects.toMatchObject({ type: 'S3Error', permanent: false, status: 500, message: expect.stringMatching(/HTTP 500 InternalError/) });
    expect(seen.filter((r) => r.method === 'PUT').length).toBe(2 + 3);
  });

  it('a failed bucket check is retried on the next call', async () => {
    const s = store();
    mode = 'boom';
    await expect(s.has(sha('x'))).rejects.toThrow();
    mode = 'ok';
    expect(await s.has(sha('x'))).toBe(false);
  });

  it('the secret never appears in the store object or its errors', async () => {
    const s = store({ secretAccessKey: 'very-secret-value' });
    expect(JSON.stringify(s)).not.toContain('very-secret-value');
    mode = 'deny';
    await expect(s.has(sha('x'))).rejects.not.toThrow(/very-secret-value/);
  });
});

describe('configuration', () => {
  it('createArtifactStore builds either kind; bad S3 config is rejected by the schema', () => {
    const s = createArtifactStore({ kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'adapters', accessKeyId: 'a', secretAccessKey: 'b' });
    expect(s).toBeInstanceOf(S3ArtifactStore);
    expect((s as S3ArtifactStore).prefix).toBe('kgtune/');
    expect((s as S3ArtifactStore).region).toBe('us-east-1');
    expect(() => createArtifactStore({ kind: 's3', endpoint: 'ftp://x', bucket: 'adapters', accessKeyId: 'a', secretAccessKey: 'b' })).toThrow(/http\(s\)/);
    expect(() => createArtifactStore({ kind: 's3', endpoint: 'http://x', bucket: 'Bad_Bucket', accessKeyId: 'a', secretAccessKey: 'b' })).toThrow(/bucket/);
    expect(createArtifactStore({ kind: 'local', root: 'x' }).kind).toBe('local');
  });

  it('prefix is normalised; virtual-hosted style puts the bucket in the host', () => {
    expect(store({ prefix: '/a/b' }).uri(sha('x'))).toBe(`s3://adapters/a/b/sha256/${sha('x').slice(0, 2)}/${sha('x')}`);
    expect(store({ prefix: '' }).objectKey(sha('x'))).toBe(`sha256/${sha('x').slice(0, 2)}/${sha('x')}`);
  });

  it('artifactStoreFromEnv: no KGTUNE_S3_* → the local store; all set → S3; half set → one-line ConfigError', () => {
    const env = { artifactsDir: '/tmp/kgtune-artifacts' };
    const local = artifactStoreFromEnv(env, {});
    expect(local).toBeInstanceOf(LocalArtifactStore);
    expect((local as LocalArtifactStore).root).toBe('/tmp/kgtune-artifacts/store');
    expect(artifactStoreFromEnv(env, { KGTUNE_S3_BUCKET: '' })).toBeInstanceOf(LocalArtifactStore);

    const s3 = artifactStoreFromEnv(env, {
      KGTUNE_S3_ENDPOINT: 'http://127.0.0.1:9000',
      KGTUNE_S3_BUCKET: 'adapters',
      KGTUNE_S3_PREFIX: 'prod',
      KGTUNE_S3_REGION: 'eu-central-1',
      KGTUNE_S3_ACCESS_KEY_ID: 'a',
      KGTUNE_S3_SECRET_ACCESS_KEY: 'b',
      KGTUNE_S3_PATH_STYLE: 'false',
    }) as S3ArtifactStore;
    expect(s3).toBeInstanceOf(S3ArtifactStore);
    expect([s3.bucket, s3.prefix, s3.region, s3.forcePathStyle]).toEqual(['adapters', 'prod/', 'eu-central-1', false]);

    const half = () => artifactStoreFromEnv(env, { KGTUNE_S3_ENDPOINT: 'http://127.0.0.1:9000', KGTUNE_S3_ACCESS_KEY_ID: 'a' });
    expect(half).toThrow(ConfigError);
    expect(half).toThrow('S3 artifact store (some KGTUNE_S3_* variables are set) is misconfigured: KGTUNE_S3_BUCKET is not set; KGTUNE_S3_SECRET_ACCESS_KEY is not set');
    expect(() => artifactStoreFromEnv(env, { KGTUNE_S3_BUCKET: 'adapters', KGTUNE_S3_ENDPOINT: 'nope', KGTUNE_S3_ACCESS_KEY_ID: 'a', KGTUNE_S3_SECRET_ACCESS_KEY: 'b' })).toThrow(/KGTUNE_S3_ENDPOINT: endpoint must be an http\(s\) URL/);
    expect(() => artifactStoreFromEnv(env, { KGTUNE_S3_PATH_STYLE: 'maybe' })).toThrow(ConfigError);
  });
});
