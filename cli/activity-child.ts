/**
 * One activity in its own process (started by cli/activity-process.ts): builds the GPU activity
 * factories with its own Neo4j driver (connecting only if the activity uses it), runs the asked
 * activity in an activity Context carrying the worker's info for this attempt, relays heartbeats,
 * takes a cancellation, and reports the result or the error (type and retry flag kept), then exits.
 */
import { Worker } from 'node:worker_threads';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Connection } from '@temporalio/client';
import type { Info } from '@temporalio/activity';
import { createGpuActivities } from '../activities/index.js';
import { connectTemporal, neo4jDriver, trainingProgressSender } from '../client/index.js';
import { serializeError, type ChildMessage, type ParentMessage } from './activity-process.js';

/**
 * The worker's death must end this process even while the activity keeps the event loop busy (IPC's
 * "disconnect" only arrives when the loop turns): a thread checks the parent once a second.
 */
function exitWithParent(): void {
  const ppid = process.ppid;
  const watchdog = new Worker(
    `const { workerData } = require('node:worker_threads');
     setInterval(() => { if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL'); }, 1000);`,
    { eval: true, workerData: { ppid, pid: process.pid } },
  );
  watchdog.unref();
  process.on('disconnect', () => process.exit(1));
}

function send(m: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) resolve();
    else process.send(m, undefined, undefined, () => resolve());
  });
}

async function run(m: Extract<ParentMessage, { type: 'run' }>): Promise<void> {
  const driver = neo4jDriver(m.env);
  // Training sends its step/loss/ETA to the workflows as signals: it needs a Temporal connection of its own
  // (the other GPU activities do not). Without one, training goes on and only the live progress is missing.
  const temporal = m.activity === 'trainAdapter' ? await connectTemporal(m.env).then((c) => c.connection, () => undefined) : undefined;
  const activities = createGpuActivities({ driver, env: m.env, temporal: temporal as Connection, ...(temporal ? { sendProgress: trainingProgressSender(temporal, m.env.TEMPORAL_NAMESPACE) } : {}) }) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const fn = activities[m.activity];
  try {
    if (!fn) throw new Error(`no GPU activity named ${m.activity}`);
    const context = new MockActivityEnvironment(m.info as Partial<Info>);
    context.on('heartbeat', (details: unknown) => { void send({ type: 'heartbeat', details }); });
    process.on('message', (c: ParentMessage) => {
      if (c.type === 'cancel') context.cancel(c.reason as never);
    });
    const value = await context.run(fn, ...m.args);
    await send({ type: 'result', value });
  } catch (e) {
    await send({ type: 'error', error: serializeError(e) });
  } finally {
    await driver.close();
    await temporal?.close();
  }
}

// Ctrl-C reaches the whole process group: the worker decides (it cancels the activity, and training saves a checkpoint).
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
exitWithParent();
process.once('message', (m: ParentMessage) => {
  if (m.type !== 'run') return;
  void run(m).finally(() => process.exit(0));
});
