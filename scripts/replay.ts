/**
 * Replays recorded workflow histories (JSON as written by `temporal workflow show -o json`) against
 * the current workflow code; exits non-zero on any non-determinism. Usage: tsx scripts/replay.ts FILE…
 * The file name (without .json) must be the workflow id the history ran under.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../cli/worker.js';

const files = process.argv.slice(2);
const bundle = await workflowBundle();
let failed = 0;
for (const f of files) {
  const history = JSON.parse(readFileSync(f, 'utf8')) as unknown;
  const id = path.basename(f, '.json');
  try {
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, id);
    console.log(`replay ok: ${path.basename(f)}`);
  } catch (e) {
    failed++;
    console.log(`replay FAILED: ${path.basename(f)}: ${(e as Error).message.split('\n')[0]}`);
  }
}
process.exit(failed ? 1 : 0);
