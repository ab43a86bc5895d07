/**
 * llama.cpp stores the q and k projections of each head with its rows interleaved: GGUF row h·d + 2j + t holds HF
 * row h·d + t·d/2 + j (d = head dim, j < d/2, t ∈ {0, 1}). `toGguf` reorders HF rows into GGUF's order, otherwise
 * back. Undefined when the rows do not split into `heads` heads of even size (the caller names its own error).
 */
export function reorderQkRows(values: Float32Array, rows: number, cols: number, heads: number, toGguf: boolean): Float32Array | undefined {
  const d = rows / heads;
  if (!Number.isInteger(d) || d % 2 !== 0) return undefined;
  const out = new Float32Array(values.length);
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < d / 2; j++) {
      for (let t = 0; t < 2; t++) {
        const gguf = (h * d + 2 * j + t) * cols;
        const hf = (h * d + t * (d / 2) + j) * cols;
        const [src, dst] = toGguf ? [hf, gguf] : [gguf, hf];
        out.set(values.subarray(src, src + cols), dst);
      }
    }
  }
  return out;
}
