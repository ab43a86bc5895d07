import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { KgtuneEnv } from '../configs/env.js';
import { processEnv, projectRoot } from '../configs/env.js';
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
 * Runs `fn` with one worker process per queue (`kgtune worker --queue cpu|gpu`), stopped afterwards.
 * Separate processes keep training's compute from stalling workflow tasks, queries and this process's
 * progress display. They are always started (more workers on a queue share its load): the server's
 * list of pollers still shows recently killed workers for minutes, so it cannot tell whether one runs.
 */
export async function withWorkerProcesses<T>(env: KgtuneEnv, log: (m: string) => void, fn: () => Promise<T>): Promise<T> {
  const children: ChildProcess[] = [];
  const logDir = path.join(env.home, 'logs');
  mkdirSync(logDir, { recursive: true });
  try {
    const ready = (['cpu', 'gpu'] as const).map((q) => {
      const file = path.join(logDir, `worker-${q}.log`);
      const out = createWriteStream(file, { flags: 'a' });
      const child = spawn(process.execPath, [path.join(projectRoot(), 'cli', 'bin.mjs'), 'worker', '--queue', q], { stdio: ['ignore', 'pipe', 'pipe'], env: processEnv() });
      children.push(child);
      child.stderr?.pipe(out);
      log(`started a ${q} worker (pid ${child.pid}, log ${path.relative(process.cwd(), file)})`);
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the ${q} worker did not start polling within 120 s: see ${file}`)), 120_000);
        child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the ${q} worker exited with code ${code}: see ${file}`)); });
        let seen = '';
        child.stdout?.on('data', (d: Buffer) => {
          out.write(d);
          seen += d.toString();
          if (seen.includes('worker polling')) { clearTimeout(timer); resolve(); }
        });
      });
    });
    await Promise.all(ready);
    return await fn();
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  }
}
