/**
 * Runs CPU-heavy activities (training, evaluation) in a child process per activity, so the worker's
 * event loop stays free for workflow tasks, queries and heartbeats. Training and generation with
 * tfjs run for minutes without yielding; in the worker's own thread they stalled every workflow on
 * the same worker ("Workflow task duration exceeded", unanswered queries — issue 13).
 *
 * The child (cli/activity-child.ts) builds the same activity factories and runs the activity in an
 * activity Context carrying this attempt's info (attempt, heartbeat details to resume from). Its
 * heartbeats are relayed to this activity's Context; a cancellation is passed on (training saves a
 * checkpoint and stops) and the child is killed if it has not stopped after a grace period; errors
 * come back with their type and retry flag, so retry classification is the same as in-process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { KgtuneEnv } from '../configs/env.js';

/** Messages child → parent. */
export type ChildMessage =
  | { type: 'heartbeat'; details: unknown }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: SerializedError };

/** Messages parent → child. */
export type ParentMessage =
  | { type: 'run'; activity: string; args: unknown[]; info: Record<string, unknown>; env: KgtuneEnv }
  | { type: 'cancel'; reason: string };

export type SerializedError =
  | { kind: 'application'; message: string; type: string | null; nonRetryable: boolean; stack?: string }
  | { kind: 'cancelled'; message: string }
  | { kind: 'error'; name: string; message: string; type?: string; stack?: string };

/** Turns an error of the child into one that crosses the process boundary unchanged in meaning. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof ApplicationFailure) return { kind: 'application', message: e.message, type: e.type ?? null, nonRetryable: e.nonRetryable === true, stack: e.stack };
  if (e instanceof CancelledFailure) return { kind: 'cancelled', message: e.message };
  if (e instanceof Error) {
    const type = (e as Error & { type?: unknown }).type;
    return { kind: 'error', name: e.name, message: e.message, stack: e.stack, ...(typeof type === 'string' ? { type } : {}) };
  }
  return { kind: 'error', name: 'Error', message: String(e) };
}

/** The error the activity throws in the worker: same type, same retry flag (plain errors stay retryable). */
export function deserializeError(s: SerializedError, activity: string): Error {
  if (s.kind === 'application') {
    const f = ApplicationFailure.create({ message: s.message, nonRetryable: s.nonRetryable, ...(s.type === null ? {} : { type: s.type }) });
    if (s.stack) f.stack = s.stack;
    return f;
  }
  if (s.kind === 'cancelled') return new CancelledFailure(s.message);
  const e = new Error(s.message);
  e.name = s.name;
  if (s.type !== undefined) (e as Error & { type?: string }).type = s.type;
  e.stack = `${s.name}: ${s.message}\n    (in the ${activity} activity's process)${s.stack ? `\n${s.stack.split('\n').slice(1).join('\n')}` : ''}`;
  return e;
}

export interface ActivityProcessOptions {
  /** How long a cancelled activity may take to stop (training saves a checkpoint) before its process is killed. */
  cancelGraceMs?: Partial<Record<string, number>>;
  /** The child's entry (tests may point elsewhere). */
  entry?: URL;
}

const ENTRY = new URL('./activity-child.mjs', import.meta.url);
/** Training saves a checkpoint when cancelled (seconds); the rest have nothing to save. */
const DEFAULT_GRACE: Record<string, number> = { trainAdapter: 120_000 };
const OTHER_GRACE_MS = 5_000;

/** Child processes still running, so a worker shutting down can see none is left behind. */
const live = new Set<ChildProcess>();
export function liveActivityProcesses(): number {
  return live.size;
}

/** Runs one activity of the GPU factory in a fresh child process; call from inside an activity. */
export async function runInChildProcess(env: KgtuneEnv, activity: string, args: unknown[], opts: ActivityProcessOptions = {}): Promise<unknown> {
  const ctx = Context.current();
  const grace = opts.cancelGraceMs?.[activity] ?? DEFAULT_GRACE[activity] ?? OTHER_GRACE_MS;
  const child = fork(opts.entry ?? ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced', execArgv: [] });
  live.add(child);
  let outcome: { ok: true; value: unknown } | { ok: false; error: Error } | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const onCancel = (): void => {
    // the signal's reason is a CancelledFailure whose message is the cancellation type (CANCELLED, WORKER_SHUTDOWN …)
    const why: unknown = ctx.cancellationSignal.reason;
    const reason = why instanceof Error ? why.message : String(why ?? 'CANCELLED');
    if (child.connected) child.send({ type: 'cancel', reason } satisfies ParentMessage);
    killTimer ??= setTimeout(() => {
      outcome ??= { ok: false, error: new CancelledFailure(`${activity} cancelled (${reason}); its process did not stop within ${Math.round(grace / 1000)} s and was killed`) };
      child.kill('SIGKILL');
    }, grace);
  };
  try {
    return await new Promise<unknown>((resolve, reject) => {
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'heartbeat') ctx.heartbeat(m.details);
        else if (m.type === 'result') outcome ??= { ok: true, value: m.value };
        else if (m.type === 'error') outcome ??= { ok: false, error: deserializeError(m.error, activity) };
      });
      child.on('error', (e) => { outcome ??= { ok: false, error: e }; });
      child.on('exit', (code, signal) => {
        if (outcome?.ok) resolve(outcome.value);
        else reject(outcome?.error ?? new Error(`the ${activity} activity's process exited (${signal ?? `code ${code}`}) before it finished`));
      });
      child.send({ type: 'run', activity, args, info: { ...ctx.info }, env } satisfies ParentMessage);
      if (ctx.cancellationSignal.aborted) onCancel();
      else ctx.cancellationSignal.addEventListener('abort', onCancel, { once: true });
    });
  } finally {
    ctx.cancellationSignal.removeEventListener('abort', onCancel);
    if (killTimer) clearTimeout(killTimer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    live.delete(child);
  }
}

/** The same activities, each call run in its own child process (see the file comment). */
export function inChildProcesses<T extends object>(env: KgtuneEnv, activities: T, opts: ActivityProcessOptions = {}): T {
  const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(activities)) {
    out[name] = { [name]: async (...args: unknown[]) => runInChildProcess(env, name, args, opts) }[name]!;
  }
  return out as T;
}
