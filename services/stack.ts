/**
 * The local stack: Temporal dev server + Neo4j, provisioned on first use, started in parallel, idempotent.
 * A second `servicesUp` finds both running (our pid alive and healthy) and says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KgtuneEnv } from '../configs/env.js';
import { ServiceError } from './errors.js';
import { ensureGraphSchema, neo4jPreflight, neo4jStatus, startNeo4j, stopNeo4j } from './neo4j.js';
import { cmdlineOf, isAlive, type Log, sleep } from './process.js';
import { provisionTestServer, type ServiceStatus, temporalPreflight, startTemporal, stopTemporal, temporalStatus, temporalUiUrl } from './temporal.js';

export interface StackStatus {
  temporal: ServiceStatus;
  neo4j: ServiceStatus;
  /** Temporal Web UI, on the kgtune namespace's workflow list. */
  uiUrl: string;
  /** Both answer. */
  healthy: boolean;
}

export interface UpOptions {
  /** Also provision the time-skipping test server binary (default true; a one-time ~30 MB download). */
  testServer?: boolean;
}

const LOCK_WAIT_MS = 300_000;

/** Serialises up/down between processes (e.g. `npm test` and a CLI in another terminal). */
async function withLock<T>(env: KgtuneEnv, fn: () => Promise<T>, log: Log): Promise<T> {
  const file = path.join(env.home, 'run', 'services.lock');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(file, 'utf8').trim());
      const holderAlive = Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder) && (cmdlineOf(holder) ?? '').includes('node');
      if (!holderAlive) {
        fs.rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new ServiceError('Busy', `another kgtune (pid ${holder}) has been starting or stopping the services for ${LOCK_WAIT_MS / 1000}s`, `wait for it, or delete ${file} if it is stuck`);
      if (!told) log(`waiting for another kgtune (pid ${holder}) that is starting or stopping the services ...`);
      told = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const prefixed = (log: Log, name: string): Log => (line) => log(`${name}: ${line.replace(/^(Temporal|Neo4j): /, '')}`);

/** The lines `kgtune services up|status` prints. */
export function formatStack(s: StackStatus, env: KgtuneEnv): string[] {
  const state = (x: ServiceStatus): string => (x.healthy ? (x.running ? 'running' : 'answering') : x.running ? 'NOT HEALTHY' : 'stopped');
  const pid = (x: ServiceStatus): string => (x.pid !== undefined ? `pid ${x.pid}` : '');
  const t = s.temporal;
  const n = s.neo4j;
  const lines = [
    `Temporal  ${state(t).padEnd(11)} ${t.address}  namespace ${env.TEMPORAL_NAMESPACE}  ${t.version ?? ''}  ${pid(t)}`.trimEnd(),
    `          Web UI      ${s.uiUrl}`,
    `Neo4j     ${state(n).padEnd(11)} ${n.address}  user ${env.NEO4J_USER}  ${n.version ?? ''}  ${pid(n)}`.trimEnd(),
  ];
  for (const x of [t, n]) if (x.note) lines.push(`  note (${x.name}): ${x.note}`);
  lines.push(`logs: ${t.log}  ${n.log}`);
  return lines;
}

export async function servicesStatus(env: KgtuneEnv): Promise<StackStatus> {
  const [temporal, neo4j] = await Promise.all([temporalStatus(env), neo4jStatus(env)]);
  return { temporal, neo4j, uiUrl: temporalUiUrl(env), healthy: temporal.healthy && neo4j.healthy };
}

/**
 * Provisions what is missing, starts Temporal and Neo4j in parallel in the background (they outlive this process),
 * waits until both are healthy and prints addresses and the Web UI link. Throws a ServiceError (one line) on failure.
 */
export async function servicesUp(env: KgtuneEnv, log: Log = console.log, opts: UpOptions = {}): Promise<StackStatus> {
  const t0 = Date.now();
  return withLock(
    env,
    async () => {
      // Nothing is started or downloaded when either service could not start (port taken, no Java).
      await Promise.all([temporalPreflight(env), neo4jPreflight(env)]);
      const results = await Promise.allSettled([
        startTemporal(env, prefixed(log, 'Temporal')),
        startNeo4j(env, prefixed(log, 'Neo4j')),
        opts.testServer === false ? Promise.resolve('') : provisionTestServer(env, prefixed(log, 'test server')),
      ]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const [tState, nState] = results.map((r) => (r as PromiseFulfilledResult<string>).value);
      // The schema exists before anything can write (idempotent; repairs duplicates left by old versions).
      await ensureGraphSchema(env, prefixed(log, 'Neo4j'));
      const status = await servicesStatus(env);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (tState === 'already-running' && nState === 'already-running') log(`services already running (checked in ${secs}s)`);
      else log(`services up in ${secs}s (Temporal ${tState}, Neo4j ${nState})`);
      for (const line of formatStack(status, env)) log(line);
      return status;
    },
    log,
  );
}

/** Stops both servers that kgtune started (a server it did not start is left alone). Idempotent. */
export async function servicesDown(env: KgtuneEnv, log: Log = console.log): Promise<void> {
  await withLock(
    env,
    async () => {
      const [t, n] = await Promise.all([stopTemporal(env, log), stopNeo4j(env, log)]);
      if (!t) log('Temporal: was not running');
      if (!n) log('Neo4j: was not running');
    },
    log,
  );
}
