/**
 * Reliability of confidences: predictions binned by confidence, each bin's mean confidence beside
 * the share that was right, and the expected calibration error (ECE, the bins' |accuracy −
 * confidence| weighted by their size). A calibrated extractor's 0.9 facts are right 9 times in 10.
 */
/**
 * Below this confidence a typed fact stays in the graph for browsing but never becomes a training
 * pair (synthesis honours it). Chosen on the real-text dev split from the precision-at-threshold
 * curve `npm run bench:graph` prints, with the sample corpus's facts all above it.
 */
export const TRAINING_MIN_CONFIDENCE = 0.75;

export interface Judged {
  confidence: number;
  correct: boolean;
}

export interface ReliabilityRow {
  lo: number;
  hi: number;
  n: number;
  meanConfidence: number;
  accuracy: number;
}

export function reliability(points: Judged[], bins = 5): { rows: ReliabilityRow[]; ece: number } {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer (got ${bins})`);
  const rows: ReliabilityRow[] = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, hi: (i + 1) / bins, n: 0, meanConfidence: 0, accuracy: 0 }));
  for (const p of points) {
    const r = rows[Math.min(bins - 1, Math.max(0, Math.floor(p.confidence * bins)))]!;
    r.n++;
    r.meanConfidence += p.confidence;
    r.accuracy += p.correct ? 1 : 0;
  }
  let ece = 0;
  for (const r of rows) {
    if (r.n === 0) continue;
    r.meanConfidence /= r.n;
    r.accuracy /= r.n;
    ece += (r.n / points.length) * Math.abs(r.accuracy - r.meanConfidence);
  }
  return { rows, ece };
}

export function formatReliability(t: { rows: ReliabilityRow[]; ece: number }, total: number): string {
  const lines = ['confidence bin   facts  mean conf  accuracy'];
  for (const r of t.rows) lines.push(`[${r.lo.toFixed(1)}, ${r.hi.toFixed(1)})${' '.repeat(6)} ${String(r.n).padStart(5)}  ${r.n ? r.meanConfidence.toFixed(2).padStart(9) : '        –'}  ${r.n ? r.accuracy.toFixed(2).padStart(8) : '       –'}`);
  lines.push(`ECE ${t.ece.toFixed(3)} over ${total} facts`);
  return lines.join('\n');
}
