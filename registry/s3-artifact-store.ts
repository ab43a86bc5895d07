import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ArtifactStore, StoredArtifact } from './artifact-store.js';
import { RegistryError } from './errors.js';
import { EMPTY_SHA256, signRequest, uriEncode, type Credentials } from './internal/sigv4.js';
import { sha256Hex } from '../configs/hash.js';
import { KgtuneError } from '../configs/pure/errors.js';

/** S3 bucket names: 3–63 of lower-case letters, digits, dots and hyphens, starting and ending alphanumeric. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `''` or `a/b/` (no leading slash, one trailing slash). */
function normalisePrefix(p: string): string {
  const trimmed = p.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

export const S3StoreConfig = z.object({
  kind: z.literal('s3'),
  /** Base URL of the S3-compatible service, e.g. `http://127.0.0.1:9000`. */
  endpoint: z.url({ protocol: /^https?$/, error: 'endpoint must be an http(s) URL' }),
  bucket: z.string().regex(BUCKET, 'bucket must be 3-63 lower-case letters, digits, dots or hyphens'),
  /** Key prefix inside the bucket; objects go to `<prefix>sha256/<2 hex>/<64 hex>`. */
  prefix: z.string().default('kgtune/').transform(normalisePrefix),
  region: z.string().min(1).default('us-east-1'),
  /** `<endpoint>/<bucket>/<key>` (true, what most self-hosted servers need) or `<bucket>.<endpoint host>/<key>`. */
  forcePathStyle: z.boolean().default(true),
  accessKeyId: z.string().min(1, 'access key id is required'),
  secretAccessKey: z.string().min(1, 'secret access key is required'),
  sessionToken: z.string().min(1).optional(),
});
export type S3StoreConfig = z.infer<typeof S3StoreConfig>;

export type S3StoreErrorType = 'BucketNotFound' | 'AuthRefused' | 'EndpointUnreachable' | 'WrongRegion' | 'ObjectTooLarge' | 'S3Error';

/**
 * A failure talking to the object store. `permanent` is false for what a retry may fix (the endpoint
 * unreachable, a 5xx); bucket missing, credentials refused, wrong region are permanent.
 */
export class ArtifactStoreError extends KgtuneError {
  get code(): string { return this.type; }
  get retryable(): boolean { return !this.permanent; }
  constructor(
    readonly type: S3StoreErrorType,
    message: string,
    readonly permanent: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ArtifactStoreError';
  }
}

/** S3's limit for one PUT; larger objects need a multipart upload (not implemented). */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;
const METADATA_TIMEOUT_MS = 30_000;
const UPLOAD_ATTEMPTS = 3;
/** Failures of the connection itself, as opposed to the request (e.g. a body that changed length). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'TimeoutError']);
const HEX64 = /^[0-9a-f]{64}$/;

export interface S3StoreOptions {
  /** Where putStream spools a stream before upload (its size and hash must be known first). Default: the OS temp folder. */
  spoolDir?: string;
  /** For tests. */
  fetch?: typeof fetch;
  now?: () => Date;
}

interface RequestSpec {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  /** Object key; undefined for the bucket itself. */
  key?: string;
  body?: Uint8Array | ReadableStream<Uint8Array>;
  size?: number;
  payloadHash?: string;
  timeoutMs?: number;
}

/**
 * Content-addressed blobs in an S3-compatible bucket, signed with AWS Signature V4 over node's fetch.
 *
 * Atomicity relies on S3 PUT semantics: a single PUT either creates the whole object or nothing
 * (no partial object is ever visible), so no temporary key is needed. The body's sha256 — which is
 * also the object's key — is signed as `x-amz-content-sha256`, and the Content-Length is fixed, so a
 * server that checks payloads refuses a body that differs from its key, and node's fetch aborts a
 * body shorter or longer than announced. Storing content that already exists (HEAD 200) uploads nothing.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3' as const;
  readonly endpoint: URL;
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly #credentials: Credentials;
  readonly #fetch: typeof fetch;
  readonly #now: () => Date;
  readonly #spoolDir: string;
  #bucketChecked: Promise<void> | undefined;

  constructor(config: z.input<typeof S3StoreConfig>, options: S3StoreOptions = {}) {
    const c = S3StoreConfig.parse(config);
    this.endpoint = new URL(c.endpoint);
    this.bucket = c.bucket;
    this.prefix = c.prefix;
    this.region = c.region;
    this.forcePathStyle = c.forcePathStyle;
    this.#credentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken };
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? (() => new Date());
    this.#spoolDir = options.spoolDir ?? tmpdir();
  }

  objectKey(sha256: string): string {
    if (!HEX64.test(sha256)) throw new RegistryError('ArtifactNotFound', `not a sha256: ${JSON.stringify(sha256)}`);
    return `${this.prefix}sha256/${sha256.slice(0, 2)}/${sha256}`;
  }

  uri(sha256: string): string {
    return `s3://${this.bucket}/${this.objectKey(sha256)}`;
  }

  /** Checks once (per store, until it succeeds) that the bucket exists and the credentials are accepted. */
  async checkBucket(): Promise<void> {
    this.#bucketChecked ??= (async () => {
      const res = await this.#request({ method: 'HEAD', timeoutMs: METADATA_TIMEOUT_MS });
      if (res.status !== 200) throw await this.#error(res, 'HEAD bucket');
    })();
    try {
      await this.#bucketChecked;
    } catch (e) {
      this.#bucketChecked = undefined;
      throw e;
    }
  }

  async has(sha256: string): Promise<boolean> {
    const key = this.objectKey(sha256);
    await this.checkBucket();
    const res = await this.#request({ method: 'HEAD', key, timeoutMs: METADATA_TIMEOUT_MS });
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await this.#error(res, 'HEAD', key);
  }

  async get(sha256: string): Promise<Uint8Array> {
    const key = this.objectKey(sha256);
    await this.checkBucket();
    const res = await this.#request({ method: 'GET', key });
    if (res.status === 404) {
      const { code } = parseError(await res.text());
      if (code === 'NoSuchBucket') throw this.#bucketMissing(code);
      throw new RegistryError('ArtifactNotFound', `artifact ${sha256} not in s3://${this.bucket}/${this.prefix}`);
    }
    if (res.status !== 200) throw await this.#error(res, 'GET', key);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new RegistryError('ArtifactIntegrity', `artifact ${sha256} is corrupt (content hashes to ${actual})`);
    return bytes;
  }

  async putBytes(bytes: Uint8Array): Promise<StoredArtifact> {
    const sha256 = sha256Hex(bytes);
    return this.#upload(sha256, bytes.byteLength, () => bytes);
  }

  async putFile(file: string): Promise<StoredArtifact> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    const sha256 = hash.digest('hex');
    // If the file changes after hashing, the signed hash or the fixed length makes the PUT fail.
    return this.#upload(sha256, size, () => Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
  }

  /** The stream is spooled to a local temp file first: S3 needs the length (and we the hash) before the PUT. */
  async putStream(chunks: AsyncIterable<Uint8Array>): Promise<StoredArtifact> {
    await mkdir(this.#spoolDir, { recursive: true });
    const spool = path.join(this.#spoolDir, `kgtune-s3-${process.pid}-${randomBytes(8).toString('hex')}.part`);
    try {
      const hash = createHash('sha256');
      let size = 0;
      const fh = await open(spool, 'wx', 0o600);
      try {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.byteLength;
          await fh.write(chunk);
        }
      } finally {
        await fh.close();
      }
      const sha256 = hash.digest('hex');
      return await this.#upload(sha256, size, () => Readable.toWeb(createReadStream(spool)) as ReadableStream<Uint8Array>);
    } finally {
      await rm(spool, { force: true });
    }
  }

  /** Removes an object (tests and garbage collection; the registry itself never deletes). Absent is fine. */
  async delete(sha256: string): Promise<void> {
    const key = this.objectKey(sha256);
    await this.checkBucket();
    const res = await this.#request({ method: 'DELETE', key, timeoutMs: METADATA_TIMEOUT_MS });
    if (res.status !== 204 && res.status !== 200 && res.status !== 404) throw await this.#error(res, 'DELETE', key);
    await res.body?.cancel();
  }

  /**
   * HEAD, then PUT if absent. A transient failure (5xx, connection lost) is retried up to
   * UPLOAD_ATTEMPTS times, each retry starting with a HEAD: a concurrent writer may have landed it.
   */
  async #upload(sha256: string, size: number, body: () => Uint8Array | ReadableStream<Uint8Array>): Promise<StoredArtifact> {
    const stored = { sha256, size, uri: this.uri(sha256) };
    const key = this.objectKey(sha256);
    for (let attempt = 1; ; attempt++) {
      if (await this.has(sha256)) return stored;
      if (size > MAX_SINGLE_PUT_BYTES) {
        throw new ArtifactStoreError('ObjectTooLarge', `artifact ${sha256} is ${size} bytes, over the ${MAX_SINGLE_PUT_BYTES}-byte single-PUT limit (multipart upload is not implemented)`, true);
      }
      try {
        const res = await this.#request({ method: 'PUT', key, body: body(), size, payloadHash: sha256 });
        if (res.status !== 200) throw await this.#error(res, 'PUT', key);
        await res.body?.cancel();
        return stored;
      } catch (e) {
        if (!(e instanceof ArtifactStoreError) || e.permanent || attempt >= UPLOAD_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
  }

  #url(key?: string): URL {
    const base = this.endpoint.pathname.replace(/\/+$/, '');
    const encodedKey = key === undefined ? '' : `/${uriEncode(key, true)}`;
    if (this.forcePathStyle) return new URL(`${this.endpoint.origin}${base}/${this.bucket}${encodedKey}`);
    return new URL(`${this.endpoint.protocol}//${this.bucket}.${this.endpoint.host}${base}${encodedKey || '/'}`);
  }

  async #request(spec: RequestSpec): Promise<Response> {
    const url = this.#url(spec.key);
    const headers: Record<string, string> = {};
    if (spec.size !== undefined) headers['content-length'] = String(spec.size);
    const signed = signRequest({
      method: spec.method,
      url,
      headers,
      payloadHash: spec.payloadHash ?? EMPTY_SHA256,
      credentials: this.#credentials,
      region: this.region,
      service: 's3',
      date: this.#now(),
    });
    // fetch sets Host itself (and refuses to be told).
    const { host: _host, ...send } = signed.headers;
    try {
      return await this.#fetch(url, {
        method: spec.method,
        headers: send,
        body: spec.body,
        redirect: 'manual',
        signal: spec.timeoutMs === undefined ? undefined : AbortSignal.timeout(spec.timeoutMs),
        ...(spec.body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (e) {
      const cause = networkCause(e);
      if (NETWORK_CODES.has(cause.code)) throw new ArtifactStoreError('EndpointUnreachable', `S3 endpoint ${this.endpoint.origin} is unreachable (${cause.text})`, false);
      const where = spec.key === undefined ? `bucket "${this.bucket}"` : `s3://${this.bucket}/${spec.key}`;
      throw new ArtifactStoreError('S3Error', `S3 ${spec.method} ${where} failed: ${cause.text}`, false);
    }
  }

  #bucketMissing(code: string): ArtifactStoreError {
    return new ArtifactStoreError('BucketNotFound', `S3 bucket "${this.bucket}" does not exist at ${this.endpoint.origin} (${code}): create it or set KGTUNE_S3_BUCKET`, true, 404);
  }

  async #error(res: Response, op: string, key?: string): Promise<ArtifactStoreError> {
    const text = op.startsWith('HEAD') ? '' : await res.text().catch(() => '');
    const { code, message } = parseError(text);
    const where = key === undefined ? `bucket "${this.bucket}"` : `s3://${this.bucket}/${key}`;
    if (res.status === 404 && (key === undefined || code === 'NoSuchBucket')) return this.#bucketMissing(code ?? 'HEAD 404');
    if (res.status === 403 || code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || code === 'AccessDenied') {
      return new ArtifactStoreError(
        'AuthRefused',
        `S3 at ${this.endpoint.origin} refused the credentials for ${where} (${res.status}${code ? ` ${code}` : ''}): check KGTUNE_S3_ACCESS_KEY_ID / KGTUNE_S3_SECRET_ACCESS_KEY and the key's permissions`,
        true,
        res.status,
      );
    }
    const region = res.headers.get('x-amz-bucket-region');
    if ((res.status === 301 || res.status === 400 || res.status === 307) && region && region !== this.region) {
      return new ArtifactStoreError('WrongRegion', `S3 bucket "${this.bucket}" is in region ${region}, not ${this.region}: set KGTUNE_S3_REGION=${region}`, true, res.status);
    }
    const detail = [code, message].filter(Boolean).join(': ');
    return new ArtifactStoreError('S3Error', `S3 ${op} ${where} failed: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, res.status < 500, res.status);
  }
}

/** `<Error><Code>…</Code><Message>…</Message></Error>`, without an XML parser (the shape is fixed). */
function parseError(xml: string): { code?: string; message?: string } {
  const pick = (tag: string): string | undefined => {
    const m = new RegExp(`<${tag}>\\s*(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?\\s*</${tag}>`).exec(xml);
    return m?.[1]?.replace(/\s+/g, ' ').trim() || undefined;
  };
  return { code: pick('Code'), message: pick('Message') };
}

/** The innermost coded reason of a fetch failure: `ECONNREFUSED 127.0.0.1`, `ENOTFOUND host`, `timed out`. */
function networkCause(e: unknown): { code: string; text: string } {
  if (e instanceof Error && e.name === 'TimeoutError') return { code: 'TimeoutError', text: 'timed out' };
  let best = { code: '', text: e instanceof Error ? e.message : String(e) };
  for (let cur: unknown = e, i = 0; i < 6 && cur instanceof Error; i++, cur = (cur as { cause?: unknown }).cause) {
    const err = cur as NodeJS.ErrnoException & { address?: string; hostname?: string };
    if (err.code) {
      const at = err.address ?? err.hostname;
      best = { code: err.code, text: err.code.startsWith('UND_ERR_') ? `${err.code}: ${err.message}` : `${err.code}${at ? ` ${at}` : ''}` };
    }
  }
  best.text = best.text.split('\n')[0] ?? best.text;
  return best;
}
