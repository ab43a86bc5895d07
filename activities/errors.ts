import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';

/**
 * Permanent failures (bad input, bad config) become non-retryable ApplicationFailures with a string
 * type listed in workflows/options.ts NON_RETRYABLE; anything else propagates so Temporal retries it
 * (e.g. Neo4j unavailable, a killed worker).
 */
export function badInput(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, 'BadInput');
}

/** Error classes of the stage layers whose every instance is permanent (bad input or config). */
const PERMANENT_CLASSES = new Set([
  'GraphValidationError', 'InvalidIngestOptionsError', 'SynthesisError', 'ConfigError', 'EvaluationError', 'RegistryError', 'InputError',
  // an unknown or invalid industry pack: configuration, not a passing fault
  'IndustryPackError',
]);
/** Training error types that a retry cannot fix. */
const PERMANENT_TRAINING = new Set(['NonFiniteLoss', 'NonFiniteWeights', 'InvalidModelConfig', 'BackendUnavailable', 'TokenizerError', 'OutOfMemory']);

/** Re-throws `e` as non-retryable when its layer marked it permanent; otherwise unchanged. */
export function classify(e: unknown): unknown {
  if (e instanceof ApplicationFailure || !(e instanceof Error)) return e;
  // A stage module's input schema refused the input: a retry gets the same answer.
  if (e instanceof z.ZodError) {
    return ApplicationFailure.nonRetryable(`invalid input: ${e.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ')}`, 'ValidationError');
  }
  const cls = e.constructor.name;
  const type = (e as { type?: string }).type ?? cls;
  const permanentFlag = (e as { permanent?: boolean }).permanent === true; // e.g. ArtifactStoreError: bucket missing, auth refused
  if (PERMANENT_CLASSES.has(cls) || permanentFlag || (cls === 'TrainingError' && PERMANENT_TRAINING.has(type))) {
    return ApplicationFailure.nonRetryable(`${e.message}`, cls === 'TrainingError' ? 'TrainingDiverged' : 'ValidationError');
  }
  return e;
}

export async function classified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw classify(e);
  }
}
