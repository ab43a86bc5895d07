/**
 * The base of kgtune's typed errors. Whoever throws decides, once, whether a retry of the same call can
 * succeed (`retryable`, as neo4j-driver's `retriable`); `code` is stable and machine-readable. Activities map it
 * to a Temporal failure in one place (activities/errors.ts). Pure: workflows may throw it too.
 */
export abstract class KgtuneError extends Error {
  /** Stable, machine-readable: the Temporal failure's type when the error is permanent. */
  abstract get code(): string;
  /** False: the same call fails the same way (bad input, bad config, corrupt file); true: a retry may succeed. */
  abstract get retryable(): boolean;
}

/** Turns any error into one line for a person: what happened (and, when known, what to do). */
export function oneLine(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: string; hint?: string; cause?: unknown; details?: unknown };
    let msg = (e.message ?? String(err)).split('\n')[0] ?? String(err);
    const cause = e.cause as { message?: string } | undefined;
    if (msg.includes('Workflow execution failed') || msg.includes('Child Workflow execution failed') || msg.includes('Activity task failed')) {
      let c: unknown = cause;
      while (c && typeof c === 'object' && (c as { cause?: unknown }).cause) c = (c as { cause?: unknown }).cause;
      const inner = (c as { message?: string } | undefined)?.message;
      if (inner) msg = inner.split('\n')[0] ?? inner;
    }
    return e.hint ? `${msg} — ${e.hint}` : msg;
  }
  return String(err);
}

/** A schema failure's issues in one line: `training.rank: Too small; name: Required` (zod's, structurally). */
export function issuesLine(issues: readonly { path: readonly PropertyKey[]; message: string }[], whole = '(input)'): string {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : whole}: ${i.message}`).join('; ');
}

/**
 * The base of an error whose every instance is permanent and has one code: `class InputError extends
 * PermanentError('ValidationError') {}`. `type` is the code (the string the Temporal failure carries).
 */
export function PermanentError<C extends string>(code: C) {
  return class extends KgtuneError {
    readonly type: C = code;
    get code(): C { return code; }
    get retryable(): boolean { return false; }
  };
}
