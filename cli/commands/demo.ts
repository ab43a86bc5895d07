import path from 'node:path';
import type { KgtuneEnv } from '../../configs/env.js';
import { projectRoot } from '../../configs/env.js';
import { servicesUp } from '../../services/index.js';
import { connectTemporal, stageTimings, startPipeline } from '../../client/index.js';
import { withWorkerProcesses } from '../local-worker.js';
import { parse } from '../main.js';
import { PipelineInput } from '../../configs/pipeline-input.js';
import { REAL_BASE_TRAINING } from '../../training/contract.js';
import { buildInput, describeInput, followPipelineView, printResult, printTimings, uiLink } from './run.js';

interface DemoOptions { 'corpus-dir'?: string; steps?: string; tenant?: string; base?: string }

/** The `kgtune run` arguments of the demo: the sample corpus is a manufacturer's, so the manufacturing pack. */
export function demoRunArgs(values: DemoOptions): string[] {
  const folder = values['corpus-dir'] ?? path.join(projectRoot(), 'examples', 'sample-corpus');
  const runArgs = [folder, '--tenant', values.tenant ?? 'demo', '--domain', 'manufacturing', '--industry', 'manufacturing', '--corpus', 'sample', '--promote', 'staging'];
  if (values.steps) runArgs.push('--steps', values.steps);
  if (values.base) runArgs.push('--base', values.base);
  return runArgs;
}


/** The demo's input: the tiny base's defaults, or REAL_BASE_TRAINING on a real base (--steps still wins). */
export function demoInput(input: PipelineInput, steps: string | undefined): PipelineInput {
  if (input.base === 'tiny') return input;
  return PipelineInput.parse({ ...input, training: { ...input.training, ...REAL_BASE_TRAINING, ...(steps ? { steps: Number(steps) } : {}) } });
}

/**
 * The README's main job: bring the stack up, start a cpu and a gpu worker process (unless workers
 * already poll those queues), run the whole pipeline on the sample corpus (a manufacturer's documents,
 * so with the manufacturing industry pack) and print the evaluation and the registry entry.
 */
export async function demoCommand(args: string[], env: KgtuneEnv): Promise<number> {
  const { values } = parse(args, { 'corpus-dir': { type: 'string' }, steps: { type: 'string' }, tenant: { type: 'string' }, base: { type: 'string' } }, false);
  const t0 = Date.now();
  await servicesUp(env, (m: string) => console.log(m));
  const input = demoInput(buildInput(demoRunArgs(values as DemoOptions)), (values as DemoOptions).steps);
  console.log(describeInput(input));
  const { client, connection } = await connectTemporal(env);
  try {
    await withWorkerProcesses(env, (m) => console.log(m), async () => {
      const { workflowId, attached } = await startPipeline(client, input);
      console.log(`\n${attached ? 'attached to existing' : 'started'} pipeline ${workflowId}\n  watch it in the Web UI: ${uiLink(env, workflowId)}\n`);
      const r = await followPipelineView(client, workflowId);
      printResult(r);
      printTimings(await stageTimings(client, workflowId));
    });
  } finally {
    await connection.close();
  }
  console.log(`\ndemo finished in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return 0;
}
