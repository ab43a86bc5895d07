import { describe, expect, it } from 'vitest';
import { interleavedSource, type BatchSource } from '../../../training/trainer/data.js';

/** A source whose batch k carries its name and k, so the interleaving can be read back. */
function tagged(tag: number, perEpoch: number): BatchSource {
  return { batchesPerEpoch: perEpoch, batch: (k) => ({ inputs: [[tag, k]], targets: [[tag, k]], mask: [[1, 1]], tokens: 2 }) };
}

describe('interleavedSource (general-text replay)', () => {
  it('takes every n-th batch from the replay source, in order, and the rest from the primary, in order', () => {
    const s = interleavedSource(tagged(1, 6), tagged(2, 100), 3);
    const seen = Array.from({ length: 9 }, (_, k) => s.batch(k).inputs[0]);
    expect(seen).toEqual([[1, 0], [1, 1], [2, 0], [1, 2], [1, 3], [2, 1], [1, 4], [1, 5], [2, 2]]);
    expect(Array.from({ length: 6 }, (_, k) => s.batch(k).replay === true)).toEqual([false, false, true, false, false, true]);
    // one pass over the primary (6) plus the replay batches between them (3)
    expect(s.batchesPerEpoch).toBe(9);
  });

  it('is a pure function of k (resume-safe) and refuses a useless interval', () => {
    const s = interleavedSource(tagged(1, 4), tagged(2, 4), 2);
    expect(s.batch(7)).toEqual(s.batch(7));
    expect(() => interleavedSource(tagged(1, 4), tagged(2, 4), 1)).toThrow(/≥ 2/);
  });
});
