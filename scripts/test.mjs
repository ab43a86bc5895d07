// `npm test`: dependencies, the tests' own isolated stack (provisioned and started if needed; never the user's
// stack — see scripts/isolated-home.mjs), lint, typecheck, then every vitest project (unit, integration against the
// real Temporal + Neo4j, end-to-end), then the reduced fault suite on a second isolated stack.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDeps } from './ensure-deps.mjs';
import { ensureSystemPackages } from './ensure-system.mjs';
import { applyIsolatedEnv, seedHome, testStackEnv } from './isolated-home.mjs';

const root = path.resolve(import.meta.dirname, '..');
ensureDeps(root);
ensureSystemPackages();

const started = Date.now();
// Everything below (services, vitest and its workers) runs with the test stack's home and ports.
const stack = testStackEnv();
const testEnv = applyIsolatedEnv(stack, { ...process.env });
const seeded = seedHome(root, stack.KGTUNE_HOME);
console.log(`test stack: KGTUNE_HOME=${stack.KGTUNE_HOME}, Temporal 127.0.0.1:${stack.TEMPORAL_PORT}, Neo4j 127.0.0.1:${stack.NEO4J_BOLT_PORT}${seeded.length ? ` (seeded ${seeded.join(', ')} from .kgtune)` : ''}`);
const step = (name, cmd, args, opts = {}) => {
  const t0 = Date.now();
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: testEnv, ...opts });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`== ${name} failed after ${secs}s`);
    return false;
  }
  console.log(`== ${name} ok (${secs}s)`);
  return true;
};

const status = spawnSync('node', ['cli/bin.mjs', 'services', 'status', '--quiet'], { cwd: root, stdio: 'ignore', env: testEnv });
const wasRunning = status.status === 0;
let ok = step('services up', 'node', ['cli/bin.mjs', 'services', 'up']);
if (ok) ok = step('lint (eslint, incl. workflow determinism rules)', 'npx', ['eslint', '.']) && ok;
if (ok) ok = step('typecheck (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) && ok;
const results = path.join(root, stack.KGTUNE_HOME, 'test-results.json');
// A results file from an earlier run must not be reported as this run's counts.
rmSync(results, { force: true });
// The tests' temporary folders (os.tmpdir() in the tests and every process they start) go to one folder of this run,
// removed afterwards: a test that forgets its own clean-up leaves nothing behind in the user's /tmp.
const runTmp = mkdtempSync(path.join(os.tmpdir(), 'kgtune-test-run-'));
if (ok) ok = step('tests (vitest: unit, integration, e2e)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)], { env: { ...testEnv, TMPDIR: runTmp } }) && ok;
const leftBehind = readdirSync(runTmp).length;
if (process.env.KGTUNE_KEEP_TMP === '1') console.log(`test temp folder kept (KGTUNE_KEEP_TMP=1): ${runTmp}, ${leftBehind} entries left by the tests`);
else {
  rmSync(runTmp, { recursive: true, force: true });
  console.log(`test temp folder removed: ${leftBehind} entries left by the tests`);
}
// The reduced fault suite (worker SIGKILLs, hostile corpus) on its own isolated stack (other ports, .kgtune-faults).
if (ok) ok = step('fault suite (reduced: training worker killed, ingest worker killed, hostile corpus)', 'npx', ['tsx', 'scripts/faults/run.ts', '--reduced'], { env: process.env }) && ok;
let counts = '';
try {
  const r = JSON.parse(readFileSync(results, 'utf8'));
  // A file whose beforeAll (or import) failed reports its tests as skipped: they count as failed, and the file is named.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed');
  const hidden = brokenFiles.flatMap((f) => f.assertionResults.filter((a) => a.status !== 'passed' && a.status !== 'failed'));
  for (const f of brokenFiles) {
    if (f.message) console.log(`failed file: ${path.relative(root, f.name)} — ${String(f.message).split('\n')[0]}`);
  }
  const failed = r.numFailedTests + hidden.length;
  const skipped = r.numPendingTests - hidden.filter((a) => a.status === 'pending' || a.status === 'skipped').length;
  counts = `${r.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
} catch {
  // no results file: vitest did not run (an earlier step failed)
}
if (!wasRunning && process.env.KGTUNE_KEEP_SERVICES !== '1') step('services down', 'node', ['cli/bin.mjs', 'services', 'down']);
console.log(`\nnpm test: ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)}s`);
if (counts) console.log(`tests: ${counts}`);
process.exit(ok ? 0 : 1);
