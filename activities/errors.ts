import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { issuesLine, KgtuneError } from '../configs/pure/errors.js';

/**
 * The one mapping from kgtune's errors to Temporal's: a KgtuneError whose thrower said it is not retryable
 * becomes a non-retryable ApplicationFailure typed with its stable code; a stage's zod schema refusing the
 * input is permanent too ('ValidationError'); anything else propagates unchanged so Temporal retries it.
 */
export function classify(e: unknown): unknown {
  if (e instanceof ApplicationFailure || !(e instanceof Error)) return e;
  // A stage module's input schema refused the input: a retry gets the same answer.
  if (e instanceof z.ZodError) {
    return ApplicationFailure.nonRetryable(`invalid input: ${issuesLine(e.issues)}`, 'ValidationError');
  }
  if (e instanceof KgtuneError && !e.retryable) return ApplicationFailure.nonRetryable(e.message, e.code);
  return e;
}

export async function classified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw classify(e);
  }
}
