/**
 * The training stage's contract: zod only, pure (no Node, no tfjs), so workflows may import it.
 */
import { z } from 'zod';

/**
 * Training progress, sent by the training activity (throttled) to its fineTune workflow and to the
 * pipeline, so their `progress` queries show step / total, loss and ETA. Validated on arrival:
 * a malformed payload is ignored.
 */
export const TrainingProgressSchema = z.object({
  step: z.number().int().nonnegative(),
  total: z.number().int().positive(),
  loss: z.number().nullable(),
  /** Seconds left at the current speed; null until a few steps were timed. */
  etaSeconds: z.number().nonnegative().nullable(),
});
export type TrainingProgress = z.infer<typeof TrainingProgressSchema>;
