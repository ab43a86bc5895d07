/**
 * The interop venv: <KGTUNE_HOME>/venv with the pins of scripts/interop/requirements.txt (torch CPU
 * use, transformers, PEFT, tokenizers), created on first use. A stamp file holds the sha256 of the
 * requirements it was installed from, so changing a pin reinstalls.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256Hex } from '../../configs/hash.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REQUIREMENTS = path.join(here, 'requirements.txt');

export class InteropVenvError extends Error {
  override name = 'InteropVenvError';
}

function run(cmd: string, args: string[], what: string): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 1_500_000, maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    const last = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? r.error?.message ?? `exit ${r.status}`;
    throw new InteropVenvError(`interop venv: ${what} failed: ${last}`);
  }
}

/** Ensure the venv exists with the pinned packages; returns its python. Throws InteropVenvError with the reason. */
export function ensureInteropVenv(home: string, log: (line: string) => void = () => {}): string {
  const venv = path.join(home, 'venv');
  const python = path.join(venv, 'bin', 'python');
  const stamp = path.join(venv, '.kgtune-interop-requirements');
  const digest = sha256Hex(readFileSync(REQUIREMENTS));
  if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest) return python;
  if (!existsSync(python)) {
    log(`interop: creating ${venv}`);
    run('python3', ['-m', 'venv', venv], 'python3 -m venv');
  }
  log(`interop: installing ${REQUIREMENTS} into ${venv} (torch wheels are large: minutes on first use)`);
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], 'pip install -r scripts/interop/requirements.txt');
  writeFileSync(stamp, `${digest}\n`);
  return python;
}
