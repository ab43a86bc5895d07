import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../configs/env.js';

const PROBE = 'workflows/__lint-probe__.ts';

async function lintWorkflow(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: projectRoot() });
  const [result] = await eslint.lintText(code, { filePath: `${projectRoot()}/${PROBE}` });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('workflow determinism lint', () => {
  it('rejects a workflow importing fs', async () => {
    const msgs = await lintWorkflow(`import fs from 'fs';\nexport async function wf(): Promise<number> { return fs.readFileSync('x').length; }\n`);
    expect(msgs.some((m) => m.includes('no-restricted-imports') && m.includes('Node built-ins'))).toBe(true);
  });

  it('rejects node: built-ins, neo4j-driver and tfjs', async () => {
    for (const mod of ['node:path', 'neo4j-driver', '@tensorflow/tfjs']) {
      const msgs = await lintWorkflow(`import * as m from '${mod}';\nexport const x = m;\n`);
      expect(msgs.some((m) => m.includes('no-restricted-imports')), mod).toBe(true);
    }
  });

  it('rejects a value import of an activity module but accepts import type', async () => {
    const bad = await lintWorkflow(`import { createHealthActivities } from '../activities/health.js';\nexport const x = createHealthActivities;\n`);
    expect(bad.some((m) => m.includes('no-restricted-imports'))).toBe(true);
    const ok = await lintWorkflow(`import type { createHealthActivities } from '../activities/health.js';\nexport type X = ReturnType<typeof createHealthActivities>;\n`);
    expect(ok).toEqual([]);
  });

  it('makes a floating promise an error', async () => {
    const msgs = await lintWorkflow(`import { sleep } from '@temporalio/workflow';\nexport async function wf(): Promise<void> { sleep(10); }\n`);
    expect(msgs.some((m) => m.startsWith('@typescript-eslint/no-floating-promises'))).toBe(true);
  });
});
