// Deterministic token batches for the training benches (speed and memory only: the numbers mean nothing).
import type { BatchSource } from '../training/index.js';

/** B rows of T tokens (next-token targets), ids in [6, vocab - 4), the same for the same step index. */
export function syntheticBatches(B: number, T: number, vocab: number): BatchSource {
  const row = (k: number, b: number) => Array.from({ length: T + 1 }, (_, i) => ((k * 31 + b * 7 + i * 13) % (vocab - 10)) + 6);
  return {
    batchesPerEpoch: 1000,
    batch(k) {
      const rows = Array.from({ length: B }, (_, b) => row(k, b));
      return { inputs: rows.map((r) => r.slice(0, T)), targets: rows.map((r) => r.slice(1)), mask: rows.map(() => Array<number>(T).fill(1)), tokens: B * T };
    },
  };
}
