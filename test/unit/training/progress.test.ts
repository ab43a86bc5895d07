import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../../training/progress.js';
import type { TrainingProgress } from '../../../training/contract.js';
import { failureLine } from '../../../workflows/pipeline.js';

describe('progressReporter', () => {
  it('throttles signals, always sends the last step, and estimates the time left from this attempt\'s speed', () => {
    const sent: { id: string; p: TrainingProgress }[] = [];
    let t = 0;
    const report = progressReporter(async (id, p) => { sent.push({ id, p }); }, ['pipe', 'pipe.train'], { minIntervalMs: 5000, now: () => t });
    for (let step = 100; step <= 200; step++) {
      report({ step, totalSteps: 200, loss: 1 / step });
      t += 1000; // 1 s per step
    }
    const toPipe = sent.filter((s) => s.id === 'pipe').map((s) => s.p);
    expect(sent.filter((s) => s.id === 'pipe.train')).toHaveLength(toPipe.length);
    expect(toPipe.length).toBe(21); // steps 100, 105, …, 200 (every 5 s) — not 101 signals
    expect(toPipe[0]).toEqual({ step: 100, total: 200, loss: 0.01, etaSeconds: null });
    expect(toPipe[2]).toMatchObject({ step: 110, etaSeconds: 90 });
    expect(toPipe.at(-1)).toMatchObject({ step: 200, total: 200, etaSeconds: 0 });
  });

  it('a failing signal never throws into training', () => {
    const report = progressReporter(async () => { throw new Error('server gone'); }, ['x']);
    expect(() => report({ step: 1, totalSteps: 2, loss: Number.NaN })).not.toThrow();
  });
});

describe('failureLine', () => {
  it('names the innermost cause, one line', () => {
    const inner = new Error("source folder '/x' does not exist\n    at stack");
    const outer = new Error('Child Workflow execution failed', { cause: new Error('Activity task failed', { cause: inner }) });
    expect(failureLine(outer)).toBe("source folder '/x' does not exist");
    expect(failureLine('x'.repeat(400))).toHaveLength(300);
  });
});
