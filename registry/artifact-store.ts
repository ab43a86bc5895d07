import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { RegistryError } from './errors.js';

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
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) throw new RegistryError('ArtifactIntegrity', `artifact ${sha256} is corrupt (content hashes to ${actual})`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

export const ArtifactStoreConfig = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local'), root: z.string().min(1) }),
  /** S3-compatible object storage: configuration shape only, no client yet. */
  z.object({
    kind: z.literal('s3'),
    endpoint: z.url(),
    bucket: z.string().min(3),
    prefix: z.string().default('kgtune/'),
    region: z.string().default('us-east-1'),
    forcePathStyle: z.boolean().default(true),
  }),
]);
export type ArtifactStoreConfig = z.infer<typeof ArtifactStoreConfig>;

export function createArtifactStore(config: z.input<typeof ArtifactStoreConfig>): ArtifactStore {
  const c = ArtifactStoreConfig.parse(config);
  if (c.kind === 'local') return new LocalArtifactStore(path.resolve(c.root));
  throw new RegistryError('NotImplemented', `S3-compatible artifact store (${c.endpoint}, bucket ${c.bucket}) is not implemented yet; use kind "local"`);
}
