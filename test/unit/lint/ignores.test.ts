import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../configs/env.js';
import { testStackEnv } from '../../../scripts/isolated-home.mjs';

describe('lint ignores the homes kgtune provisions', () => {
  // A second `npm test` in the same clone found the test stack's Python venvs (moto's and torch's .js files) and
  // failed lint: every home kgtune writes (the user's, the tests', the fault suite's) is not source.
  it('skips .kgtune, the test stack home and the fault suite home', async () => {
    const eslint = new ESLint({ cwd: projectRoot() });
    for (const home of ['.kgtune', testStackEnv({}).KGTUNE_HOME, '.kgtune-faults']) {
      expect(await eslint.isPathIgnored(`${projectRoot()}/${home}/venv/lib/python3.11/site-packages/x/y.js`), home).toBe(true);
    }
    expect(await eslint.isPathIgnored(`${projectRoot()}/workflows/pipeline.ts`)).toBe(false);
  });
});
