/** `npm test` installs chromium with apt-get: a busy apt lock is waited for (bounded), not a failed browser test. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs script without types
import { aptGet, ensureSystemPackages, isLockBusy, LOCK_WAIT_MS } from '../../../scripts/ensure-system.mjs';

const BUSY = 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?';
const NOT_ROOT = 'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?';

/** A fake clock: sleeping advances it. */
function fakeTime() {
  let t = 0;
  return { now: () => t, pause: (ms: number) => { t += ms; } };
}

describe('apt-get with a busy lock', () => {
  it('tells a busy lock from a missing root', () => {
    expect(isLockBusy(BUSY)).toBe(true);
    expect(isLockBusy(NOT_ROOT)).toBe(false);
    expect(isLockBusy('E: Unable to locate package chromium')).toBe(false);
  });

  it('waits while the lock is busy, saying so once, then succeeds', () => {
    const clock = fakeTime();
    const logs: string[] = [];
    const calls: string[][] = [];
    let busy = 3;
    const runner = (_cmd: string, args: string[]) => {
      calls.push(args);
      return busy-- > 0 ? { status: 100, stderr: BUSY } : { status: 0, stderr: '' };
    };
    expect(aptGet(['install', '-y', 'chromium'], { runner, ...clock, log: (m: string) => logs.push(m) })).toBe(true);
    expect(calls).toHaveLength(4);
    expect(calls[0]?.slice(0, 2)).toEqual(['-o', 'DPkg::Lock::Timeout=60']);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/holds apt's lock — waiting for it \(up to 5 min\)/);
  });

  it('gives up after the bound with one clear line', () => {
    const clock = fakeTime();
    const logs: string[] = [];
    const runner = () => ({ status: 100, stderr: BUSY });
    expect(aptGet(['update'], { runner, ...clock, log: (m: string) => logs.push(m) })).toBe(false);
    expect(clock.now()).toBeGreaterThanOrEqual(LOCK_WAIT_MS);
    expect(clock.now()).toBeLessThan(LOCK_WAIT_MS + 10_000);
    expect(logs.at(-1)).toMatch(/still held after 5 min — giving up/);
  });

  it('does not wait when apt-get fails for another reason (not root)', () => {
    const clock = fakeTime();
    const errors: string[] = [];
    const runner = () => ({ status: 100, stderr: NOT_ROOT });
    expect(ensureSystemPackages({ exists: () => false, runner, ...clock, log: () => {}, error: (m: string) => errors.push(m) })).toBe(false);
    expect(clock.now()).toBe(0);
    expect(errors).toEqual([expect.stringMatching(/could not install chromium .*as root: apt-get install chromium/)]);
  });

  it('does nothing when chromium is installed', () => {
    const runner = () => { throw new Error('apt-get must not run'); };
    expect(ensureSystemPackages({ exists: () => true, runner })).toBe(true);
  });
});
