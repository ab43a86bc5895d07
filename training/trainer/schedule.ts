import type { TrainerConfig } from './config.js';

/** Learning rate at optimizer step `step` (0-based): linear warmup, then cosine to lr·minLrRatio. */
export function learningRate(step: number, c: Pick<TrainerConfig, 'learningRate' | 'warmupSteps' | 'minLrRatio' | 'steps'>): number {
  if (step < c.warmupSteps) return (c.learningRate * (step + 1)) / c.warmupSteps;
  const span = Math.max(1, c.steps - c.warmupSteps);
  const progress = Math.min(1, (step - c.warmupSteps) / span);
  const minLr = c.learningRate * c.minLrRatio;
  return minLr + 0.5 * (c.learningRate - minLr) * (1 + Math.cos(Math.PI * progress));
}
