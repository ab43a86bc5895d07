// System packages the tests need that a fresh machine of this kind lacks: Debian's chromium (browser
// test of the customer web page). Installed with apt-get on first use (needs root; CI runs as root).
// Another apt-get or dpkg (unattended upgrades, a parallel install) may hold apt's lock: then this
// waits, up to LOCK_WAIT_MS, saying so once, instead of failing the browser test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const LOCK_WAIT_MS = 5 * 60_000;
const RETRY_MS = 5_000;

/** apt-get's messages when another process holds the dpkg frontend lock or the lists lock. */
export function isLockBusy(stderr) {
  return /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock (the )?(administration|list) directory|is held by process|temporarily unavailable/i.test(stderr) && !/Permission denied|are you root/i.test(stderr);
}

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (r.stderr) process.stderr.write(r.stderr);
  return { status: r.error ? 127 : r.status, stderr: r.stderr ?? String(r.error ?? '') };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs one apt-get command, waiting (bounded) while apt's lock is busy. Returns true on success.
 * `deps` lets tests replace the process runner, the clock and the sleep.
 */
export function aptGet(args, deps = {}) {
  const { runner = run, now = Date.now, pause = sleep, log = console.log, waitMs = LOCK_WAIT_MS } = deps;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const deadline = now() + waitMs;
  let told = false;
  for (;;) {
    const left = Math.max(0, Math.ceil((deadline - now()) / 1000));
    // apt itself also waits this long for the dpkg lock (apt ≥ 1.9.11)
    const r = runner('apt-get', ['-o', `DPkg::Lock::Timeout=${Math.min(left, 60)}`, ...args], env);
    if (r.status === 0) return true;
    if (!isLockBusy(r.stderr)) return false;
    if (now() >= deadline) {
      log(`kgtune: apt's lock is still held after ${Math.round(waitMs / 60_000)} min — giving up on apt-get ${args.join(' ')}`);
      return false;
    }
    if (!told) {
      log(`kgtune: another apt-get or dpkg holds apt's lock — waiting for it (up to ${Math.round(waitMs / 60_000)} min)…`);
      told = true;
    }
    pause(RETRY_MS);
  }
}

export function ensureSystemPackages(deps = {}) {
  const { exists = existsSync, log = console.log, error = console.error } = deps;
  if (exists('/usr/bin/chromium')) return true;
  log('kgtune: installing Debian chromium for the browser test with apt-get (first run only; needs root)…');
  const ok = aptGet(['update', '-qq'], { log, ...deps }) && aptGet(['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { log, ...deps });
  if (!ok) error('kgtune: could not install chromium with apt-get — the browser test will fail; install it (as root: apt-get install chromium) and run again');
  return ok;
}
