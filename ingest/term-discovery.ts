import type { DiscoveredTerm } from './model.js';
import { isHan } from './internal/chars.js';
import type { Segmenter } from './segment.js';

export interface DiscoverOptions {
  /** Occurrences a candidate needs (fewer is noise). */
  minFreq?: number;
  minLen?: number;
  maxLen?: number;
  /** Minimum over split points of ln(p(w) / (p(a)·p(b))): how much more often the parts occur together than by chance. */
  minCohesion?: number;
  /** Minimum of left and right neighbour entropy (nats): a word is used in varied contexts. */
  minEntropy?: number;
  /** Only this many Han characters are read (memory bound); the rest is ignored. */
  maxChars?: number;
  maxTerms?: number;
  /** When given, terms it already keeps whole are dropped (only new words are returned). */
  segmenter?: Segmenter;
}

const DEFAULTS = { minFreq: 5, minLen: 2, maxLen: 6, minCohesion: 3, minEntropy: 1, maxChars: 2_000_000, maxTerms: 500 };

/** Function characters that do not start or end a term. */
const EDGE_STOP = new Set([...'的了是在和与及或也都就而之其这那为对把被从以于等我你他她它们着过吗呢吧啊个并且即']);

/** Han runs of the texts, up to maxChars characters in total. */
function hanRuns(texts: string[], maxChars: number): string[] {
  const runs: string[] = [];
  let budget = maxChars;
  for (const t of texts) {
    let s = -1;
    for (let i = 0; i <= t.length && budget > 0; i++) {
      const han = i < t.length && isHan(t.charCodeAt(i));
      if (han && s < 0) s = i;
      else if (!han && s >= 0) {
        const run = t.slice(s, Math.min(i, s + budget));
        runs.push(run);
        budget -= run.length;
        s = -1;
      }
    }
    if (budget <= 0) break;
  }
  return runs;
}

function entropy(counts: Map<string, number>, boundary: number): number {
  let total = boundary;
  for (const c of counts.values()) total += c;
  if (total === 0) return 0;
  let h = 0;
  for (const c of counts.values()) h -= (c / total) * Math.log(c / total);
  // each run edge counts as a distinct neighbour
  if (boundary > 0) h -= boundary * (1 / total) * Math.log(1 / total);
  return h;
}

/**
 * New-word discovery over Han character n-grams: candidates that are frequent, cohesive (high
 * minimum PMI over their split points) and free (high left and right neighbour entropy).
 * Counting is level-wise (an n-gram is counted only when both its (n-1)-grams are frequent), so
 * memory follows the frequent n-grams, not all of them.
 */
export function discoverTerms(texts: string[], options: DiscoverOptions = {}): DiscoveredTerm[] {
  const o = { ...DEFAULTS, ...options };
  const runs = hanRuns(texts, o.maxChars);
  const counts = new Map<string, number>();
  let n1 = 0;
  for (const r of runs) {
    for (const ch of r) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    n1 += r.length;
  }
  if (n1 === 0) return [];
  const frequent = (g: string): boolean => (counts.get(g) ?? 0) >= o.minFreq;
  for (let n = 2; n <= o.maxLen; n++) {
    const level = new Map<string, number>();
    for (const r of runs) {
      for (let i = 0; i + n <= r.length; i++) {
        if (!frequent(r.slice(i, i + n - 1)) || !frequent(r.slice(i + 1, i + n))) continue;
        const g = r.slice(i, i + n);
        level.set(g, (level.get(g) ?? 0) + 1);
      }
    }
    let any = false;
    for (const [g, c] of level) {
      if (c >= o.minFreq) {
        counts.set(g, c);
        any = true;
      }
    }
    if (!any) break;
  }
  // neighbours of the candidates
  const left = new Map<string, Map<string, number>>();
  const right = new Map<string, Map<string, number>>();
  const leftEdge = new Map<string, number>();
  const rightEdge = new Map<string, number>();
  for (const r of runs) {
    for (let n = Math.max(2, o.minLen); n <= o.maxLen; n++) {
      for (let i = 0; i + n <= r.length; i++) {
        const g = r.slice(i, i + n);
        if (!frequent(g)) continue;
        if (i === 0) leftEdge.set(g, (leftEdge.get(g) ?? 0) + 1);
        else bump(left, g, r[i - 1] as string);
        if (i + n === r.length) rightEdge.set(g, (rightEdge.get(g) ?? 0) + 1);
        else bump(right, g, r[i + n] as string);
      }
    }
  }
  const out: DiscoveredTerm[] = [];
  for (const [g, c] of counts) {
    if (g.length < Math.max(2, o.minLen) || c < o.minFreq) continue;
    if (EDGE_STOP.has(g[0] as string) || EDGE_STOP.has(g[g.length - 1] as string)) continue;
    if (new Set(g).size === 1) continue;
    let cohesion = Infinity;
    for (let k = 1; k < g.length; k++) {
      const a = counts.get(g.slice(0, k)) ?? 1;
      const b = counts.get(g.slice(k)) ?? 1;
      cohesion = Math.min(cohesion, Math.log((c * n1) / (a * b)));
    }
    if (cohesion < o.minCohesion) continue;
    const hl = entropy(left.get(g) ?? new Map(), leftEdge.get(g) ?? 0);
    const hr = entropy(right.get(g) ?? new Map(), rightEdge.get(g) ?? 0);
    const free = Math.min(hl, hr);
    if (free < o.minEntropy) continue;
    if (o.segmenter && o.segmenter.cut(g, false).length === 1) continue;
    out.push({ term: g, freq: c, score: Math.round(cohesion * free * Math.log1p(c) * 1000) / 1000 });
  }
  out.sort((a, b) => b.score - a.score || b.freq - a.freq);
  return out.slice(0, o.maxTerms);
}

function bump(m: Map<string, Map<string, number>>, g: string, ch: string): void {
  let inner = m.get(g);
  if (!inner) m.set(g, (inner = new Map()));
  inner.set(ch, (inner.get(ch) ?? 0) + 1);
}
