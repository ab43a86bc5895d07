import path from 'node:path';
import type { KgtuneEnv } from '../../configs/env.js';
import { projectRoot } from '../../configs/env.js';
import { servicesUp } from '../../services/index.js';
import { connectTemporal } from '../connect.js';
import { withWorkerProcesses } from '../local-worker.js';
import { parse } from '../main.js';
import { buildInput, followPipeline, printResult, printTimings, stageTimings, startPipeline, uiLink } from './run.js';

/**
 * The README's main job: bring the stack up, start a cpu and a gpu worker process (unless workers
 * already poll those queues), run the whole pipeline on the sample corpus and print the evaluation
 * and the registry entry.
 */
export async function demoCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const { values } = parse(args, { 'corpus-dir': { type: 'string' }, steps: { type: 'string' }, tenant: { type: 'string' }, base: { type: 'string' } }, false);
  const t0 = Date.now();
  await servicesUp(env, (m: string) => console.log(m));
  const folder = (values['corpus-dir'] as string | undefined) ?? path.join(projectRoot(), 'examples', 'sample-corpus');
  const runArgs = [folder, '--tenant', (values.tenant as string | undefined) ?? 'demo', '--domain', 'manufacturing', '--corpus', 'sample', '--promote', 'staging'];
  if (values.steps) runArgs.push('--steps', values.steps as string);
  if (values.base) runArgs.push('--base', values.base as string);
  const input = buildInput(runArgs);
  const { client, connection } = await connectTemporal(env);
  try {
    await withWorkerProcesses(env, (m) => console.log(m), async () => {
      const { workflowId, attached } = await startPipeline(client, input);
      console.log(`\n${attached ? 'attached to existing' : 'started'} pipeline ${workflowId}\n  watch it in the Web UI: ${uiLink(env, workflowId)}\n`);
      const r = await followPipeline(client, workflowId);
      printResult(r);
      printTimings(await stageTimings(client, workflowId));
    });
  } finally {
    await connection.close();
  }
  console.log(`\ndemo finished in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return 0;
}
