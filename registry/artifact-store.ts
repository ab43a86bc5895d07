import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError, processEnv, type KgtuneEnv } from '../configs/env.js';
import { RegistryError } from './errors.js';
import { S3ArtifactStore, S3StoreConfig, type S3StoreOptions } from './s3-artifact-store.js';
import { sha256Hex } from '../configs/hash.js';

export interface StoredArtifact {
  sha256: string;
  size: number;
  uri: string;
}

/** Content-addressed blobs: the key of every object is the sha256 of its bytes. */
export interface ArtifactStore {
  readonly kind: 'local' | 's3';
  /** Stores a stream; the object appears whole or not at all. Storing known content is a no-op. */
  putStream(chunks: AsyncIterable<Uint8Array>): Promise<StoredArtifact>;
  putBytes(bytes: Uint8Array): Promise<StoredArtifact>;
  putFile(file: string): Promise<StoredArtifact>;
  has(sha256: string): Promise<boolean>;
  /** The bytes, verified against their hash. */
  get(sha256: string): Promise<Uint8Array>;
  uri(sha256: string): string;
}

const HEX64 = /^[0-9a-f]{64}$/;

function checkKey(sha256: string): void {
  if (!HEX64.test(sha256)) throw new RegistryError('ArtifactNotFound', `not a sha256: ${JSON.stringify(sha256)}`);
}

/**
 * A local folder: `<root>/sha256/<2 hex>/<64 hex>`. Writes go to `<root>/tmp/` first and are
 * renamed into place after an fsync, so a crash never leaves a partial object under its hash.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly kind = 'local' as const;
  constructor(readonly root: string) {}

  objectPath(sha256: string): string {
    checkKey(sha256);
    return path.join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  uri(sha256: string): string {
    return pathToFileURL(this.objectPath(sha256)).href;
  }

  async putStream(chunks: AsyncIterable<Uint8Array>): Promise<StoredArtifact> {
    const tmpDir = path.join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(tmp, 'wx');
    try {
      try {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.byteLength;
          await fh.write(chunk);
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      const sha256 = hash.digest('hex');
      const dest = this.objectPath(sha256);
      await mkdir(path.dirname(dest), { recursive: true });
      // Same name ⇒ same bytes: replacing an existing object is harmless and keeps this atomic.
      await rename(tmp, dest);
      return { sha256, size, uri: this.uri(sha256) };
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async putBytes(bytes: Uint8Array): Promise<StoredArtifact> {
    return this.putStream(
      (async function* () {
        yield bytes;
      })(),
    );
  }

  async putFile(file: string): Promise<StoredArtifact> {
    // The stream is opened only once iteration starts, so an open error reaches the iterator.
    return this.putStream(
      (async function* () {
        yield* createReadStream(file) as AsyncIterable<Uint8Array>;
      })(),
    );
  }

  async has(sha256: string): Promise<boolean> {
    const s = await stat(this.objectPath(sha256)).catch(() => undefined);
    return s?.isFile() ?? false;
  }

  async get(sha256: string): Promise<Uint8Array> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.objectPath(sha256));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new RegistryError('ArtifactNotFound', `artifact ${sha256} not in ${this.root}`);
      throw e;
    }
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new RegistryError('ArtifactIntegrity', `artifact ${sha256} is corrupt (content hashes to ${actual})`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

export const ArtifactStoreConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), root: z.string().min(1) }),
  /** S3-compatible object storage (registry/s3-artifact-store.ts). */
  S3StoreConfig,
]);
export type ArtifactStoreConfig = z.infer<typeof ArtifactStoreConfig>;

export function createArtifactStore(config: z.input<typeof ArtifactStoreConfig>, options: S3StoreOptions = {}): ArtifactStore {
  const c = ArtifactStoreConfig.parse(config);
  if (c.kind === 'local') return new LocalArtifactStore(path.resolve(c.root));
  return new S3ArtifactStore(c, options);
}

/** The environment variables of the S3 store; all optional here, checked together below. */
const optional = z.string().optional();
export const S3Env = z.object({
  KGTUNE_S3_ENDPOINT: optional,
  KGTUNE_S3_REGION: optional,
  KGTUNE_S3_BUCKET: optional,
  KGTUNE_S3_PREFIX: optional,
  KGTUNE_S3_ACCESS_KEY_ID: optional,
  KGTUNE_S3_SECRET_ACCESS_KEY: optional,
  KGTUNE_S3_SESSION_TOKEN: optional,
  /** `1`/`true` (default): `<endpoint>/<bucket>/<key>`; `0`/`false`: `<bucket>.<endpoint host>/<key>`. */
  KGTUNE_S3_PATH_STYLE: z.enum(['0', '1', 'true', 'false']).optional(),
});

const ENV_OF: Record<string, string> = {
  endpoint: 'KGTUNE_S3_ENDPOINT', region: 'KGTUNE_S3_REGION', bucket: 'KGTUNE_S3_BUCKET', prefix: 'KGTUNE_S3_PREFIX',
  accessKeyId: 'KGTUNE_S3_ACCESS_KEY_ID', secretAccessKey: 'KGTUNE_S3_SECRET_ACCESS_KEY', sessionToken: 'KGTUNE_S3_SESSION_TOKEN',
  forcePathStyle: 'KGTUNE_S3_PATH_STYLE',
};

/**
 * The artifact store the environment asks for: S3 when any KGTUNE_S3_* variable is set (then
 * KGTUNE_S3_BUCKET, _ENDPOINT, _ACCESS_KEY_ID and _SECRET_ACCESS_KEY are required), else the local
 * folder `<artifactsDir>/store`. A half-configured S3 is a ConfigError, never a silent fall-back.
 */
export function artifactStoreFromEnv(env: Pick<KgtuneEnv, 'artifactsDir'>, source: NodeJS.ProcessEnv = processEnv(), options: S3StoreOptions = {}): ArtifactStore {
  const picked = Object.fromEntries(Object.keys(S3Env.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]));
  const raw = S3Env.safeParse(picked);
  if (!raw.success) throw new ConfigError(`invalid S3 artifact store environment: ${raw.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = raw.data;
  if (Object.values(e).every((v) => v === undefined)) return new LocalArtifactStore(path.join(env.artifactsDir, 'store'));
  const parsed = S3StoreConfig.safeParse({
    kind: 's3',
    endpoint: e.KGTUNE_S3_ENDPOINT,
    bucket: e.KGTUNE_S3_BUCKET,
    prefix: e.KGTUNE_S3_PREFIX,
    region: e.KGTUNE_S3_REGION,
    accessKeyId: e.KGTUNE_S3_ACCESS_KEY_ID,
    secretAccessKey: e.KGTUNE_S3_SECRET_ACCESS_KEY,
    sessionToken: e.KGTUNE_S3_SESSION_TOKEN,
    forcePathStyle: e.KGTUNE_S3_PATH_STYLE === undefined ? undefined : e.KGTUNE_S3_PATH_STYLE === '1' || e.KGTUNE_S3_PATH_STYLE === 'true',
  });
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => {
        const name = ENV_OF[String(i.path[0])] ?? i.path.join('.');
        return i.code === 'invalid_type' && i.input === undefined ? `${name} is not set` : `${name}: ${i.message}`;
      })
      .join('; ');
    throw new ConfigError(`S3 artifact store (some KGTUNE_S3_* variables are set) is misconfigured: ${msg}`);
  }
  return new S3ArtifactStore(parsed.data, options);
}
