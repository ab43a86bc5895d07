import { describe, expect, it } from 'vitest';
import { reliability } from '../../../graph/extract/calibration.js';

describe('reliability table and ECE', () => {
  it('is zero for confidences that match accuracy, and measures overconfidence', () => {
    const calibrated = [...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.9, correct: i < 9 })), ...Array.from({ length: 10 }, (_, i) => ({ confidence: 0.3, correct: i < 3 }))];
    expect(reliability(calibrated).ece).toBeCloseTo(0, 10);
    const over = Array.from({ length: 10 }, (_, i) => ({ confidence: 0.95, correct: i < 5 }));
    const t = reliability(over, 10);
    expect(t.ece).toBeCloseTo(0.45, 10);
    expect(t.rows[9]).toMatchObject({ n: 10, accuracy: 0.5 });
  });

  it('puts confidence 1 in the top bin and rejects a bad bin count', () => {
    expect(reliability([{ confidence: 1, correct: true }], 5).rows[4]!.n).toBe(1);
    expect(() => reliability([], 0)).toThrow(/bins/);
  });
});
