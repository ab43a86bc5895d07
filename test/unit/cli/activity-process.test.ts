/** cli/activity-process.ts: what crosses the process boundary keeps its meaning (results, heartbeats, errors, cancellation). */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { deserializeError, liveActivityProcesses, runInChildProcess, serializeError } from '../../../cli/activity-process.js';
import { loadEnv } from '../../../configs/env.js';

const entry = new URL('../../fixtures/activity-process/child.mjs', import.meta.url);
const env = loadEnv({ KGTUNE_HOME: '/tmp/kgtune-activity-process-test' });
const roundTrip = (e: unknown) => deserializeError(serializeError(e), 'trainAdapter');

/** Starts the fixture activity `name` in its process, cancels it once it heartbeats, and returns its CancelledFailure. */
async function cancelledOnceStarted(name: string, graceMs: number): Promise<Error> {
  const ctx = new MockActivityEnvironment();
  const started = new Promise<void>((resolve) => ctx.once('heartbeat', () => resolve()));
  const run = ctx.run(() => runInChildProcess(env, name, [], { entry, cancelGraceMs: { [name]: graceMs } })).catch((e: unknown) => e);
  await started;
  ctx.cancel();
  const err = await run;
  expect(err).toBeInstanceOf(CancelledFailure);
  return err as Error;
}

describe('errors across the process boundary', () => {
  it('a permanent failure stays non-retryable with its type', () => {
    const e = roundTrip(ApplicationFailure.nonRetryable('unknown industry pack "x"', 'ValidationError'));
    expect(e).toBeInstanceOf(ApplicationFailure);
    expect((e as ApplicationFailure).nonRetryable).toBe(true);
    expect((e as ApplicationFailure).type).toBe('ValidationError');
    expect(e.message).toBe('unknown industry pack "x"');
  });

  it('a retryable failure stays retryable; a plain error stays a plain (retryable) error with its name and type', () => {
    const r = roundTrip(ApplicationFailure.retryable('busy', 'Transient'));
    expect((r as ApplicationFailure).nonRetryable).toBe(false);
    const plain = Object.assign(new TypeError('socket hang up'), { type: 'ServiceUnavailable' });
    const e = roundTrip(plain);
    expect(e).not.toBeInstanceOf(ApplicationFailure);
    expect(e.name).toBe('TypeError');
    expect((e as Error & { type?: string }).type).toBe('ServiceUnavailable');
    expect(e.stack).toContain("in the trainAdapter activity's process");
  });

  it('a cancellation stays a cancellation', () => {
    expect(roundTrip(new CancelledFailure('training cancelled; checkpoint saved at /x/checkpoint-5'))).toBeInstanceOf(CancelledFailure);
  });
});

describe('runInChildProcess', () => {
  it('passes args, env and the attempt\'s info in; relays heartbeats and the result out', async () => {
    const ctx = new MockActivityEnvironment({ attempt: 3, heartbeatDetails: { checkpointDir: '/ck/checkpoint-50' } });
    const beats: unknown[] = [];
    ctx.on('heartbeat', (d: unknown) => beats.push(d));
    const out: unknown = await ctx.run(async (): Promise<unknown> => runInChildProcess(env, 'echo', [{ runId: 'r1' }], { entry }));
    const r = out as { args: unknown[]; home: string; map: Map<string, number> };
    expect(r.args).toEqual([{ runId: 'r1' }]);
    expect(r.home).toBe(env.home);
    expect(r.map.get('a')).toBe(1);
    expect(beats).toEqual([{ attempt: 3, resumeFrom: { checkpointDir: '/ck/checkpoint-50' } }]);
    expect(liveActivityProcesses()).toBe(0);
  });

  it('a process that dies without an answer is a retryable error naming the activity', async () => {
    const err = await new MockActivityEnvironment().run(() => runInChildProcess(env, 'crash', [], { entry })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as Error).message).toMatch(/the crash activity's process exited \(code 3\) before it finished/);
  });

  it('a cancellation reaches the process, which stops on its own (training saves its checkpoint)', async () => {
    const err = await cancelledOnceStarted('cooperative', 30_000);
    expect((err as Error).message).toBe('stopped (CANCELLED); checkpoint saved');
  });

  it('a process that ignores the cancellation is killed after the grace period', async () => {
    const err = await cancelledOnceStarted('stubborn', 300);
    expect((err as Error).message).toMatch(/did not stop within 0 s and was killed/);
    expect(liveActivityProcesses()).toBe(0);
  });
});
