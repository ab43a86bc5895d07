// `npm test`: dependencies, services (provisioned and started if needed), lint, typecheck, then every
// vitest project (unit, integration against the real Temporal + Neo4j, end-to-end).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import { ensureSystemPackages } from './ensure-system.mjs';

const root = path.resolve(import.meta.dirname, '..');
ensureDeps(root);
ensureSystemPackages();

const started = Date.now();
const step = (name, cmd, args, opts = {}) => {
  const t0 = Date.now();
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`== ${name} failed after ${secs}s`);
    return false;
  }
  console.log(`== ${name} ok (${secs}s)`);
  return true;
};

const status = spawnSync('node', ['cli/bin.mjs', 'services', 'status', '--quiet'], { cwd: root, stdio: 'ignore' });
const wasRunning = status.status === 0;
let ok = step('services up', 'node', ['cli/bin.mjs', 'services', 'up']);
if (ok) ok = step('lint (eslint, incl. workflow determinism rules)', 'npx', ['eslint', '.']) && ok;
if (ok) ok = step('typecheck (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) && ok;
const results = path.join(root, '.kgtune', 'test-results.json');
if (ok) ok = step('tests (vitest: unit, integration, e2e)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)]) && ok;
// The reduced fault suite (worker SIGKILLs, hostile corpus) on its own isolated stack (other ports, .kgtune-faults).
if (ok) ok = step('fault suite (reduced: training worker killed, ingest worker killed, hostile corpus)', 'npx', ['tsx', 'scripts/faults/run.ts', '--reduced']) && ok;
let counts = '';
try {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  counts = `${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''}`;
} catch {
  // no results file: vitest did not run (an earlier step failed)
}
if (!wasRunning && process.env.KGTUNE_KEEP_SERVICES !== '1') step('services down', 'node', ['cli/bin.mjs', 'services', 'down']);
console.log(`\nnpm test: ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
if (counts) console.log(`tests: ${counts}`);
process.exit(ok ? 0 : 1);
