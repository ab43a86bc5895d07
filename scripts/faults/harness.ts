/** Shared machinery of the fault suite: real worker processes, activity heartbeats, polling, the result table. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Driver } from 'neo4j-driver';
import type { KgtuneEnv } from '../../configs/env.js';
import { processEnv, projectRoot } from '../../configs/env.js';
import { TASK_QUEUES } from '../../workflows/options.js';

export type Queue = 'cpu' | 'gpu';

export interface ScenarioResult {
  /** Sort key. */
  id: number;
  /** Shown in the table (defaults to the id). */
  label?: string;
  name: string;
  expected: string;
  observed: string;
  dataLost: string;
  recovery: string;
  pass: boolean;
  /** Extra lines printed under the table (measurements, findings). */
  notes: string[];
}

export interface Ctx {
  env: KgtuneEnv;
  client: Client;
  driver: Driver;
  workers: WorkerPool;
  reduced: boolean;
  /** Scratch folder for generated corpora. */
  tmp: string;
  /** Unique per suite run: tenants and workflow ids carry it. */
  tag: string;
  log: (m: string) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Thrown from an `until` predicate to stop waiting at once (other errors count as "not yet"). */
export class StopWaiting extends Error {}

/** Polls `fn` until it returns a value other than undefined/false, or throws after timeoutMs (or when `fn` throws StopWaiting). */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let v: T | undefined | false;
    try {
      v = await fn();
    } catch (e) {
      if (e instanceof StopWaiting) throw new Error(`stopped waiting for ${what}: ${e.message}`);
      v = undefined;
    }
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${secs(timeoutMs)} waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${secs(ms)}: ${what}`)), ms); }),
  ]);
}

/** Resident set size of a process in MB (Linux /proc), or undefined when it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

export interface WorkerProc { queue: Queue; pid: number; child: ChildProcess; log: string; startedAt: number; exited: Promise<number | null> }

/**
 * Real worker processes (`node cli/bin.mjs worker --queue cpu|gpu`) with the suite's isolated environment. Only
 * processes spawned here are ever signalled.
 */
export class WorkerPool {
  private readonly current = new Map<Queue, WorkerProc>();
  private readonly all: WorkerProc[] = [];
  private seq = 0;

  constructor(private readonly env: KgtuneEnv, private readonly client: Client, private readonly log: (m: string) => void) {}

  get(queue: Queue): WorkerProc {
    const w = this.current.get(queue);
    if (!w) throw new Error(`no ${queue} worker running`);
    return w;
  }

  /** Spawns a worker for `queue` and waits until the server sees it polling (its identity is `<pid>@<host>`). */
  async spawn(queue: Queue): Promise<WorkerProc> {
    const dir = path.join(this.env.home, 'logs');
    mkdirSync(dir, { recursive: true });
    const log = path.join(dir, `worker-${queue}-${++this.seq}.log`);
    const fd = openSync(log, 'a');
    const child = spawn(process.execPath, [path.join(projectRoot(), 'cli', 'bin.mjs'), 'worker', '--queue', queue], {
      cwd: projectRoot(), env: processEnv(), stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not spawn a ${queue} worker`);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const w: WorkerProc = { queue, pid: child.pid, child, log, startedAt: Date.now(), exited };
    this.all.push(w);
    this.current.set(queue, w);
    const identity = `${child.pid}@${hostname()}`;
    let dead = false;
    void exited.then(() => { dead = true; });
    await until(`${queue} worker pid ${child.pid} to poll ${TASK_QUEUES[queue]} (log ${log})`, async () => {
      if (dead) throw new Error(`${queue} worker pid ${child.pid} exited during start-up: see ${log}`);
      const r = await this.client.workflowService.describeTaskQueue({ namespace: this.env.TEMPORAL_NAMESPACE, taskQueue: { name: TASK_QUEUES[queue] }, taskQueueType: 2 });
      return (r.pollers ?? []).some((p) => p.identity === identity);
    }, 120_000, 300).catch((e: unknown) => {
      if (dead) throw new Error(`${queue} worker pid ${child.pid} exited during start-up: see ${log}`);
      throw e;
    });
    this.log(`${queue} worker pid ${child.pid} polling (${secs(Date.now() - w.startedAt)} to start)`);
    return w;
  }

  /** Kills the current worker of `queue` with `signal` and waits for it to be gone. */
  async kill(queue: Queue, signal: NodeJS.Signals = 'SIGKILL'): Promise<WorkerProc> {
    const w = this.get(queue);
    this.current.delete(queue);
    if (w.child.exitCode === null && w.child.signalCode === null) {
      w.child.kill(signal);
      await withTimeout(w.exited, 30_000, `worker ${w.pid} to exit after ${signal}`);
    }
    this.log(`${queue} worker pid ${w.pid} killed (${signal})`);
    return w;
  }

  alive(queue: Queue): boolean {
    const w = this.current.get(queue);
    return !!w && w.child.exitCode === null && w.child.signalCode === null;
  }

  /** Stops every worker this pool started (SIGTERM, then SIGKILL after 15 s). */
  async stopAll(): Promise<void> {
    const live = this.all.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    for (const w of live) w.child.kill('SIGTERM');
    await Promise.all(live.map(async (w) => {
      try {
        await withTimeout(w.exited, 15_000, 'exit');
      } catch {
        w.child.kill('SIGKILL');
        await w.exited;
      }
    }));
    this.current.clear();
  }
}

function tsMs(t: { seconds?: unknown; nanos?: number | null } | null | undefined): number | undefined {
  if (!t || t.seconds === undefined || t.seconds === null) return undefined;
  const s = t.seconds as number | { toNumber(): number };
  return (typeof s === 'object' ? s.toNumber() : Number(s)) * 1000 + (t.nanos ?? 0) / 1e6;
}

export interface PendingActivity {
  type: string;
  attempt: number;
  state: number;
  details?: Record<string, unknown>;
  lastStartedMs?: number;
  lastHeartbeatMs?: number;
  lastFailure?: string;
}

/** The workflow's pending activities with their last heartbeat decoded (describe → raw.pendingActivities). */
export async function pendingActivities(client: Client, workflowId: string): Promise<PendingActivity[]> {
  const d = await client.workflow.getHandle(workflowId).describe();
  return (d.raw.pendingActivities ?? []).map((a) => {
    const payload = a.heartbeatDetails?.payloads?.[0];
    const details = payload ? (defaultPayloadConverter.fromPayload(payload) as Record<string, unknown>) : undefined;
    const lastStartedMs = tsMs(a.lastStartedTime as never);
    const lastHeartbeatMs = tsMs(a.lastHeartbeatTime as never);
    return {
      type: a.activityType?.name ?? '?', attempt: a.attempt ?? 0, state: Number(a.state ?? 0),
      ...(details ? { details } : {}),
      ...(lastStartedMs !== undefined ? { lastStartedMs } : {}),
      ...(lastHeartbeatMs !== undefined ? { lastHeartbeatMs } : {}),
      ...(a.lastFailure?.message ? { lastFailure: a.lastFailure.message } : {}),
    };
  });
}

/** Result of a workflow with a deadline; failures come back as an Error with the cause chain flattened. */
export async function resultOf<T>(client: Client, workflowId: string, timeoutMs: number): Promise<T> {
  try {
    return await withTimeout(client.workflow.getHandle(workflowId).result() as Promise<T>, timeoutMs, `workflow ${workflowId}`);
  } catch (e) {
    const parts: string[] = [];
    let c: unknown = e;
    while (c && parts.length < 6) {
      parts.push((c as Error).message);
      c = (c as { cause?: unknown }).cause;
    }
    throw new Error(parts.join(' ← '));
  }
}

/** A workflow's result or, when it failed or timed out, why (resultOf's flattened message): scenarios report both. */
export async function settled<T>(client: Client, workflowId: string, timeoutMs: number): Promise<{ result?: T; failure: string }> {
  try {
    return { result: await resultOf<T>(client, workflowId, timeoutMs), failure: '' };
  } catch (e) {
    return { failure: (e as Error).message };
  }
}

/** A scenario's row before it runs: not passed, nothing observed, data loss unknown. */
export function scenario(id: number, name: string, expected: string, recovery = '?'): ScenarioResult {
  return { id, name, pass: false, notes: [], expected, observed: '', dataLost: '?', recovery };
}

/** Count of nodes (all labels) per tenant, or of one tenant. */
export async function nodeCount(driver: Driver, tenant: string): Promise<number> {
  const r = await driver.executeQuery('MATCH (n {tenant: $tenant}) RETURN count(n) AS n', { tenant });
  return Number(r.records[0]?.get('n') ?? 0);
}

export async function nodeCountsByLabel(driver: Driver, tenant: string): Promise<Record<string, number>> {
  const r = await driver.executeQuery('MATCH (n {tenant: $tenant}) UNWIND labels(n) AS l RETURN l, count(*) AS n ORDER BY l', { tenant });
  return Object.fromEntries(r.records.map((x) => [x.get('l') as string, Number(x.get('n'))]));
}

// ---------- the table ----------

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      if (!word) continue;
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = '';
      }
      let w = word;
      while (w.length > width) {
        out.push(w.slice(0, width));
        w = w.slice(width);
      }
      line = line ? `${line} ${w}` : w;
    }
    out.push(line);
  }
  return out;
}

export function renderTable(results: ScenarioResult[]): string {
  const headers = ['scenario', 'expected', 'observed', 'data lost', 'time to recover', 'verdict'];
  const widths = [24, 38, 50, 22, 20, 7];
  const rows = results.map((r) => [`${r.label ?? r.id}. ${r.name}`, r.expected, r.observed, r.dataLost, r.recovery, r.pass ? 'PASS' : 'FAIL']);
  const sep = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const lines = [sep, `| ${headers.map((h, i) => h.padEnd(widths[i]!)).join(' | ')} |`, sep.replace(/-/g, '=')];
  for (const row of rows) {
    const cells = row.map((c, i) => wrap(c, widths[i]!));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) lines.push(`| ${cells.map((c, i) => (c[k] ?? '').padEnd(widths[i]!)).join(' | ')} |`);
    lines.push(sep);
  }
  return lines.join('\n');
}
