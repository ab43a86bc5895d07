import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ArtifactStore, StoredArtifact } from './artifact-store.js';
import { RegistryError } from './errors.js';

export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

export const AdapterManifest = z.object({
  kind: z.literal('kgtune.adapter-manifest/v1'),
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() })),
});
export type AdapterManifest = z.infer<typeof AdapterManifest>;

export interface StoredAdapter {
  /** sha256 of adapter_model.safetensors: the adapter's identity. */
  weights: StoredArtifact;
  manifest: StoredArtifact;
  files: AdapterManifest['files'];
  /** Total bytes over all files. */
  sizeBytes: number;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/** Stores every file of an adapter folder, then a manifest naming them; returns both hashes. */
export async function putAdapterDir(store: ArtifactStore, dir: string): Promise<StoredAdapter> {
  const names = await listFiles(dir).catch((e: NodeJS.ErrnoException) => {
    throw new RegistryError('InvalidAdapter', `adapter folder ${dir} unreadable: ${e.code ?? e.message}`);
  });
  if (!names.includes(ADAPTER_WEIGHTS_FILE)) throw new RegistryError('InvalidAdapter', `${dir} has no ${ADAPTER_WEIGHTS_FILE}`);
  const files: AdapterManifest['files'] = [];
  let weights: StoredArtifact | undefined;
  for (const name of names) {
    const a = await store.putFile(path.join(dir, name));
    files.push({ path: name, sha256: a.sha256, size: a.size });
    if (name === ADAPTER_WEIGHTS_FILE) weights = a;
  }
  if (weights === undefined || weights.size === 0) throw new RegistryError('InvalidAdapter', `${dir}/${ADAPTER_WEIGHTS_FILE} is empty`);
  const manifest: AdapterManifest = { kind: 'kgtune.adapter-manifest/v1', files };
  const m = await store.putBytes(new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
  return { weights, manifest: m, files, sizeBytes: files.reduce((s, f) => s + f.size, 0) };
}

/** Writes a stored adapter back into `dest` (for serving or re-evaluation). */
export async function restoreAdapterDir(store: ArtifactStore, manifestSha256: string, dest: string): Promise<string[]> {
  const manifest = AdapterManifest.parse(JSON.parse(new TextDecoder().decode(await store.get(manifestSha256))));
  const written: string[] = [];
  for (const f of manifest.files) {
    const target = path.resolve(dest, f.path);
    if (!target.startsWith(path.resolve(dest) + path.sep)) throw new RegistryError('ArtifactIntegrity', `manifest path escapes the folder: ${f.path}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, await store.get(f.sha256));
    written.push(target);
  }
  return written;
}
