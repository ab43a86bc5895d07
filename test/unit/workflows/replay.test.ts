/**
 * Recorded histories of real pipeline runs (test/fixtures/replay, recorded by the e2e test with
 * KGTUNE_RECORD_HISTORY=1) must replay against today's workflow code without non-determinism.
 * Replay needs no server.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../configs/env.js';
import { workflowBundle } from '../../../cli/worker.js';

const dir = path.join(projectRoot(), 'test', 'fixtures', 'replay');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded pipeline histories', () => {
  it('has recorded histories to replay', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });
  for (const f of fixtures) {
    it(`replays ${f} deterministically`, async () => {
      const history = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown;
      await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, path.basename(f, '.json'))).resolves.toBeUndefined();
    }, 120_000);
  }
});
