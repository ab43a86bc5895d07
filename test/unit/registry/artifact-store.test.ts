import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalArtifactStore, RegistryError, createArtifactStore, putAdapterDir, restoreAdapterDir } from '../../../registry/index.js';
import { writeAdapter } from '../evaluation/fixtures.js';

const dirs: string[] = [];
async function tmp(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'kgtune-store-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

describe('LocalArtifactStore', () => {
  it('content-addressed: key = sha256, same content stored once', async () => {
    const store = new LocalArtifactStore(await tmp());
    const a = await store.putBytes(new TextEncoder().encode('hello'));
    expect(a.sha256).toBe(sha('hello'));
    expect(a.size).toBe(5);
    expect(a.uri).toMatch(/^file:\/\/.*\/sha256\/2c\/2cf24dba/);
    const again = await store.putBytes(new TextEncoder().encode('hello'));
    expect(again).toEqual(a);
    expect(new TextDecoder().decode(await store.get(a.sha256))).toBe('hello');
    expect(await store.has(a.sha256)).toBe(true);
    expect(await store.has(sha('other'))).toBe(false);
  });

  it('atomic: a write that fails midway leaves neither an object nor a temp file', async () => {
    const root = await tmp();
    const store = new LocalArtifactStore(root);
    async function* broken() {
      yield new TextEncoder().encode('first half');
      throw new Error('disk unplugged');
    }
    await expect(store.putStream(broken())).rejects.toThrow('disk unplugged');
    expect(await store.has(sha('first half'))).toBe(false);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    expect(await readdir(root)).toEqual(['tmp']);
  });

  it('concurrent writers of the same content both succeed with one whole object', async () => {
    const root = await tmp();
    const store = new LocalArtifactStore(root);
    const big = new Uint8Array(2_000_000).map((_, i) => i % 251);
    const results = await Promise.all(Array.from({ length: 4 }, () => store.putBytes(big)));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    expect((await store.get(results[0]!.sha256)).byteLength).toBe(big.byteLength);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('get verifies content: a corrupted object is an ArtifactIntegrity error', async () => {
    const store = new LocalArtifactStore(await tmp());
    const a = await store.putBytes(new TextEncoder().encode('precious'));
    await writeFile(store.objectPath(a.sha256), 'tampered');
    await expect(store.get(a.sha256)).rejects.toMatchObject({ type: 'ArtifactIntegrity' });
    await expect(store.get(sha('never stored'))).rejects.toMatchObject({ type: 'ArtifactNotFound' });
    await expect(store.get('../../etc/passwd')).rejects.toBeInstanceOf(RegistryError);
  });

  it('putFile streams a file; missing files fail without leftovers', async () => {
    const root = await tmp();
    const store = new LocalArtifactStore(root);
    const f = path.join(await tmp(), 'x.bin');
    await writeFile(f, 'file body');
    expect((await store.putFile(f)).sha256).toBe(sha('file body'));
    await expect(store.putFile(path.join(root, 'nope'))).rejects.toThrow();
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('builds the store the configuration names', () => {
    expect(createArtifactStore({ kind: 's3', endpoint: 'http://127.0.0.1:9000', bucket: 'adapters', accessKeyId: 'a', secretAccessKey: 'b' }).kind).toBe('s3');
    expect(createArtifactStore({ kind: 'local', root: 'x' }).kind).toBe('local');
  });
});

describe('adapter folders in the store', () => {
  it('stores every file plus a manifest, and restores them byte for byte', async () => {
    const store = new LocalArtifactStore(await tmp());
    const src = await writeAdapter(path.join(await tmp(), 'adapter'));
    const stored = await putAdapterDir(store, src);
    expect(stored.files.map((f) => f.path)).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    expect(stored.weights.sha256).toBe(sha(await readFile(path.join(src, 'adapter_model.safetensors'))));
    const dest = path.join(await tmp(), 'restored');
    await restoreAdapterDir(store, stored.manifest.sha256, dest);
    for (const f of stored.files) expect(sha(await readFile(path.join(dest, f.path)))).toBe(f.sha256);
  });

  it('a folder without weights is an InvalidAdapter error', async () => {
    const store = new LocalArtifactStore(await tmp());
    await expect(putAdapterDir(store, await tmp())).rejects.toMatchObject({ type: 'InvalidAdapter' });
    await expect(putAdapterDir(store, '/nonexistent/adapter')).rejects.toMatchObject({ type: 'InvalidAdapter' });
  });
});
