import type { KgtuneEnv } from '../../configs/env.js';
import { UsageError } from '../errors.js';
import { parse } from '../main.js';
import { runWorkers, type QueueChoice } from '../worker.js';

/**
 * `kgtune worker [--queue cpu|gpu|all] [--allow-cpu]`. A worker polling kgtune-gpu names its training device at
 * start; with KGTUNE_TRAIN_BACKEND=tensorflow-gpu and no GPU it refuses to start unless --allow-cpu.
 */
export async function workerCommand(args: string[], env: KgtuneEnv): Promise<void> {
  const { values } = parse(args, { queue: { type: 'string', default: 'all' }, 'allow-cpu': { type: 'boolean', default: false } }, false);
  const queue = values.queue as string;
  if (!['cpu', 'gpu', 'all'].includes(queue)) throw new UsageError(`--queue must be cpu, gpu or all (got '${queue}')`);
  await runWorkers(env, queue as QueueChoice, (m) => console.log(m), { allowCpu: values['allow-cpu'] as boolean });
}
