/**
 * The base catalogue: content-addressed, immutable HF folders under `<home>/models/bases/<sha256>/`
 * (the sha256 of the folder's canonical manifest), and friendly ids (`tiny`, `smollm2-135m-instruct`)
 * in `<home>/models/bases/ids/<id>.json` pointing at a sha256. A folder is staged in a temp dir and
 * renamed into place in one step, so a crash leaves no half-written base and a retry is safe; a
 * sha256 that exists is never rewritten.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BaseError } from './errors.js';
import { sha256File, sha256Hex } from '../../configs/hash.js';
import { canonicalJson } from '../../configs/pure/hash.js';

/** Written into every stored base; lists every other file with its sha256 (the manifest). */
export const MANIFEST_FILE = 'kgtune-base.json';
const ID_RE = /^[a-z0-9][a-z0-9._@-]{0,127}$/;
export const SHA_RE = /^[0-9a-f]{64}$/;

export const ManifestSchema = z.object({
  files: z.array(z.object({ path: z.string(), sha256: z.string().regex(SHA_RE), size: z.number().int().nonnegative() })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const IdEntrySchema = z.object({
  id: z.string().regex(ID_RE),
  sha256: z.string().regex(SHA_RE),
  /** Where the base came from: `gguf:<file>`, `folder:<path>`, `tiny:<settings>`. */
  source: z.string(),
  createdAt: z.string(),
});
export type IdEntry = z.infer<typeof IdEntrySchema>;

export interface ResolvedBase {
  id: string;
  sha256: string;
  dir: string;
}

export const basesRoot = (home: string): string => path.join(home, 'models', 'bases');
export const baseDir = (home: string, sha256: string): string => path.join(basesRoot(home), sha256);
const idFile = (home: string, id: string): string => path.join(basesRoot(home), 'ids', `${id}.json`);

/** Manifest of a flat folder (sub-folders and the manifest file itself are not part of a base). */
export async function manifestOf(dir: string): Promise<Manifest> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: Manifest['files'] = [];
  for (const e of entries.filter((x) => x.isFile() && x.name !== MANIFEST_FILE).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const file = path.join(dir, e.name);
    files.push({ path: e.name, sha256: await sha256File(file), size: (await stat(file)).size });
  }
  return { files };
}

export const manifestSha = (m: Manifest): string => sha256Hex(canonicalJson(m));

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Staging folders older than this are left over from a killed process (a pretraining takes minutes, a pull seconds). */
export const STALE_STAGING_MS = 24 * 3600_000;

/**
 * A fresh staging folder inside the catalogue (same file system, so the final rename is atomic).
 * Staging folders a killed process left behind more than a day ago are removed first.
 */
export async function stagingDir(home: string, now = Date.now()): Promise<string> {
  const root = basesRoot(home);
  await mkdir(root, { recursive: true });
  for (const n of (await readdir(root)).filter((x) => x.startsWith('.tmp-'))) {
    const st = await stat(path.join(root, n)).catch(() => undefined);
    if (st && now - st.mtimeMs > STALE_STAGING_MS) await rm(path.join(root, n), { recursive: true, force: true });
  }
  const dir = path.join(root, `.tmp-${randomUUID()}`);
  await mkdir(dir);
  return dir;
}

/**
 * Store a staged folder (from `stagingDir`) under its content address. The staging folder is
 * consumed: renamed into place, or removed when that content is already stored.
 */
export async function commitStaged(home: string, staged: string): Promise<string> {
  const manifest = await manifestOf(staged);
  if (manifest.files.length === 0) throw new BaseError('InvalidBaseFolder', `${staged} holds no files`);
  const sha = manifestSha(manifest);
  const target = baseDir(home, sha);
  if (await exists(path.join(target, MANIFEST_FILE))) {
    await rm(staged, { recursive: true, force: true });
    return sha;
  }
  await writeFile(path.join(staged, MANIFEST_FILE), JSON.stringify({ sha256: sha, ...manifest }, null, 1));
  try {
    await rename(staged, target);
  } catch (e) {
    // another process stored the same content first: theirs stays, ours goes
    if (!(await exists(path.join(target, MANIFEST_FILE)))) throw e;
    await rm(staged, { recursive: true, force: true });
  }
  return sha;
}

/** Copy `files` (names in `src`) into the catalogue by content; returns the sha256. */
export async function importFiles(home: string, src: string, files: string[]): Promise<string> {
  const staged = await stagingDir(home);
  try {
    for (const f of files) await copyFile(path.join(src, f), path.join(staged, f));
    return await commitStaged(home, staged);
  } catch (e) {
    await rm(staged, { recursive: true, force: true });
    throw e;
  }
}

/** Point a friendly id at a stored sha256 (atomic: temp file then rename). */
export async function setId(home: string, id: string, sha256: string, source: string): Promise<IdEntry> {
  if (!ID_RE.test(id)) throw new BaseError('UnknownBase', `base id "${id}" is not valid (lowercase letters, digits, . _ @ -)`);
  if (!(await exists(path.join(baseDir(home, sha256), MANIFEST_FILE)))) throw new BaseError('UnknownBase', `no stored base has sha256 ${sha256}`);
  const entry: IdEntry = { id, sha256, source, createdAt: new Date().toISOString() };
  const file = idFile(home, id);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(entry, null, 1));
  await rename(tmp, file);
  return entry;
}

export async function getId(home: string, id: string): Promise<IdEntry | undefined> {
  if (!ID_RE.test(id)) return undefined;
  try {
    return IdEntrySchema.parse(JSON.parse(await readFile(idFile(home, id), 'utf8')));
  } catch {
    return undefined;
  }
}

/** A stored base by sha256, if complete (its manifest is written before the rename). */
export async function storedBase(home: string, sha256: string): Promise<string | undefined> {
  const dir = baseDir(home, sha256);
  return (await exists(path.join(dir, MANIFEST_FILE))) ? dir : undefined;
}

export interface ListedBase extends IdEntry {
  dir: string;
  bytes: number;
}

/** Every friendly id whose base is stored, by id. */
export async function listBases(home: string): Promise<ListedBase[]> {
  const names = await readdir(path.join(basesRoot(home), 'ids')).catch(() => [] as string[]);
  const out: ListedBase[] = [];
  for (const n of names.filter((x) => x.endsWith('.json')).sort()) {
    const e = await getId(home, n.slice(0, -'.json'.length));
    const dir = e && (await storedBase(home, e.sha256));
    if (!e || !dir) continue;
    const m = ManifestSchema.safeParse(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')));
    out.push({ ...e, dir, bytes: m.success ? m.data.files.reduce((a, f) => a + f.size, 0) : 0 });
  }
  return out;
}

/** Re-hash a stored base and compare with its manifest (detects edits to an "immutable" folder). */
export async function verifyBase(home: string, sha256: string): Promise<boolean> {
  const dir = await storedBase(home, sha256);
  if (!dir) return false;
  return manifestSha(await manifestOf(dir)) === sha256;
}
