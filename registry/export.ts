/**
 * Serving what MLOps promotes: a registered adapter (by version or alias) with its own base, as
 *  - `peft`: the stored PEFT folder as is (transformers + PEFT, vLLM --lora-modules),
 *  - `merged-hf`: base + B·A·alpha/r folded into one HF folder (transformers, vLLM without LoRA),
 *  - `gguf`: the merged model as a GGUF (llama, qwen2 or qwen3 architecture; llama.cpp, Ollama, node-llama-cpp), F16 or F32,
 *  - `gguf-lora`: the base as a GGUF and the adapter as a GGUF LoRA adapter (`llama-cli -m B --lora A`).
 * The adapter comes from the artifact store and the base from the base catalogue by the sha256
 * the registry recorded: an adapter is only ever served with the base it was trained on.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { z } from 'zod';
import { EnvSchema } from '../configs/env.js';
import { getId, PULLABLE, pullCacheDir, storedBase } from '../training/bases/index.js';
import type { ArtifactStore } from './artifact-store.js';
import { restoreAdapterDir } from './adapter-artifacts.js';
import { type AdapterDetail, listAdapters, showAdapter } from './catalog.js';
import { RegistryError } from './errors.js';
import { ALIASES } from './model.js';

export const EXPORT_FORMATS = ['peft', 'merged-hf', 'gguf', 'gguf-lora'] as const;
export const EXPORT_FILE = 'kgtune-export.json';

const name = z.string().min(1).max(200);
/** A version number (`3`, `v3`) or an alias (`production`, `staging`, `candidate`). */
export const AdapterSelector = z.object({ tenant: name, domain: name, ref: z.string().min(1) });
export type AdapterSelector = z.infer<typeof AdapterSelector>;

export const ExportRequest = AdapterSelector.extend({
  format: z.enum(EXPORT_FORMATS),
  outDir: z.string().min(1),
  /** GGUF tensor type: f16 (half the size; llama.cpp's usual) or f32 (bit-faithful to kgtune's weights). */
  dtype: z.enum(['f16', 'f32']).default('f16'),
  /** tfjs backend for merging (KGTUNE_TRAIN_BACKEND; default: the best available). */
  backend: EnvSchema.shape.KGTUNE_TRAIN_BACKEND,
});
export type ExportRequest = z.input<typeof ExportRequest>;

/** Written into every export folder: what it is and where it came from. */
export const ExportRecord = z.object({
  kind: z.literal('kgtune.export/v1'),
  tenant: z.string(),
  domain: z.string(),
  version: z.number().int(),
  adapterSha256: z.string(),
  baseModelId: z.string(),
  baseModelSha256: z.string(),
  format: z.enum(EXPORT_FORMATS),
  dtype: z.enum(['f16', 'f32']).optional(),
  files: z.array(z.string()),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

export interface ServingDeps {
  driver: Driver;
  store: ArtifactStore;
  /** KGTUNE_HOME: where the base catalogue lives. */
  home: string;
}

/** The version a selector names: `3` / `v3`, or the version holding an alias. */
export async function resolveVersion(driver: Driver, s: AdapterSelector): Promise<number> {
  const rows = await listAdapters(driver, { tenant: s.tenant, domain: s.domain });
  if (!rows.length) throw new RegistryError('AdapterNotFound', `no adapters registered for ${s.tenant}/${s.domain} (kgtune adapters list --tenant ${s.tenant})`);
  const m = /^v?(\d+)$/.exec(s.ref);
  if (m) {
    const v = Number(m[1]);
    if (!rows.some((r) => r.version === v)) throw new RegistryError('AdapterNotFound', `no adapter ${s.tenant}/${s.domain} v${v} (versions: ${rows.map((r) => r.version).sort((a, b) => a - b).join(', ')})`);
    return v;
  }
  if (!(ALIASES as readonly string[]).includes(s.ref)) throw new RegistryError('AdapterNotFound', `'${s.ref}' is neither a version number nor an alias (${ALIASES.join(', ')})`);
  const holder = rows.find((r) => (r.aliases as string[]).includes(s.ref));
  if (!holder) {
    const held = rows.flatMap((r) => r.aliases.map((a) => `${a}→v${r.version}`));
    throw new RegistryError('AliasNotSet', `no version of ${s.tenant}/${s.domain} is ${s.ref}${held.length ? ` (${held.join(', ')})` : ' (no aliases set)'}`);
  }
  return holder.version;
}

/** The registry entry of a selector. */
export async function findAdapter(driver: Driver, s: AdapterSelector): Promise<AdapterDetail> {
  const sel = AdapterSelector.parse(s);
  return showAdapter(driver, { tenant: sel.tenant, domain: sel.domain, version: await resolveVersion(driver, sel) });
}

export interface Materialized {
  detail: AdapterDetail;
  /** The stored base folder (immutable; never write into it). */
  baseDir: string;
  /** The PEFT folder restored from the artifact store (a temporary folder). */
  adapterDir: string;
  /** The GGUF the base was converted from, when it is still in the pull cache. */
  sourceGguf?: string;
  cleanup(): Promise<void>;
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** One line telling how to get a missing base back into the catalogue. */
export function missingBaseMessage(a: Pick<AdapterDetail['adapter'], 'baseModelId' | 'baseModelSha256' | 'domain' | 'version'>): string {
  const what = `base "${a.baseModelId}" (sha256 ${a.baseModelSha256.slice(0, 12)}) of ${a.domain} v${a.version} is not in the base catalogue`;
  if (PULLABLE[a.baseModelId]) return `${what}: run ./kgtune base pull ${a.baseModelId}`;
  if (a.baseModelId === 'tiny' || a.baseModelId.startsWith('tiny-')) return `${what}: rebuild it with ./kgtune base (same settings) or copy models/bases/${a.baseModelSha256} from the machine that trained it`;
  return `${what}: import the folder it was trained from with ./kgtune base import <dir>`;
}

/** The adapter's PEFT folder (from the artifact store) and its own base (from the catalogue). */
export async function materialize(deps: Pick<ServingDeps, 'store' | 'home'>, detail: AdapterDetail): Promise<Materialized> {
  const a = detail.adapter;
  const baseDir = await storedBase(deps.home, a.baseModelSha256);
  if (!baseDir) throw new RegistryError('BaseMissing', missingBaseMessage(a));
  const adapterDir = await mkdtemp(path.join(os.tmpdir(), 'kgtune-serve-'));
  try {
    await restoreAdapterDir(deps.store, a.manifestSha256, adapterDir);
  } catch (e) {
    await rm(adapterDir, { recursive: true, force: true });
    throw e;
  }
  // a base pulled from a GGUF: its tokenizer metadata can be copied as llama.cpp wrote it
  let sourceGguf: string | undefined;
  const entry = await getId(deps.home, a.baseModelId);
  const m = entry?.sha256 === a.baseModelSha256 ? /^gguf:.*\/([^/]+\.gguf)$/.exec(entry.source) : null;
  if (m && (await exists(path.join(pullCacheDir(deps.home), 'gguf', m[1]!)))) sourceGguf = path.join(pullCacheDir(deps.home), 'gguf', m[1]!);
  return { detail, baseDir, adapterDir, sourceGguf, cleanup: () => rm(adapterDir, { recursive: true, force: true }) };
}

/** Is `dir` absent, empty, or an earlier export (which a new export may replace)? */
async function replaceable(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => undefined);
  if (!names || names.length === 0) return true;
  try {
    ExportRecord.parse(JSON.parse(await readFile(path.join(dir, EXPORT_FILE), 'utf8')));
    return true;
  } catch {
    return false;
  }
}

/**
 * Export a registered adapter. The files are written into a staging folder beside `outDir` and
 * renamed into place, so `outDir` holds a whole export or none; an earlier export there is replaced
 * (the same request writes the same bytes again), any other non-empty folder is refused.
 */
export async function exportAdapter(deps: ServingDeps, request: ExportRequest): Promise<{ outDir: string; record: ExportRecord }> {
  const req = ExportRequest.parse(request);
  if (!(await replaceable(path.resolve(req.outDir)))) throw new RegistryError('ExportFailed', `--out ${path.resolve(req.outDir)} is not empty and holds no earlier kgtune export: choose a new folder`);
  return exportDetail(deps, await findAdapter(deps.driver, req), req);
}

/** `exportAdapter` once the registry entry is known (no Neo4j needed from here on). */
export async function exportDetail(deps: Pick<ServingDeps, 'store' | 'home'>, detail: AdapterDetail, request: Omit<ExportRequest, 'ref'> & { ref?: string }): Promise<{ outDir: string; record: ExportRecord }> {
  const req = ExportRequest.parse({ ref: String(detail.adapter.version), ...request });
  const outDir = path.resolve(req.outDir);
  if (!(await replaceable(outDir))) throw new RegistryError('ExportFailed', `--out ${outDir} is not empty and holds no earlier kgtune export: choose a new folder`);
  const m = await materialize(deps, detail);
  const a = m.detail.adapter;
  await mkdir(path.dirname(outDir), { recursive: true });
  const staging = path.join(path.dirname(outDir), `.${path.basename(outDir)}.tmp-${randomUUID()}`);
  try {
    // loaded here, not at the top: it brings tfjs, which listing and promoting adapters do not need
    const { exportLoraGguf, exportMergedGguf, exportMergedHf } = await import('../training/export/index.js');
    let files: string[];
    if (req.format === 'peft') {
      files = (await restoreAdapterDir(deps.store, a.manifestSha256, staging)).map((f) => path.relative(staging, f));
    } else if (req.format === 'merged-hf') {
      files = (await exportMergedHf({ baseDir: m.baseDir, adapterDir: m.adapterDir, outDir: staging, backend: req.backend })).files;
    } else if (req.format === 'gguf-lora') {
      const baseFile = `${a.baseModelId.replace(/[^A-Za-z0-9._-]+/g, '_')}-${req.dtype}.gguf`;
      const loraFile = `${req.tenant}-${req.domain}-v${a.version}-lora.gguf`;
      await exportMergedGguf({ baseDir: m.baseDir, outFile: path.join(staging, baseFile), dtype: req.dtype, name: a.baseModelId, sourceGguf: m.sourceGguf, backend: req.backend });
      const { resolveConfig } = await import('../training/index.js');
      const config = resolveConfig(JSON.parse(await readFile(path.join(m.baseDir, 'config.json'), 'utf8')));
      await exportLoraGguf({ adapterDir: m.adapterDir, config, outFile: path.join(staging, loraFile), name: `${req.tenant}/${req.domain} v${a.version}`, backend: req.backend });
      files = [baseFile, loraFile];
    } else {
      const file = `${req.tenant}-${req.domain}-v${a.version}-${req.dtype}.gguf`;
      await exportMergedGguf({ baseDir: m.baseDir, adapterDir: m.adapterDir, outFile: path.join(staging, file), dtype: req.dtype, name: `${a.baseModelId} + ${req.tenant}/${req.domain} v${a.version}`, sourceGguf: m.sourceGguf, backend: req.backend });
      files = [file];
    }
    const record: ExportRecord = {
      kind: 'kgtune.export/v1', tenant: req.tenant, domain: req.domain, version: a.version, adapterSha256: a.sha256,
      baseModelId: a.baseModelId, baseModelSha256: a.baseModelSha256, format: req.format, ...(req.format.startsWith('gguf') ? { dtype: req.dtype } : {}), files: files.sort(),
    };
    await writeFile(path.join(staging, EXPORT_FILE), `${JSON.stringify(record, null, 1)}\n`);
    await rm(outDir, { recursive: true, force: true });
    await rename(staging, outDir);
    return { outDir, record };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await m.cleanup();
  }
}
