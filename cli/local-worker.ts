import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { KgtuneEnv } from '../configs/env.js';
import { projectRoot } from '../configs/env.js';
import { TASK_QUEUES } from '../workflows/options.js';
import { createWorkers, type QueueChoice } from './worker.js';

/** True when some worker polls the queue (from the server's view of recent pollers). */
export async function hasPollers(client: Client, taskQueue: string, taskQueueType: 1 | 2 = 1): Promise<boolean> {
  const r = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType });
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

/**
 * Runs `fn` with one worker process per queue (`kgtune worker --queue cpu|gpu`), started unless a
 * worker already polls that queue, and stopped afterwards. Separate processes keep training's
 * compute from stalling workflow tasks, queries and this process's progress display.
 */
export async function withWorkerProcesses<T>(env: KgtuneEnv, client: Client, log: (m: string) => void, fn: () => Promise<T>): Promise<T> {
  const children: ChildProcess[] = [];
  const logDir = path.join(env.home, 'logs');
  mkdirSync(logDir, { recursive: true });
  for (const q of ['cpu', 'gpu'] as const) {
    // Activity pollers (type 2) tell whether a worker serves this queue's activities.
    if (await hasPollers(client, TASK_QUEUES[q], 2)) continue;
    const file = path.join(logDir, `worker-${q}.log`);
    const out = openSync(file, 'a');
    const child = spawn(process.execPath, [path.join(projectRoot(), 'cli', 'bin.mjs'), 'worker', '--queue', q], { stdio: ['ignore', out, out], env: process.env });
    children.push(child);
    log(`started a ${q} worker (pid ${child.pid}, log ${path.relative(process.cwd(), file)})`);
  }
  try {
    const deadline = Date.now() + 120_000;
    for (const q of ['cpu', 'gpu'] as const) {
      while (!(await hasPollers(client, TASK_QUEUES[q], 2))) {
        const dead = children.find((c) => c.exitCode !== null);
        if (dead) throw new Error(`a worker process exited with code ${dead.exitCode}: see ${path.join(logDir, 'worker-*.log')}`);
        if (Date.now() > deadline) throw new Error(`no worker polls ${TASK_QUEUES[q]} after 120 s: see ${path.join(logDir, `worker-${q}.log`)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return await fn();
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  }
}
