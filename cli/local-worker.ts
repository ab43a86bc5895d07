import type { Client } from '@temporalio/client';
import type { KgtuneEnv } from '../configs/env.js';
import { TASK_QUEUES } from '../workflows/options.js';
import { createWorkers, type QueueChoice } from './worker.js';

/** True when some worker polls the queue (from the server's view of recent pollers). */
export async function hasPollers(client: Client, taskQueue: string): Promise<boolean> {
  const r = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 });
  return (r.pollers ?? []).length > 0;
}

/** Runs `fn` with an in-process worker for `queue` unless a worker is already polling it. */
export async function withLocalWorker<T>(env: KgtuneEnv, client: Client, queue: QueueChoice, fn: () => Promise<T>): Promise<T> {
  const queues = queue === 'all' ? [TASK_QUEUES.cpu, TASK_QUEUES.gpu] : [TASK_QUEUES[queue]];
  const polled = await Promise.all(queues.map((q) => hasPollers(client, q)));
  if (polled.every(Boolean)) return fn();
  const { workers, close } = await createWorkers(env, queue);
  const running = workers.map((w) => w.run());
  try {
    return await fn();
  } finally {
    for (const w of workers) w.shutdown();
    await Promise.allSettled(running);
    await close();
  }
}
