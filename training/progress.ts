import type { TrainingProgress } from './contract.js';

export type SendProgress = (workflowId: string, p: TrainingProgress) => Promise<void>;

/**
 * Turns the trainer's per-step callbacks into throttled `trainingProgress` signals (at most one per
 * `minIntervalMs`, plus the last step), with an ETA from the speed measured in this attempt. Sending
 * is best effort: a failed signal never fails training.
 */
export function progressReporter(send: SendProgress, workflowIds: readonly string[], opts: { minIntervalMs?: number; now?: () => number } = {}): (s: { step: number; totalSteps: number; loss: number }) => void {
  const minInterval = opts.minIntervalMs ?? 5000;
  const now = opts.now ?? Date.now;
  let first: { step: number; at: number } | undefined;
  let lastSent = -Infinity;
  return (s) => {
    const t = now();
    first ??= { step: s.step, at: t };
    const last = s.step >= s.totalSteps;
    if (!last && t - lastSent < minInterval) return;
    lastSent = t;
    const done = s.step - first.step;
    const etaSeconds = done >= 3 ? Math.round(((t - first.at) / 1000 / done) * Math.max(0, s.totalSteps - s.step)) : null;
    const payload: TrainingProgress = { step: Math.max(0, Math.round(s.step)), total: Math.max(1, Math.round(s.totalSteps)), loss: Number.isFinite(s.loss) ? Number(s.loss.toFixed(4)) : null, etaSeconds };
    for (const id of workflowIds) void send(id, payload).catch(() => undefined);
  };
}
