/**
 * `kgtune setup native` / `kgtune setup gpu`: build @tensorflow/tfjs-node (or -gpu) from source into
 * KGTUNE_HOME/cache without Google's CDN. The TensorFlow C library (libtensorflow_cc.so.2 exports the C and
 * eager C APIs) and its headers come from a PyPI wheel (`tensorflow-cpu`, or the CUDA-enabled `tensorflow` for
 * the GPU build, see services/gpu-backend.ts); the addon is compiled by node-gyp against the local Node headers
 * (npm_config_nodedir), so nothing is fetched from nodejs.org either. Opt-in: ~650 MB on disk for the CPU build.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { KgtuneEnv } from '../configs/env.js';
import { envValue, processEnv, projectRoot } from '../configs/env.js';
import { NATIVE_FLAVORS, type NativeFlavor, nativePackageDir, nativeRoot } from '../training/index.js';
import { classifyDownloadFailure, lastErrorLine, ServiceError } from './errors.js';
import { atomicDir, type Log, run } from './process.js';

const MARKER = 'kgtune-native.json';
/** Wheel members the build needs: the two shared libraries and the C headers (with tsl/, absl/ … they include). */
const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];

export interface NativeBuild {
  dir: string;
  tfjsNode: string;
  tensorflow: string;
  nodedir: string;
  seconds: number;
  /** GPU build: the devices TensorFlow listed in the smoke test, and the CUDA wheels its libraries come from. */
  devices?: string[];
  cuda?: string[];
}

/** What a flavor adds to the shared build: steps before compiling (CUDA libraries) and the smoke test's environment. */
export interface BuildHooks {
  /** Runs after the TensorFlow wheel is extracted into `deps`, before the addon is compiled. */
  beforeCompile?: (ctx: { deps: string; wheelFile: string; step: Log }) => Promise<{ cuda?: string[] }>;
  /** Environment of the smoke-test process (e.g. LD_LIBRARY_PATH for the CUDA libraries). */
  smokeEnv?: () => NodeJS.ProcessEnv;
  /** Turns the smoke test's probe into the device lines to print and record. */
  devices?: (probe: NativeProbe) => string[];
}

export function python(): string {
  return envValue('KGTUNE_PYTHON');
}

/** A folder whose `include/node/node_api.h` node-gyp can compile against, so it never downloads headers. */
export function findNodeDir(): string | undefined {
  const candidates = [envValue('npm_config_nodedir'), path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'];
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')) && fs.existsSync(path.join(d, 'include', 'node', 'common.gypi')));
}

/** The project's @tensorflow/* packages (tfjs-node must share them, not bring its own copies). */
function projectTfjs(): { dir: string; version: string } {
  const req = createRequire(path.join(projectRoot(), 'package.json'));
  const pj = req.resolve('@tensorflow/tfjs/package.json');
  return { dir: path.dirname(path.dirname(pj)), version: (JSON.parse(fs.readFileSync(pj, 'utf8')) as { version: string }).version };
}

export function setupFail(flavor: NativeFlavor, step: string, output: string, hint: string): never {
  throw new ServiceError('ProvisionFailed', `${NATIVE_FLAVORS[flavor].setup.replace(/^kgtune /, '')}: ${step} failed: ${lastErrorLine(output)}`, hint);
}

/** Where downloaded wheels are kept between builds (`--force` reuses them): KGTUNE_HOME/cache/wheels/<dist>-<version>. */
export function wheelCache(env: KgtuneEnv, flavor: NativeFlavor): string {
  const { dist, version } = NATIVE_FLAVORS[flavor].wheel;
  return path.join(env.home, 'cache', 'wheels', `${dist}-${version}`);
}

/** `pip download --no-deps` of `specs` into `dir` (pip reuses files already there); returns the wheel files. */
export async function pipDownload(flavor: NativeFlavor, specs: string[], dir: string, hint: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const dl = await run(python(), ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '--retries', '2', '--timeout', '60', ...specs, '-d', dir]);
  if (dl.spawnError) throw new ServiceError('ToolMissing', `${NATIVE_FLAVORS[flavor].setup.replace(/^kgtune /, '')}: ${python()} was not found`, 'install Python 3 with pip, or set KGTUNE_PYTHON');
  if (dl.code !== 0) throw classifyDownloadFailure('pip', specs.length === 1 ? specs[0]! : `${specs.length} wheels`, `${dl.stdout}\n${dl.stderr}`, hint);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.whl')).map((f) => path.join(dir, f));
}

/** Reads the marker written by a finished build, if any. */
export function nativeBuildInfo(env: KgtuneEnv, flavor: NativeFlavor = 'cpu'): NativeBuild | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(nativeRoot(env.home, flavor), MARKER), 'utf8')) as NativeBuild;
  } catch {
    return undefined;
  }
}

/** What a child process that loaded a build saw: TensorFlow's version, whether it placed ops on a GPU, its log. */
export interface NativeProbe {
  tensorflow: string;
  gpu: boolean;
  /** TensorFlow's own log (TF_CPP_MIN_LOG_LEVEL=0): device creation lines, CUDA loader messages. */
  log: string;
}

/**
 * Loads the build in a child process (from its final location) and runs a matMul and its gradient on it:
 * the build's smoke test, and the GPU worker's device probe (the child gets `env`, e.g. LD_LIBRARY_PATH).
 */
export async function probeNativeBuild(home: string, flavor: NativeFlavor, env: NodeJS.ProcessEnv = processEnv()): Promise<NativeProbe> {
  const probe = [
    `require(${JSON.stringify(path.join(nativePackageDir(home, flavor), 'dist', 'index.js'))});`,
    "const tf = require('@tensorflow/tfjs');",
    "const x = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));",
    "const g = tf.variableGrads(() => tf.sum(tf.matMul(x, x)), [x]).grads[x.name].arraySync();",
    "if (tf.getBackend() !== 'tensorflow' || JSON.stringify(g) !== '[[7,11],[9,13]]') throw new Error('wrong result ' + tf.getBackend() + ' ' + JSON.stringify(g));",
    'console.log(JSON.stringify({ tensorflow: tf.backend().binding.TF_Version, gpu: tf.backend().isUsingGpuDevice === true }));',
  ].join('\n');
  const r = await run(process.execPath, ['-e', probe], { cwd: projectRoot(), env: { ...env, TF_CPP_MIN_LOG_LEVEL: '0' } });
  if (r.code !== 0) {
    setupFail(flavor, 'loading the built addon', `${r.stdout}\n${r.stderr}`, `the TensorFlow C API may have drifted from what ${NATIVE_FLAVORS[flavor].pkg} expects; run \`${NATIVE_FLAVORS[flavor].setup} --force\``);
  }
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { tensorflow: string; gpu: boolean };
  return { tensorflow: out.tensorflow, gpu: out.gpu, log: r.stderr };
}

/** Builds (or with `force` rebuilds) the native backend of `flavor`; returns what was built. Each step is logged. */
export async function buildNativeBackend(env: KgtuneEnv, flavor: NativeFlavor, opts: { force?: boolean; log?: Log; hooks?: BuildHooks } = {}): Promise<NativeBuild> {
  const log = opts.log ?? (() => {});
  const hooks = opts.hooks ?? {};
  const { pkg, wheel: tfWheel, setup } = NATIVE_FLAVORS[flavor];
  const name = setup.replace(/^kgtune /, '');
  const tfjs = projectTfjs();
  const prev = nativeBuildInfo(env, flavor);
  if (!opts.force && prev && prev.tfjsNode === tfjs.version && fs.existsSync(path.join(nativePackageDir(env.home, flavor), 'package.json'))) {
    log(`already built: ${pkg} ${prev.tfjsNode} on TensorFlow ${prev.tensorflow} in ${prev.dir} (--force rebuilds)`);
    return prev;
  }
  const t0 = Date.now();
  const nodedir = findNodeDir();
  if (!nodedir) {
    throw new ServiceError('ToolMissing', `${name}: no Node headers (include/node/node_api.h) next to ${process.execPath} or in /usr`, 'install them (Debian: apt-get install libnode-dev, or nodejs from NodeSource) or set npm_config_nodedir to a Node install that has include/node');
  }
  for (const tool of ['g++', 'make']) {
    const r = await run(tool, ['--version']);
    if (r.spawnError) throw new ServiceError('ToolMissing', `${name}: ${tool} is not installed`, 'install a C++ toolchain (Debian: apt-get install build-essential)');
  }
  const dir = nativeRoot(env.home, flavor);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  let cuda: string[] | undefined;
  await atomicDir(dir, async (tmp) => {
    const step = (s: string) => log(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${s}`);

    const spec = `${tfWheel.dist}==${tfWheel.version}`;
    step(`pip download ${spec} (${flavor === 'gpu' ? '~590' : '~215'} MB, kept in ${wheelCache(env, flavor)}) ...`);
    const wheelFile = (await pipDownload(flavor, [spec], wheelCache(env, flavor), 'the wheel exists for CPython 3.9–3.12 on linux x86_64; set KGTUNE_PYTHON to such a python'))
      .find((f) => path.basename(f).startsWith(`${tfWheel.dist.replace(/-/g, '_')}-${tfWheel.version}-`));
    if (!wheelFile) throw new ServiceError('ProvisionFailed', `${name}: pip downloaded no ${tfWheel.dist} wheel`, 'check that this machine is linux x86_64');

    step(`npm install ${pkg}@${tfjs.version} --ignore-scripts (its install script would fetch from Google's CDN) ...`);
    fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: `kgtune-native-backend-${flavor}`, private: true, description: `built by \`${setup}\``, dependencies: { [pkg]: tfjs.version } }, null, 2));
    const npm = await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], { cwd: tmp });
    if (npm.code !== 0) setupFail(flavor, `npm install ${pkg}`, `${npm.stdout}\n${npm.stderr}`, 'check the npm registry (npm config get registry) and run again');
    const pkgDir = path.join(tmp, 'node_modules', ...pkg.split('/'));
    // The addon must register its backend with this project's tfjs: replace its own @tensorflow/* copies by links.
    const scope = path.join(tmp, 'node_modules', '@tensorflow');
    for (const n of fs.readdirSync(scope)) {
      if (n === path.basename(pkg)) continue;
      const target = path.join(tfjs.dir, n);
      if (!fs.existsSync(target)) continue;
      fs.rmSync(path.join(scope, n), { recursive: true, force: true });
      fs.symlinkSync(target, path.join(scope, n), 'dir');
    }

    step(`extracting ${LIBS.join(', ')} and headers from ${path.basename(wheelFile)} ...`);
    const script = [
      'import sys, zipfile, shutil, os',
      'whl, deps, libs = sys.argv[1], sys.argv[2], sys.argv[3].split(",")',
      'os.makedirs(os.path.join(deps, "lib"), exist_ok=True)',
      'with zipfile.ZipFile(whl) as z:',
      '    for info in z.infolist():',
      '        n = info.filename',
      '        if n.startswith("tensorflow/include/") and not n.endswith("/"):',
      '            out = os.path.join(deps, "include", n[len("tensorflow/include/"):])',
      '        elif n.startswith("tensorflow/") and n[len("tensorflow/"):] in libs:',
      '            out = os.path.join(deps, "lib", n[len("tensorflow/"):])',
      '        else:',
      '            continue',
      '        os.makedirs(os.path.dirname(out), exist_ok=True)',
      '        with z.open(info) as src, open(out, "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)',
    ].join('\n');
    const deps = path.join(pkgDir, 'deps');
    const ex = await run(python(), ['-c', script, wheelFile, deps, LIBS.join(',')]);
    if (ex.code !== 0) setupFail(flavor, 'extracting the wheel', ex.stderr, `delete ${dir}* and run again`);
    for (const lib of LIBS) if (!fs.existsSync(path.join(deps, 'lib', lib))) setupFail(flavor, 'extracting the wheel', `${lib} is not in ${path.basename(wheelFile)}`, `use a ${tfWheel.dist} wheel 2.12–2.17`);
    if (!fs.existsSync(path.join(deps, 'include', 'tensorflow', 'c', 'eager', 'c_api.h'))) setupFail(flavor, 'extracting the wheel', `tensorflow/c/eager/c_api.h is not in ${path.basename(wheelFile)}`, `use a ${tfWheel.dist} wheel 2.12–2.17`);
    // The CPU wheel is cheap to fetch again; the GPU build keeps its (larger) downloads for `--force`.
    if (flavor === 'cpu') fs.rmSync(wheelCache(env, flavor), { recursive: true, force: true });
    // binding.gyp links -ltensorflow -ltensorflow_framework; the loader then follows the SONAMEs (…_cc.so.2) via rpath $ORIGIN/../../deps/lib.
    fs.symlinkSync('libtensorflow_cc.so.2', path.join(deps, 'lib', 'libtensorflow.so'));
    fs.symlinkSync('libtensorflow_framework.so.2', path.join(deps, 'lib', 'libtensorflow_framework.so'));
    if (hooks.beforeCompile) ({ cuda } = await hooks.beforeCompile({ deps, wheelFile, step }));

    step(`compiling the addon (node-pre-gyp --build-from-source, Node headers from ${nodedir}) ...`);
    const preGyp = path.join(tmp, 'node_modules', '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
    const build = await run(process.execPath, [preGyp, 'install', '--build-from-source', `--nodedir=${nodedir}`], { cwd: pkgDir, env: { ...processEnv(), npm_config_nodedir: nodedir, npm_config_build_from_source: 'true' } });
    if (build.code !== 0) setupFail(flavor, 'compiling the addon', `${build.stdout}\n${build.stderr}`, 'see the compiler error above the last line; KGTUNE_DEBUG=1 shows the stack');
    for (const d of fs.readdirSync(pkgDir)) if (d.startsWith('build-tmp-') || d === 'build') fs.rmSync(path.join(pkgDir, d), { recursive: true, force: true });
    fs.rmSync(path.join(deps, 'include'), { recursive: true, force: true });
  });

  // Smoke test in a child process, from the final location: load, run a matMul and a gradient on `tensorflow`.
  let probe: NativeProbe;
  try {
    probe = await probeNativeBuild(env.home, flavor, { ...processEnv(), ...hooks.smokeEnv?.() });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const built: NativeBuild = { dir, tfjsNode: tfjs.version, tensorflow: probe.tensorflow, nodedir, seconds: Math.round((Date.now() - t0) / 1000) };
  if (hooks.devices) built.devices = hooks.devices(probe);
  if (cuda) built.cuda = cuda;
  fs.writeFileSync(path.join(dir, MARKER), JSON.stringify(built, null, 2));
  log(`built ${pkg} ${built.tfjsNode} on TensorFlow ${built.tensorflow} in ${built.seconds}s → ${dir}`);
  return built;
}

/** `kgtune setup native`: the CPU build from the tensorflow-cpu wheel. */
export async function provisionNativeBackend(env: KgtuneEnv, opts: { force?: boolean; log?: Log } = {}): Promise<NativeBuild> {
  return buildNativeBackend(env, 'cpu', opts);
}
