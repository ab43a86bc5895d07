/**
 * A corpus folder as the ingest workflow sees it: every file (hidden ones skipped) sorted, in bounded pages,
 * and the display name of an API upload stored by its digest (its sidecar: ingest/contract.ts).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { STORED_UPLOAD, UploadMeta, uploadMetaFile } from './contract.js';
import { checkSource, type SourcePolicy } from '../configs/source-roots.js';
import { SourceRefusedError } from './errors.js';

/** Longest page of a corpus listing (files) and its budget of name bytes: bounded activity payloads. */
export const LIST_PAGE_MAX_FILES = 1000;
export const LIST_PAGE_MAX_NAME_BYTES = 256 * 1024;

/** Every file under `root` (recursively; hidden files — API sidecars, editor litter — skipped), relative, sorted. */
export async function listCorpusFiles(root: string): Promise<string[]> {
  return (await listFiles(root)).sort();
}

async function listFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(root, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The files of a sorted listing after `after` (exclusive), at most `limit` (≤ LIST_PAGE_MAX_FILES) and at
 * most LIST_PAGE_MAX_NAME_BYTES of names; `next` is the cursor of the following page (absent on the last).
 */
export function listingPage(all: readonly string[], after: string | undefined, limit: number | undefined): { files: string[]; next?: string; total: number } {
  const max = Math.max(1, Math.min(limit ?? LIST_PAGE_MAX_FILES, LIST_PAGE_MAX_FILES));
  // Sorted by the same comparison as `after`, so the first file past the cursor is found by bisection.
  let lo = 0;
  if (after !== undefined) {
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((all[mid] as string) <= after) lo = mid + 1;
      else hi = mid;
    }
  }
  const files: string[] = [];
  let nameBytes = 0;
  for (let i = lo; i < all.length && files.length < max; i++) {
    const f = all[i] as string;
    nameBytes += Buffer.byteLength(f) + 3;
    if (files.length > 0 && nameBytes > LIST_PAGE_MAX_NAME_BYTES) break;
    files.push(f);
  }
  const last = files[files.length - 1];
  const more = lo + files.length < all.length;
  return { files, total: all.length, ...(more && last !== undefined ? { next: last } : {}) };
}

/** Original file name of an upload stored as `<sha>.<ext>` by the API (sidecar `.<sha>.meta.json`); else `rel`. */
export async function displayName(source: string, rel: string): Promise<string> {
  const m = STORED_UPLOAD.exec(path.basename(rel));
  if (!m) return rel;
  try {
    const parsed = UploadMeta.safeParse(JSON.parse(await readFile(path.join(source, path.dirname(rel), uploadMetaFile(m[1]!)), 'utf8')));
    return parsed.success ? (parsed.data.originalName ?? parsed.data.name ?? rel) : rel;
  } catch {
    return rel;
  }
}

/**
 * The corpus folder's files, after the trust boundary: the tenant's source roots (`policy`; also for runs started
 * from the Temporal Web UI, which skip the CLI/API checks), then that it exists and is a folder. A refusal is a
 * SourceRefusedError (permanent).
 */
export async function checkedCorpusListing(source: string, tenant: string | undefined, policy: SourcePolicy | undefined): Promise<string[]> {
  const refused = policy ? await checkSource(tenant, source, policy) : null;
  if (refused) throw new SourceRefusedError(refused);
  let s;
  try {
    s = await stat(source);
  } catch {
    throw new SourceRefusedError(`corpus folder not found: ${source}`);
  }
  if (!s.isDirectory()) throw new SourceRefusedError(`corpus source is not a folder: ${source}`);
  return listCorpusFiles(source);
}

/** The whole listing and its size in bytes (the single-payload listing of histories recorded before paging). */
export async function corpusListingWithBytes(source: string, files: readonly string[]): Promise<{ files: string[]; bytes: number }> {
  let bytes = 0;
  for (const f of files) bytes += (await stat(path.join(source, f))).size;
  return { files: [...files], bytes };
}
