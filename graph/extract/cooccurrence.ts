/** Weak RELATED_TO links between entities that share sentences more than chance (normalized PMI). */
import type { SentenceCtx } from './types.js';

export interface CooccurrenceOptions {
  /** Minimum number of sentences the pair must share. */
  minCount: number;
  /** Minimum normalized PMI in [-1, 1]. */
  minNpmi: number;
  /** Evidence sentences kept per pair. */
  maxEvidence: number;
}

export const DEFAULT_COOCCURRENCE: CooccurrenceOptions = { minCount: 2, minNpmi: 0.2, maxEvidence: 3 };

export interface CooccurrencePair {
  a: string;
  b: string;
  count: number;
  npmi: number;
  /** Weak by construction: 0.2 + 0.3 × npmi, so never above 0.5. */
  confidence: number;
  sentences: SentenceCtx[];
}

/** `entitiesOf` gives the entity ids mentioned in a sentence; `linked` says a pair already has a typed fact. */
export function cooccurrencePairs(
  sentences: SentenceCtx[],
  entitiesOf: (s: SentenceCtx) => string[],
  linked: (a: string, b: string) => boolean,
  opts: CooccurrenceOptions = DEFAULT_COOCCURRENCE,
): CooccurrencePair[] {
  const single = new Map<string, number>();
  const pairs = new Map<string, { count: number; sentences: SentenceCtx[] }>();
  let n = 0;
  for (const s of sentences) {
    const ids = [...new Set(entitiesOf(s))].sort();
    if (ids.length === 0) continue;
    n++;
    for (const id of ids) single.set(id, (single.get(id) ?? 0) + 1);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const k = `${ids[i]}\u0000${ids[j]}`;
        const p = pairs.get(k) ?? { count: 0, sentences: [] };
        p.count++;
        if (p.sentences.length < opts.maxEvidence) p.sentences.push(s);
        pairs.set(k, p);
      }
    }
  }
  const out: CooccurrencePair[] = [];
  for (const [k, p] of pairs) {
    const [a, b] = k.split('\u0000') as [string, string];
    if (p.count < opts.minCount || linked(a, b)) continue;
    const pab = p.count / n;
    const pmi = Math.log(pab / (((single.get(a) ?? 1) / n) * ((single.get(b) ?? 1) / n)));
    const npmi = pab >= 1 ? 1 : pmi / -Math.log(pab);
    if (npmi < opts.minNpmi) continue;
    out.push({ a, b, count: p.count, npmi, confidence: Math.round((0.2 + 0.3 * npmi) * 1000) / 1000, sentences: p.sentences });
  }
  return out.sort((x, y) => (x.a + x.b).localeCompare(y.a + y.b));
}
