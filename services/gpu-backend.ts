/**
 * `kgtune setup gpu`: @tensorflow/tfjs-node-gpu built like `setup native` (services/native-backend.ts, the
 * same code path) but against the CUDA-enabled PyPI `tensorflow` wheel, plus the `nvidia-*-cu12` wheels its
 * `and-cuda` extra names (read from the wheel's own METADATA, so the pins always match the wheel). The CUDA
 * libraries land in deps/nvidia/<name>/lib, the layout of site-packages that libtensorflow's RUNPATH
 * ($ORIGIN/../nvidia/…/lib) expects; a worker process adds them to LD_LIBRARY_PATH for the rest
 * (nvJitLink, NCCL, cuRAND …). Without a GPU, TensorFlow runs the same kernels on the CPU.
 */
import fs from 'node:fs';
import path from 'node:path';
import { processEnv, type KgtuneEnv } from '../configs/env.js';
import { gpuDevicesFromLog, withCudaLibraryPath } from '../training/index.js';
import { buildNativeBackend, type NativeBuild, type NativeProbe, nativeBuildInfo, pipDownload, probeNativeBuild, python, setupFail, wheelCache } from './native-backend.js';
import { dirSize, type Log, run } from './process.js';

/** The `Requires-Dist: … ; extra == 'and-cuda'` pins of a tensorflow wheel, as pip specs (`nvidia-cudnn-cu12==8.9.7.29`). */
export function cudaRequirements(metadata: string): string[] {
  const specs: string[] = [];
  for (const line of metadata.split('\n')) {
    const m = /^Requires-Dist:\s*([A-Za-z0-9._-]+)\s*\(?\s*==\s*([^\s;)]+)\s*\)?\s*;\s*extra\s*==\s*["']and-cuda["']/.exec(line.trim());
    if (m) specs.push(`${m[1]}==${m[2]}`);
  }
  return specs;
}

async function wheelMetadata(wheelFile: string): Promise<string> {
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nsys.stdout.write(z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode())';
  const r = await run(python(), ['-c', script, wheelFile]);
  if (r.code !== 0) setupFail('gpu', 'reading the wheel metadata', r.stderr, `delete ${path.dirname(wheelFile)} and run again`);
  return r.stdout;
}

/** Extracts the shared libraries (and ptxas + libdevice, which XLA needs) of the nvidia wheels into deps/nvidia. */
async function extractCuda(wheels: string[], deps: string): Promise<void> {
  const script = [
    'import sys, zipfile, shutil, os, stat',
    'deps = sys.argv[1]',
    'for whl in sys.argv[2:]:',
    '    with zipfile.ZipFile(whl) as z:',
    '        for info in z.infolist():',
    '            n = info.filename',
    '            parts = n.split("/")',
    '            if n.endswith("/") or parts[0] != "nvidia" or len(parts) < 4:',
    '                continue',
    '            if not (parts[2] == "lib" or n.endswith("/bin/ptxas") or "/nvvm/libdevice/" in n):',
    '                continue',
    '            out = os.path.join(deps, n)',
    '            os.makedirs(os.path.dirname(out), exist_ok=True)',
    '            with z.open(info) as src, open(out, "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)',
    '            if n.endswith("/bin/ptxas"): os.chmod(out, 0o755)',
  ].join('\n');
  const r = await run(python(), ['-c', script, deps, ...wheels]);
  if (r.code !== 0) setupFail('gpu', 'extracting the CUDA wheels', r.stderr, 'delete KGTUNE_HOME/cache/wheels/tensorflow-*/cuda and run again');
}

/** Builds (or with `force` rebuilds) @tensorflow/tfjs-node-gpu into KGTUNE_HOME/cache/tfjs-node-gpu. */
export async function provisionGpuBackend(env: KgtuneEnv, opts: { force?: boolean; log?: Log } = {}): Promise<NativeBuild & { diskBytes: number }> {
  const log = opts.log ?? (() => {});
  const cudaEnv = () => ({ LD_LIBRARY_PATH: withCudaLibraryPath(processEnv().LD_LIBRARY_PATH, env.home) });
  const gpusOf = (probe: NativeProbe) => ['CPU:0', ...gpuDevicesFromLog(probe.log).map((g) => `GPU:${g.index} ${g.name} (${g.memoryMiB} MiB)`)];
  const existing = opts.force ? undefined : nativeBuildInfo(env, 'gpu');
  const built = await buildNativeBackend(env, 'gpu', {
    ...opts,
    hooks: {
      async beforeCompile({ deps, wheelFile, step }) {
        const specs = cudaRequirements(await wheelMetadata(wheelFile));
        if (specs.length === 0) setupFail('gpu', 'reading the wheel metadata', `${path.basename(wheelFile)} names no and-cuda extra`, 'use the linux x86_64 tensorflow wheel 2.15–2.17');
        step(`pip download ${specs.length} CUDA wheels named by tensorflow[and-cuda] (~1.8 GB, kept in ${path.join(wheelCache(env, 'gpu'), 'cuda')}) ...`);
        const wheels = await pipDownload('gpu', specs, path.join(wheelCache(env, 'gpu'), 'cuda'), 'the nvidia-*-cu12 wheels exist for linux x86_64 only');
        const wanted = new Set(specs.map((s) => s.split('==')[0]!.replace(/-/g, '_')));
        const pinned = wheels.filter((w) => specs.some((s) => path.basename(w).startsWith(`${s.split('==')[0]!.replace(/-/g, '_')}-${s.split('==')[1]!}-`)));
        if (pinned.length !== wanted.size) setupFail('gpu', 'downloading the CUDA wheels', `found ${pinned.length} of ${wanted.size} pinned wheels`, 'delete KGTUNE_HOME/cache/wheels/tensorflow-*/cuda and run again');
        step(`extracting the CUDA/cuDNN libraries into ${path.join(deps, 'nvidia')} ...`);
        await extractCuda(pinned, deps);
        return { cuda: specs };
      },
      smokeEnv: cudaEnv,
      devices: gpusOf,
    },
  });
  // An existing build may have moved to another machine (or gained a driver): ask TensorFlow again.
  if (existing) built.devices = gpusOf(await probeNativeBuild(env.home, 'gpu', { ...processEnv(), ...cudaEnv() }));
  const diskBytes = dirSize(built.dir) + dirSize(wheelCache(env, 'gpu'));
  log(`TensorFlow sees: ${(built.devices ?? ['CPU:0']).join(', ')}${built.devices?.length === 1 ? ' (no GPU: training runs on the CPU, "CPU fallback")' : ''}`);
  log(`disk: ${(diskBytes / 2 ** 30).toFixed(1)} GiB (${built.dir} + downloaded wheels in ${wheelCache(env, 'gpu')})`);
  if (!fs.existsSync(path.join(built.dir, 'node_modules'))) setupFail('gpu', 'checking the build', `${built.dir} has no node_modules`, 'run `kgtune setup gpu --force`');
  return { ...built, diskBytes };
}
