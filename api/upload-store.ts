/**
 * Uploaded files on disk: `<uploads>/<tenant>/<corpus>/<sha256>.<ext>`, each with a hidden
 * sidecar `.<sha256>.meta.json` holding the original name. The corpus folder is what the
 * pipeline's `source` points at. Files arrive in `<uploads>/.staging/<request>/` (same file
 * system) and are renamed into place only once the whole request has passed every check, so a
 * corpus folder never holds a partial file; a data file is renamed after its sidecar, so a
 * data file always has one. Quota check and commit run under a per-tenant lock.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from './errors.js';
import { KeyedLock } from './internal/tenant-lock.js';

const STAGING = '.staging';
const DATA_FILE = /^([0-9a-f]{64})\.([a-z]{2,4})$/;

export const Sidecar = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  file: z.string(),
  originalName: z.string(),
  /** When extracted from an archive: the archive's name. */
  archive: z.string().optional(),
  size: z.number().int().nonnegative(),
  mime: z.string(),
  uploadedAt: z.string(),
  keyId: z.string(),
});
export type Sidecar = z.infer<typeof Sidecar>;

/** A file that passed every check and waits in staging. */
export interface Candidate {
  stagedPath: string;
  sha256: string;
  size: number;
  mime: string;
  ext: string;
  originalName: string;
  archive?: string;
}

export interface CommitResult {
  name: string;
  archive?: string;
  sha256: string;
  size: number;
  mime: string;
  status: 'stored' | 'duplicate';
}

export interface StoredCorpus { corpus: string; files: number; bytes: number }

export class UploadStore {
  private readonly lock = new KeyedLock();

  constructor(readonly root: string) {}

  /** `<artifactsDir>/../uploads`. */
  static forArtifacts(artifactsDir: string): UploadStore {
    return new UploadStore(path.resolve(artifactsDir, '..', 'uploads'));
  }

  tenantDir(tenant: string): string {
    return path.join(this.root, tenant);
  }

  corpusDir(tenant: string, corpus: string): string {
    return path.join(this.root, tenant, corpus);
  }

  async newStaging(): Promise<string> {
    const dir = path.join(this.root, STAGING, randomUUID());
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Removes staging folders left by a crashed process (older than `olderThanMs`). */
  async cleanStaleStaging(olderThanMs = 3_600_000): Promise<number> {
    const base = path.join(this.root, STAGING);
    let removed = 0;
    for (const d of await readdir(base).catch(() => [] as string[])) {
      const p = path.join(base, d);
      const s = await stat(p).catch(() => undefined);
      if (s && Date.now() - s.mtimeMs > olderThanMs) {
        await rm(p, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Data files of one corpus folder (sidecars and anything unexpected are not counted). */
  private async dataFiles(dir: string): Promise<{ file: string; sha256: string; size: number }[]> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const out: { file: string; sha256: string; size: number }[] = [];
    for (const file of names) {
      const m = DATA_FILE.exec(file);
      if (!m) continue;
      const s = await stat(path.join(dir, file)).catch(() => undefined);
      if (s?.isFile()) out.push({ file, sha256: m[1]!, size: s.size });
    }
    return out;
  }

  async usage(tenant: string): Promise<number> {
    return (await this.listCorpora(tenant)).reduce((a, c) => a + c.bytes, 0);
  }

  async listCorpora(tenant: string): Promise<StoredCorpus[]> {
    const dir = this.tenantDir(tenant);
    const out: StoredCorpus[] = [];
    for (const corpus of (await readdir(dir).catch(() => [] as string[])).sort()) {
      if (corpus.startsWith('.')) continue;
      const files = await this.dataFiles(path.join(dir, corpus));
      out.push({ corpus, files: files.length, bytes: files.reduce((a, f) => a + f.size, 0) });
    }
    return out;
  }

  async corpusOnDisk(tenant: string, corpus: string): Promise<boolean> {
    const s = await stat(this.corpusDir(tenant, corpus)).catch(() => undefined);
    return !!s?.isDirectory();
  }

  /** The corpus's files with their sidecars (a file whose sidecar is unreadable keeps its stored name). */
  async listFiles(tenant: string, corpus: string): Promise<Sidecar[]> {
    const dir = this.corpusDir(tenant, corpus);
    const out: Sidecar[] = [];
    for (const f of await this.dataFiles(dir)) {
      const meta = await readFile(path.join(dir, `.${f.sha256}.meta.json`), 'utf8').then((t) => Sidecar.safeParse(JSON.parse(t)), () => undefined);
      out.push(meta?.success ? meta.data : { sha256: f.sha256, file: f.file, originalName: f.file, size: f.size, mime: 'application/octet-stream', uploadedAt: '', keyId: '' });
    }
    return out.sort((a, b) => a.originalName.localeCompare(b.originalName));
  }

  /**
   * Moves staged candidates into the corpus folder: duplicates (same SHA-256 already in the
   * corpus, or twice in this request) are reported and not stored; the quota is checked on the
   * bytes that would be added, and nothing is stored when it would be exceeded.
   */
  async commit(tenant: string, corpus: string, candidates: Candidate[], quotaBytes: number, keyId: string, staging: string): Promise<{ results: CommitResult[]; usedBytes: number }> {
    return this.lock.run(tenant, async () => {
      const dir = this.corpusDir(tenant, corpus);
      const present = new Set((await this.dataFiles(dir)).map((f) => f.sha256));
      const results: CommitResult[] = [];
      const fresh: Candidate[] = [];
      for (const c of candidates) {
        const duplicate = present.has(c.sha256);
        present.add(c.sha256);
        if (!duplicate) fresh.push(c);
        results.push({ name: c.originalName, ...(c.archive ? { archive: c.archive } : {}), sha256: c.sha256, size: c.size, mime: c.mime, status: duplicate ? 'duplicate' : 'stored' });
      }
      const used = await this.usage(tenant);
      const adding = fresh.reduce((a, c) => a + c.size, 0);
      if (used + adding > quotaBytes) {
        throw new ApiError('quota_exceeded', `storing ${adding} more bytes would exceed the tenant's quota of ${quotaBytes} bytes (${used} used)`);
      }
      if (fresh.length) await mkdir(dir, { recursive: true });
      const uploadedAt = new Date().toISOString();
      for (const c of fresh) {
        const file = `${c.sha256}.${c.ext}`;
        const meta: Sidecar = { sha256: c.sha256, file, originalName: c.originalName, ...(c.archive ? { archive: c.archive } : {}), size: c.size, mime: c.mime, uploadedAt, keyId };
        const stagedMeta = path.join(staging, `.${c.sha256}.meta.json`);
        await writeFile(stagedMeta, JSON.stringify(meta, null, 2), { flush: true });
        await rename(stagedMeta, path.join(dir, `.${c.sha256}.meta.json`));
        await rename(c.stagedPath, path.join(dir, file));
      }
      return { results, usedBytes: used + adding };
    });
  }

  /** Deletes one uploaded file and its sidecar (frees its bytes of the quota); false when it was not there. */
  async remove(tenant: string, corpus: string, sha256: string): Promise<boolean> {
    return this.lock.run(tenant, async () => {
      const dir = this.corpusDir(tenant, corpus);
      const f = (await this.dataFiles(dir)).find((x) => x.sha256 === sha256);
      if (!f) return false;
      await rm(path.join(dir, f.file), { force: true });
      await rm(path.join(dir, `.${sha256}.meta.json`), { force: true });
      return true;
    });
  }
}
