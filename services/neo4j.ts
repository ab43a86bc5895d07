/**
 * Neo4j Community 5.26 LTS, real, assembled from the published jars (services/neo4j/pom.xml) and started with the
 * server entry point on Java 17+. Bolt on loopback, HTTP off, authentication on with the configured password.
 *
 * Layout under KGTUNE_HOME:
 *   cache/m2/                     Maven's local repository for these downloads (so a second run downloads nothing)
 *   cache/neo4j-<version>/lib/    the runtime classpath
 *   neo4j/conf/neo4j.conf         generated from the environment on every start
 *   neo4j/data/  neo4j/logs/      the database and its logs (neo4j.log, debug.log, console.log)
 */
import fs from 'node:fs';
import path from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { type KgtuneEnv, processEnv, projectRoot } from '../configs/env.js';
import { ensureSchema, GraphSchemaError, type SchemaReport } from '../graph/index.js';
import { classifyDownloadFailure, parseJavaMajor, ServiceError } from './errors.js';
import { assertPortFree, atomicDir, type Log, ourLivePid, run, sleep, spawnDetached, stopProcess, tail, writePidFile } from './process.js';
import type { ServiceStatus } from './temporal.js';

/** Newest 5.26.x served at the time of writing; keep in step with services/neo4j/pom.xml. */
export const NEO4J_VERSION = '5.26.30';
export const NEO4J_MIN_JAVA = 17;
export const NEO4J_ENTRY_POINT = 'org.neo4j.server.CommunityEntryPoint';
const ADMIN_ENTRY_POINT = 'org.neo4j.server.startup.Neo4jAdminCommand';
const PAGECACHE = '256m';
const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 60_000;

/** Where the service's files live under KGTUNE_HOME. */
export type Neo4jPaths = ReturnType<typeof neo4jPaths>;

export function neo4jPaths(env: KgtuneEnv) {
  const cacheDir = path.join(env.home, 'cache', `neo4j-${NEO4J_VERSION}`);
  const home = path.join(env.home, 'neo4j');
  const logs = path.join(home, 'logs');
  return {
    cacheDir,
    lib: path.join(cacheDir, 'lib'),
    m2: path.join(env.home, 'cache', 'm2'),
    pom: path.join(projectRoot(), 'services', 'neo4j', 'pom.xml'),
    home,
    conf: path.join(home, 'conf'),
    data: path.join(home, 'data'),
    logs,
    pidFile: path.join(home, 'neo4j.pid'),
    consoleLog: path.join(logs, 'console.log'),
    neo4jLog: path.join(logs, 'neo4j.log'),
  };
}

/** JAVA_HOME/bin/java when JAVA_HOME is set, else `java` from PATH. */
export function javaCommand(env: KgtuneEnv): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Checks that Java ≥ 17 is there; returns its major version. Throws JavaMissing / JavaTooOld. */
export async function checkJava(env: KgtuneEnv): Promise<number> {
  const java = javaCommand(env);
  const where = env.JAVA_HOME ? `JAVA_HOME=${env.JAVA_HOME}` : 'PATH';
  const r = await run(java, ['-version']);
  if (r.spawnError) {
    throw new ServiceError('JavaMissing', `Neo4j needs Java ${NEO4J_MIN_JAVA}+, but no java was found (looked in ${where})`, 'install a JDK 17 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one');
  }
  const major = parseJavaMajor(`${r.stderr}\n${r.stdout}`);
  if (major === undefined) {
    throw new ServiceError('JavaMissing', `could not tell the Java version from \`${java} -version\` (exit ${r.code})`, 'set JAVA_HOME to a JDK 17 or 21');
  }
  if (major < NEO4J_MIN_JAVA) {
    throw new ServiceError('JavaTooOld', `Neo4j ${NEO4J_VERSION} needs Java ${NEO4J_MIN_JAVA}+, but ${java} is Java ${major}`, 'install a JDK 17 (apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one');
  }
  return major;
}

/** Copies the Neo4j runtime jars into the cache with Maven, once. Returns the lib directory. */
export async function provisionNeo4j(env: KgtuneEnv, log: Log = () => {}): Promise<string> {
  const p = neo4jPaths(env);
  const marker = path.join(p.cacheDir, '.complete');
  if (fs.existsSync(marker)) return p.lib;
  const t0 = Date.now();
  log(`provisioning Neo4j ${NEO4J_VERSION} jars (Maven, one time) ...`);
  fs.mkdirSync(path.dirname(p.cacheDir), { recursive: true });
  await atomicDir(p.cacheDir, async (tmp) => {
    const args = [
      '-B', '-q',
      '-f', p.pom,
      // A settings file with mirrors/proxies for machines that need one (also lets tests point Maven at a dead mirror).
      ...(env.KGTUNE_MAVEN_SETTINGS ? ['-s', env.KGTUNE_MAVEN_SETTINGS] : []),
      `-Dmaven.repo.local=${p.m2}`,
      `-Dneo4j.version=${NEO4J_VERSION}`,
      'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${path.join(tmp, 'lib')}`,
    ];
    const r = await run('mvn', args, { env: { ...processEnv(), ...(env.JAVA_HOME ? { JAVA_HOME: env.JAVA_HOME } : {}) } });
    if (r.spawnError) {
      throw new ServiceError('ToolMissing', 'cannot provision Neo4j: Maven (mvn) was not found', 'install Maven 3.8+ (apt-get install maven)');
    }
    if (r.code !== 0) {
      throw classifyDownloadFailure('mvn', `Neo4j ${NEO4J_VERSION} jars`, `${r.stdout}\n${r.stderr}`, 'check NEO4J_VERSION in services/neo4j.ts against the versions the Maven repository serves');
    }
    const jars = fs.readdirSync(path.join(tmp, 'lib')).filter((f) => f.endsWith('.jar'));
    if (!jars.includes(`neo4j-${NEO4J_VERSION}.jar`)) {
      throw new ServiceError('ProvisionFailed', `Maven finished but neo4j-${NEO4J_VERSION}.jar is not among the ${jars.length} copied jars`, `check ${p.pom}`);
    }
    fs.writeFileSync(path.join(tmp, '.complete'), `${jars.length} jars\n`);
  });
  log(`provisioned Neo4j ${NEO4J_VERSION} in ${((Date.now() - t0) / 1000).toFixed(1)}s → ${p.lib}`);
  return p.lib;
}

/** The neo4j.conf kgtune runs with (regenerated from the environment on every start). */
export function neo4jConf(env: KgtuneEnv): string {
  const p = neo4jPaths(env);
  return [
    '# Generated by kgtune (services/neo4j.ts) on every start: edit the environment, not this file.',
    `server.default_listen_address=${env.NEO4J_HOST}`,
    `server.default_advertised_address=${env.NEO4J_HOST}`,
    'server.bolt.enabled=true',
    `server.bolt.listen_address=${env.NEO4J_HOST}:${env.NEO4J_BOLT_PORT}`,
    `server.bolt.advertised_address=${env.NEO4J_HOST}:${env.NEO4J_BOLT_PORT}`,
    'server.bolt.tls_level=DISABLED',
    'server.http.enabled=false',
    'server.https.enabled=false',
    'dbms.security.auth_enabled=true',
    `server.memory.pagecache.size=${PAGECACHE}`,
    'dbms.usage_report.enabled=false',
    `server.directories.data=${p.data}`,
    `server.directories.logs=${p.logs}`,
    `server.directories.plugins=${path.join(p.home, 'plugins')}`,
    `server.directories.import=${path.join(p.home, 'import')}`,
    'db.tx_log.rotation.retention_policy=1G size',
    '',
  ].join('\n');
}

/** What our server's command line contains (entry point + this home): guards against adopting a recycled pid or another tree's Neo4j. */
function processMarker(p: Neo4jPaths): string {
  return `${NEO4J_ENTRY_POINT} --home-dir=${p.home}`;
}

function neo4jProcessEnv(env: KgtuneEnv): NodeJS.ProcessEnv {
  const p = neo4jPaths(env);
  return { ...processEnv(), NEO4J_HOME: p.home, NEO4J_CONF: p.conf, ...(env.JAVA_HOME ? { JAVA_HOME: env.JAVA_HOME } : {}) };
}

function writeConf(env: KgtuneEnv): void {
  const p = neo4jPaths(env);
  for (const d of [p.conf, p.data, p.logs, path.join(p.home, 'plugins'), path.join(p.home, 'import')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(p.conf, 'neo4j.conf'), neo4jConf(env));
}

/** True once the database has been started at least once (the initial password can no longer be set). */
export function neo4jInitialised(env: KgtuneEnv): boolean {
  return fs.existsSync(path.join(neo4jPaths(env).data, 'databases', 'system'));
}

/** Sets the initial password of NEO4J_USER (must run before the first start). */
async function setInitialPassword(env: KgtuneEnv, log: Log): Promise<void> {
  const p = neo4jPaths(env);
  const r = await run(javaCommand(env), ['-cp', `${p.lib}/*`, ADMIN_ENTRY_POINT, 'dbms', 'set-initial-password', env.NEO4J_PASSWORD], { cwd: p.home, env: neo4jProcessEnv(env) });
  if (r.code !== 0) {
    const last = `${r.stdout}\n${r.stderr}`.trim().split('\n').pop() ?? '';
    throw new ServiceError('StartFailed', `Neo4j: setting the initial password failed: ${last}`, `delete ${p.data} and run again`);
  }
  log('Neo4j: initial password set from NEO4J_PASSWORD');
}

function makeDriver(env: KgtuneEnv): Driver {
  return neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD), {
    connectionTimeout: 3_000,
    connectionAcquisitionTimeout: 5_000,
    maxConnectionPoolSize: 2,
    logging: { level: 'error', logger: () => {} },
  });
}

function isAuthError(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  return code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit';
}

function authError(env: KgtuneEnv): ServiceError {
  const p = neo4jPaths(env);
  return new ServiceError(
    'Neo4jAuth',
    `Neo4j at ${env.neo4jUri} rejected user '${env.NEO4J_USER}' with the configured NEO4J_PASSWORD (its data folder was initialised with another password)`,
    `set NEO4J_PASSWORD to that password, or stop Neo4j (kgtune services down) and delete ${p.data} to start an empty database with the configured one`,
  );
}

/**
 * Creates the graph schema (constraints, indexes; duplicates left by old code merged first) on a running Neo4j.
 * Called when the stack comes up and by every worker before it polls: no activity ever writes before the
 * uniqueness constraints exist. A schema that cannot be created is a ServiceError naming the nodes and the fix.
 */
export async function ensureGraphSchema(env: KgtuneEnv, log: Log = () => {}): Promise<SchemaReport> {
  const driver = neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD), {
    connectionTimeout: 10_000,
    logging: { level: 'error', logger: () => {} },
  });
  try {
    const report = await ensureSchema(driver, log);
    if (report.created.length) log(`graph schema created (${report.created.length} constraints, indexes online)`);
    return report;
  } catch (err) {
    if (err instanceof GraphSchemaError) throw new ServiceError('GraphSchema', err.message.replace(/ — run .*$/, ''), `run \`./kgtune services migrate\` (merges duplicates, then creates the schema)`);
    if (isAuthError(err)) throw authError(env);
    throw err;
  } finally {
    await driver.close();
  }
}

/** One connectivity probe: 'ok' with the server agent, 'auth' for a wrong password, 'down' otherwise. */
export async function probeNeo4j(env: KgtuneEnv): Promise<{ state: 'ok'; agent: string } | { state: 'auth' } | { state: 'down'; reason: string }> {
  const driver = makeDriver(env);
  try {
    const info = await driver.getServerInfo();
    return { state: 'ok', agent: info.agent ?? 'Neo4j' };
  } catch (err) {
    if (isAuthError(err)) return { state: 'auth' };
    return { state: 'down', reason: (err as Error).message?.split('\n')[0] ?? String(err) };
  } finally {
    await driver.close();
  }
}

/** Throws Neo4jAuth or Neo4jUnreachable (one line) unless Neo4j answers with the configured credentials. */
export async function assertNeo4jReachable(env: KgtuneEnv): Promise<void> {
  const r = await probeNeo4j(env);
  if (r.state === 'ok') return;
  if (r.state === 'auth') throw authError(env);
  throw new ServiceError('Neo4jUnreachable', `Neo4j is not reachable at ${env.neo4jUri}`, 'start it with `kgtune services up` (or point NEO4J_HOST/NEO4J_BOLT_PORT at a running server)');
}

export async function neo4jStatus(env: KgtuneEnv): Promise<ServiceStatus> {
  const p = neo4jPaths(env);
  const pid = ourLivePid(p.pidFile, processMarker(p));
  const probe = await probeNeo4j(env);
  const note =
    probe.state === 'auth'
      ? 'answers, but rejects the configured NEO4J_PASSWORD'
      : pid === undefined && probe.state === 'ok'
        ? 'a Neo4j server answers there but was not started by kgtune'
        : pid !== undefined && probe.state === 'down'
          ? `process alive but not answering yet (${probe.reason})`
          : undefined;
  return {
    name: 'neo4j',
    running: pid !== undefined,
    healthy: probe.state === 'ok',
    ...(pid !== undefined ? { pid } : {}),
    address: env.neo4jUri,
    ...(probe.state === 'ok' ? { version: `${probe.agent.replace('/', ' ')} Community` } : {}),
    log: p.neo4jLog,
    ...(note ? { note } : {}),
  };
}

async function waitHealthy(env: KgtuneEnv, pid: number, timeoutMs: number): Promise<void> {
  const p = neo4jPaths(env);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (ourLivePid(p.pidFile, processMarker(p)) === undefined) {
      const why = (tail(p.consoleLog, 3) || tail(p.neo4jLog, 3)).replace(/\s*\n\s*/g, ' | ');
      throw new ServiceError('StartFailed', `Neo4j exited during start-up${why ? `: ${why}` : ''}`, `see ${p.neo4jLog} and ${p.consoleLog}`);
    }
    const r = await probeNeo4j(env);
    if (r.state === 'ok') return;
    if (r.state === 'auth') throw authError(env);
    last = r.reason;
    await sleep(1_000);
  }
  throw new ServiceError('StartTimeout', `Neo4j (pid ${pid}) did not accept Bolt connections at ${env.neo4jUri} within ${timeoutMs / 1000}s (last: ${last})`, `see ${p.neo4jLog} and ${p.consoleLog}`);
}

/** JVM options: heap from NEO4J_HEAP, and the module openings Neo4j 5 needs on Java 17+. */
export function neo4jJvmArgs(env: KgtuneEnv, javaMajor: number): string[] {
  return [
    `-Xmx${env.NEO4J_HEAP}`,
    `-Xms${env.NEO4J_HEAP}`,
    '-XX:+UseG1GC',
    '-XX:-OmitStackTraceInFastThrow',
    '-XX:+DisableExplicitGC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djdk.nio.maxCachedBufferSize=1024',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dlog4j2.disable.jmx=true',
    '-Dfile.encoding=UTF-8',
    // Neo4j uses the vector API only from Java 20 on (on 17 it just logs that the JVM is too old).
    ...(javaMajor >= 20 ? ['--add-modules=jdk.incubator.vector'] : []),
    ...['java.base/java.nio', 'java.base/java.io', 'java.base/sun.nio.ch', 'java.base/java.util.concurrent', 'java.base/java.lang', 'java.base/java.util'].map((m) => `--add-opens=${m}=ALL-UNNAMED`),
  ];
}

/** Fails fast (PortTaken, JavaMissing, JavaTooOld) when ours is not running and could not start: before any download. */
export async function neo4jPreflight(env: KgtuneEnv): Promise<void> {
  const p = neo4jPaths(env);
  if (ourLivePid(p.pidFile, processMarker(p)) !== undefined) return;
  await assertPortFree('Neo4j', env.NEO4J_HOST, env.NEO4J_BOLT_PORT, 'NEO4J_BOLT_PORT');
  await checkJava(env);
}

/** Starts Neo4j unless ours is already running (then waits until healthy). Idempotent. */
export async function startNeo4j(env: KgtuneEnv, log: Log = () => {}): Promise<'started' | 'already-running'> {
  const p = neo4jPaths(env);
  const existing = ourLivePid(p.pidFile, processMarker(p));
  if (existing !== undefined) {
    await waitHealthy(env, existing, START_TIMEOUT_MS);
    return 'already-running';
  }
  await neo4jPreflight(env);
  const javaMajor = await checkJava(env);
  const lib = await provisionNeo4j(env, log);
  writeConf(env);
  if (!neo4jInitialised(env)) await setInitialPassword(env, log);
  const args = [...neo4jJvmArgs(env, javaMajor), '-cp', `${lib}/*`, NEO4J_ENTRY_POINT, `--home-dir=${p.home}`, `--config-dir=${p.conf}`];
  fs.mkdirSync(p.logs, { recursive: true });
  fs.appendFileSync(p.consoleLog, `\n--- kgtune: starting ${new Date().toISOString()}: java ${args.join(' ')}\n`);
  const pid = await spawnDetached(javaCommand(env), args, { cwd: p.home, env: neo4jProcessEnv(env), logFile: p.consoleLog });
  writePidFile(p.pidFile, pid);
  log(`Neo4j: started pid ${pid}, waiting for Bolt ...`);
  await waitHealthy(env, pid, START_TIMEOUT_MS);
  return 'started';
}

/** Stops our Neo4j (SIGTERM for a clean shutdown, SIGKILL after a minute). Returns false when it was not running. */
export async function stopNeo4j(env: KgtuneEnv, log: Log = () => {}): Promise<boolean> {
  const p = neo4jPaths(env);
  const pid = ourLivePid(p.pidFile, processMarker(p));
  if (pid === undefined) return false;
  const killed = await stopProcess(pid, STOP_GRACE_MS);
  fs.rmSync(p.pidFile, { force: true });
  log(`Neo4j: stopped pid ${pid}${killed ? ' (had to SIGKILL)' : ''}`);
  return true;
}
