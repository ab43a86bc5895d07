/**
 * `kgtune setup native`: builds @tensorflow/tfjs-node from source into KGTUNE_HOME/cache/tfjs-node without
 * Google's CDN. The TensorFlow C library (libtensorflow_cc.so.2 exports the C and eager C APIs) and its
 * headers come from the PyPI `tensorflow-cpu` wheel; the addon is compiled by node-gyp against the local
 * Node headers (npm_config_nodedir), so nothing is fetched from nodejs.org either. Opt-in: ~650 MB on disk.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { KgtuneEnv } from '../configs/env.js';
import { envValue, projectRoot } from '../configs/env.js';
import { nativePackageDir, nativeRoot, TENSORFLOW_WHEEL } from '../training/native.js';
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
}

function python(): string {
  return envValue('KGTUNE_PYTHON');
}

/** A folder whose `include/node/node_api.h` node-gyp can compile against, so it never downloads headers. */
export function findNodeDir(): string | undefined {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'];
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, 'include', 'node', 'node_api.h')) && fs.existsSync(path.join(d, 'include', 'node', 'common.gypi')));
}

/** The project's @tensorflow/* packages (tfjs-node must share them, not bring its own copies). */
function projectTfjs(): { dir: string; version: string } {
  const req = createRequire(path.join(projectRoot(), 'package.json'));
  const pj = req.resolve('@tensorflow/tfjs/package.json');
  return { dir: path.dirname(path.dirname(pj)), version: (JSON.parse(fs.readFileSync(pj, 'utf8')) as { version: string }).version };
}

function fail(step: string, output: string, hint: string): never {
  throw new ServiceError('ProvisionFailed', `setup native: ${step} failed: ${lastErrorLine(output)}`, hint);
}

/** Reads the marker written by a finished build, if any. */
export function nativeBuildInfo(env: KgtuneEnv): NativeBuild | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(nativeRoot(env.home), MARKER), 'utf8')) as NativeBuild;
  } catch {
    return undefined;
  }
}

/** Builds (or with `force` rebuilds) the native backend; returns what was built. Each step is logged. */
export async function provisionNativeBackend(env: KgtuneEnv, opts: { force?: boolean; log?: Log } = {}): Promise<NativeBuild> {
  const log = opts.log ?? (() => {});
  const tfjs = projectTfjs();
  const prev = nativeBuildInfo(env);
  if (!opts.force && prev && prev.tfjsNode === tfjs.version && fs.existsSync(path.join(nativePackageDir(env.home), 'package.json'))) {
    log(`already built: @tensorflow/tfjs-node ${prev.tfjsNode} on TensorFlow ${prev.tensorflow} in ${prev.dir} (--force rebuilds)`);
    return prev;
  }
  const t0 = Date.now();
  const nodedir = findNodeDir();
  if (!nodedir) {
    throw new ServiceError('ToolMissing', `setup native: no Node headers (include/node/node_api.h) next to ${process.execPath} or in /usr`, 'install them (Debian: apt-get install libnode-dev, or nodejs from NodeSource) or set npm_config_nodedir to a Node install that has include/node');
  }
  for (const tool of ['g++', 'make']) {
    const r = await run(tool, ['--version']);
    if (r.spawnError) throw new ServiceError('ToolMissing', `setup native: ${tool} is not installed`, 'install a C++ toolchain (Debian: apt-get install build-essential)');
  }
  const dir = nativeRoot(env.home);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await atomicDir(dir, async (tmp) => {
    const step = (s: string) => log(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${s}`);

    step(`pip download ${TENSORFLOW_WHEEL.dist}==${TENSORFLOW_WHEEL.version} (~215 MB) ...`);
    const wheels = path.join(tmp, 'wheel');
    const dl = await run(python(), ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '--retries', '2', '--timeout', '60', `${TENSORFLOW_WHEEL.dist}==${TENSORFLOW_WHEEL.version}`, '-d', wheels]);
    if (dl.spawnError) throw new ServiceError('ToolMissing', `setup native: ${python()} was not found`, 'install Python 3 with pip, or set KGTUNE_PYTHON');
    if (dl.code !== 0) throw classifyDownloadFailure('pip', `${TENSORFLOW_WHEEL.dist}==${TENSORFLOW_WHEEL.version}`, `${dl.stdout}\n${dl.stderr}`, 'the wheel exists for CPython 3.9–3.12 on linux x86_64; set KGTUNE_PYTHON to such a python');
    const wheel = fs.readdirSync(wheels).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new ServiceError('ProvisionFailed', 'setup native: pip downloaded no tensorflow-cpu wheel', 'check that this machine is linux x86_64');

    step(`npm install @tensorflow/tfjs-node@${tfjs.version} --ignore-scripts (its install script would fetch from Google's CDN) ...`);
    fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'kgtune-native-backend', private: true, description: 'built by `kgtune setup native`', dependencies: { '@tensorflow/tfjs-node': tfjs.version } }, null, 2));
    const npm = await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--loglevel=error'], { cwd: tmp });
    if (npm.code !== 0) fail('npm install @tensorflow/tfjs-node', `${npm.stdout}\n${npm.stderr}`, 'check the npm registry (npm config get registry) and run again');
    const pkg = path.join(tmp, 'node_modules', '@tensorflow', 'tfjs-node');
    // tfjs-node must register its backend with this project's tfjs: replace its own @tensorflow/* copies by links.
    const scope = path.join(tmp, 'node_modules', '@tensorflow');
    for (const name of fs.readdirSync(scope)) {
      if (name === 'tfjs-node') continue;
      const target = path.join(tfjs.dir, name);
      if (!fs.existsSync(target)) continue;
      fs.rmSync(path.join(scope, name), { recursive: true, force: true });
      fs.symlinkSync(target, path.join(scope, name), 'dir');
    }

    step(`extracting ${LIBS.join(', ')} and headers from ${wheel} ...`);
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
    const deps = path.join(pkg, 'deps');
    const ex = await run(python(), ['-c', script, path.join(wheels, wheel), deps, LIBS.join(',')]);
    if (ex.code !== 0) fail('extracting the wheel', ex.stderr, 'delete KGTUNE_HOME/cache/tfjs-node* and run again');
    for (const lib of LIBS) if (!fs.existsSync(path.join(deps, 'lib', lib))) fail('extracting the wheel', `${lib} is not in ${wheel}`, 'use a tensorflow-cpu wheel 2.12–2.17');
    if (!fs.existsSync(path.join(deps, 'include', 'tensorflow', 'c', 'eager', 'c_api.h'))) fail('extracting the wheel', `tensorflow/c/eager/c_api.h is not in ${wheel}`, 'use a tensorflow-cpu wheel 2.12–2.17');
    fs.rmSync(wheels, { recursive: true, force: true });
    // binding.gyp links -ltensorflow -ltensorflow_framework; the loader then follows the SONAMEs (…_cc.so.2) via rpath $ORIGIN/../../deps/lib.
    fs.symlinkSync('libtensorflow_cc.so.2', path.join(deps, 'lib', 'libtensorflow.so'));
    fs.symlinkSync('libtensorflow_framework.so.2', path.join(deps, 'lib', 'libtensorflow_framework.so'));

    step(`compiling the addon (node-pre-gyp --build-from-source, Node headers from ${nodedir}) ...`);
    const preGyp = path.join(tmp, 'node_modules', '@mapbox', 'node-pre-gyp', 'bin', 'node-pre-gyp');
    const build = await run(process.execPath, [preGyp, 'install', '--build-from-source', `--nodedir=${nodedir}`], { cwd: pkg, env: { ...process.env, npm_config_nodedir: nodedir, npm_config_build_from_source: 'true' } });
    if (build.code !== 0) fail('compiling the addon', `${build.stdout}\n${build.stderr}`, 'see the compiler error above the last line; KGTUNE_DEBUG=1 shows the stack');
    for (const d of fs.readdirSync(pkg)) if (d.startsWith('build-tmp-') || d === 'build') fs.rmSync(path.join(pkg, d), { recursive: true, force: true });
    fs.rmSync(path.join(deps, 'include'), { recursive: true, force: true });
  });

  // Smoke test in a child process, from the final location: load, run a matMul and a gradient on `tensorflow`.
  const probe = [
    `require(${JSON.stringify(path.join(nativePackageDir(env.home), 'dist', 'index.js'))});`,
    "const tf = require('@tensorflow/tfjs');",
    "const x = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));",
    "const g = tf.variableGrads(() => tf.sum(tf.matMul(x, x)), [x]).grads[x.name].arraySync();",
    "if (tf.getBackend() !== 'tensorflow' || JSON.stringify(g) !== '[[7,11],[9,13]]') throw new Error('wrong result ' + tf.getBackend() + ' ' + JSON.stringify(g));",
    'console.log(tf.backend().binding.TF_Version);',
  ].join('\n');
  const smoke = await run(process.execPath, ['-e', probe], { cwd: projectRoot(), env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  if (smoke.code !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    fail('loading the built addon', `${smoke.stdout}\n${smoke.stderr}`, 'the TensorFlow C API may have drifted from what tfjs-node expects; try another TENSORFLOW_WHEEL version in training/native.ts');
  }
  const built: NativeBuild = { dir, tfjsNode: tfjs.version, tensorflow: smoke.stdout.trim(), nodedir, seconds: Math.round((Date.now() - t0) / 1000) };
  fs.writeFileSync(path.join(dir, MARKER), JSON.stringify(built, null, 2));
  log(`built @tensorflow/tfjs-node ${built.tfjsNode} on TensorFlow ${built.tensorflow} in ${built.seconds}s → ${dir}`);
  return built;
}
