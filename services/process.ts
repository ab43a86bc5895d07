/** Small process helpers shared by the Neo4j and Temporal launchers: commands, detached servers, pid files, ports. */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ServiceError } from './errors.js';
import { processEnv } from '../configs/env.js';

export type Log = (line: string) => void;

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the command could not be started at all (ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a command to completion, capturing its output (no shell). */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? processEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve({ code: null, stdout, stderr, spawnError: err });
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a long-running server detached from this process (own process group), output appended to logFile. Returns its pid. */
export function spawnDetached(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; logFile: string }): Promise<number> {
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const fd = fs.openSync(opts.logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? processEnv(), detached: true, stdio: ['ignore', fd, fd] });
    child.once('error', (err) => {
      fs.closeSync(fd);
      reject(err);
    });
    child.once('spawn', () => {
      fs.closeSync(fd);
      child.unref();
      if (child.pid === undefined) reject(new Error(`${cmd} started without a pid`));
      else resolve(child.pid);
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process (Linux /proc), or undefined. */
export function cmdlineOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

export function readPidFile(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function writePidFile(file: string, pid: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${pid}\n`);
}

/**
 * The pid in the pid file if that process is alive and is really ours (its command line contains `marker`,
 * which guards against a recycled pid). A stale pid file is removed.
 */
export function ourLivePid(pidFile: string, marker: string): number | undefined {
  const pid = readPidFile(pidFile);
  if (pid === undefined) return undefined;
  const cmd = isAlive(pid) ? cmdlineOf(pid) : undefined;
  if (cmd !== undefined && cmd.includes(marker)) return pid;
  fs.rmSync(pidFile, { force: true });
  return undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** SIGTERM the process group (then the pid), wait up to graceMs, then SIGKILL. Resolves true if it had to kill. */
export async function stopProcess(pid: number, graceMs: number): Promise<boolean> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  if (!isAlive(pid)) return false;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return false;
    await sleep(200);
  }
  signal('SIGKILL');
  while (isAlive(pid)) await sleep(100);
  return true;
}

/** True when nothing listens on host:port (we could bind it ourselves). */
export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    });
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Best effort: `pid (program)` of whatever listens on the TCP port, from `ss`; undefined when unknown. */
export function portHolder(port: number): string | undefined {
  const r = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout) return undefined;
  const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(r.stdout);
  return m ? `pid ${m[2]} (${m[1]})` : undefined;
}

/** Throws PortTaken (one line, naming the variable to change) when host:port is already in use. */
export async function assertPortFree(service: string, host: string, port: number, envVar: string): Promise<void> {
  if (await isPortFree(host, port)) return;
  const holder = portHolder(port);
  throw new ServiceError(
    'PortTaken',
    `${service} cannot start: ${host}:${port} is already in use by another program${holder ? `, ${holder}` : ''}`,
    `stop that program, or set ${envVar} to a free port`,
  );
}

/** The last n lines of a text file ('' if missing), for error messages pointing at a log. */
export function tail(file: string, n: number): string {
  try {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    return lines.slice(-n).join('\n');
  } catch {
    return '';
  }
}

/** Creates dir/.tmp-<name>, lets fill() populate it, then renames it into place (so a half-finished download never looks done). */
export async function atomicDir(finalDir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const tmp = `${finalDir}.partial-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmp, finalDir);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Directory size in bytes (for reports). */
export function dirSize(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}
