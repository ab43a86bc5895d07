// System packages the tests need that a fresh machine of this kind lacks: Debian's chromium (browser
// test of the customer web page). Installed with apt-get on first use (CI runs as root).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function ensureSystemPackages() {
  if (existsSync('/usr/bin/chromium')) return;
  console.log('kgtune: installing Debian chromium for the browser test (first run only)…');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    console.error('kgtune: could not install chromium with apt-get — the browser test will fail; install it (apt-get install chromium) and run again');
  }
}
