/**
 * Which folders a pipeline's `source` may name (the trust boundary between tenants): a folder
 * inside the upload root must be inside that tenant's own `<uploads>/<tenant>/`; any other folder
 * must be inside one of KGTUNE_SOURCE_ROOTS when that is set (unset: any folder of the operator's
 * machine outside the upload root, as `kgtune run <folder>` expects). Checked on the real path
 * (symlinks resolved) by the CLI/API before starting and by the ingest listing activity, which
 * also covers runs started from the Temporal Web UI.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { KgtuneEnv } from './env.js';

export interface SourcePolicy {
  /** Root of the customer upload folders (`<artifacts>/../uploads`). */
  uploadsRoot: string;
  /** Allowed roots for non-upload sources; empty: any folder outside the upload root. */
  roots: string[];
}

export function sourcePolicy(env: Pick<KgtuneEnv, 'artifactsDir' | 'KGTUNE_SOURCE_ROOTS'>, cwd = process.cwd()): SourcePolicy {
  const roots = (env.KGTUNE_SOURCE_ROOTS ?? '').split(path.delimiter).filter((r) => r.trim() !== '').map((r) => path.resolve(cwd, r));
  return { uploadsRoot: path.resolve(env.artifactsDir, '..', 'uploads'), roots };
}

const inside = (p: string, root: string): boolean => p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** Why `source` (an absolute, symlink-free path) is refused for `tenant`, or null when it is allowed. */
export function sourceRefusal(tenant: string | undefined, source: string, policy: SourcePolicy): string | null {
  const uploads = path.resolve(policy.uploadsRoot);
  if (inside(source, uploads)) {
    if (tenant !== undefined && source !== path.join(uploads, tenant) && inside(source, path.join(uploads, tenant))) return null;
    return `source ${source} is inside the upload folders but not in tenant ${tenant ?? '(unknown)'}'s own (${path.join(uploads, tenant ?? '<tenant>')}${path.sep}<corpus>)`;
  }
  if (policy.roots.length === 0 || policy.roots.some((r) => inside(source, r))) return null;
  return `source ${source} is outside the allowed roots (KGTUNE_SOURCE_ROOTS: ${policy.roots.join(path.delimiter)})`;
}

/** Resolves symlinks (both sides) and applies `sourceRefusal`; a missing folder is left to the caller's own check. */
export async function checkSource(tenant: string | undefined, source: string, policy: SourcePolicy): Promise<string | null> {
  const real = await realpath(path.resolve(source)).catch(() => path.resolve(source));
  const uploadsReal = await realpath(policy.uploadsRoot).catch(() => path.resolve(policy.uploadsRoot));
  const roots = await Promise.all(policy.roots.map((r) => realpath(r).catch(() => r)));
  return sourceRefusal(tenant, real, { uploadsRoot: uploadsReal, roots });
}
