/**
 * Training pairs resting on a wrong fact (issue 14): the split's extracted graph goes through the
 * real synthesis stage, 100 non-refusal pairs whose facts all lie on labelled pages are sampled
 * (seeded), and a pair is wrong when any fact it is built from is wrong by the gold matcher
 * (each fact judged alone, score.ts `judgeFacts`).
 */
import { mulberry32 } from '../../configs/pure/prng.js';
import { synthesize } from '../../synthesis/index.js';
import { judgeFacts, type SplitReport } from './score.js';

export interface PairCheck {
  /** Synthesized non-refusal pairs built only from facts on labelled pages. */
  eligible: number;
  sampled: number;
  wrong: number;
  examples: string[];
}

export function wrongFactPairs(r: SplitReport, opts: { minFactConfidence?: number; sample?: number; seed?: number } = {}): PairCheck {
  const judged = judgeFacts(r);
  const snapshot = { snapshotId: `real-text-${r.split}`, tenant: 'real-text', corpus: r.split, entities: r.extraction.entities, facts: r.extraction.facts };
  const hasTyped = snapshot.facts.some((f) => f.predicate !== 'RELATED_TO' && f.confidence >= (opts.minFactConfidence ?? 0));
  if (!hasTyped) return { eligible: 0, sampled: 0, wrong: 0, examples: [] };
  const ds = synthesize(snapshot, { seed: opts.seed ?? 14, targetSize: 2000, ...(opts.minFactConfidence !== undefined ? { minFactConfidence: opts.minFactConfidence } : {}) });
  const eligible = ds.examples.filter((e) => e.type !== 'refusal' && e.factIds.length > 0 && e.factIds.every((id) => judged.has(id)));
  const rnd = mulberry32(opts.seed ?? 14);
  const pool = [...eligible];
  const picked = [];
  while (picked.length < (opts.sample ?? 100) && pool.length > 0) picked.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]!);
  const wrong = picked.filter((e) => e.factIds.some((id) => !judged.get(id)!.correct));
  return { eligible: eligible.length, sampled: picked.length, wrong: wrong.length, examples: wrong.slice(0, 3).map((e) => `${e.instruction} → ${e.output}`) };
}

export function formatPairCheck(label: string, c: PairCheck): string {
  if (c.sampled === 0) return `training pairs resting on a wrong fact (${label}): – (no pair built from labelled pages)`;
  return `training pairs resting on a wrong fact (${label}): ${(c.wrong / c.sampled).toFixed(2)} (${c.wrong}/${c.sampled} sampled of ${c.eligible} non-refusal pairs from labelled pages)`;
}
