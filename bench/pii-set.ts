/**
 * The labelled PII set behind `npm run bench:pii` (and a unit test): labels in bench/data/, texts
 * from ../shared/corpus-real (read, never copied) and hand-written sentences. Scoring is per kind:
 * a detection counts when its span equals a gold span and they share a placeholder (the three phone
 * kinds share `[PHONE]`, so a UK number taken for a Chinese landline is still redacted right).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PII_KINDS, PII_PLACEHOLDER, PiiKind, type PiiMatch } from '../ingest/index.js';

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');

const Label = z.tuple([PiiKind, z.string().min(1)]);
export const WrittenSet = z.object({
  about: z.string(),
  items: z.array(z.object({ text: z.string(), pii: z.array(Label), negative: z.string().optional() })),
});
export type WrittenSet = z.infer<typeof WrittenSet>;
export const RealLabels = z.object({
  about: z.string(),
  pii: z.record(z.string(), z.array(Label)),
  negatives: z.record(z.string(), z.array(z.string())),
});
export type RealLabels = z.infer<typeof RealLabels>;

export const loadWrittenSet = (): WrittenSet => WrittenSet.parse(JSON.parse(readFileSync(join(DATA, 'pii-written.json'), 'utf8')));
export const loadRealLabels = (): RealLabels => RealLabels.parse(JSON.parse(readFileSync(join(DATA, 'pii-real-corpus.json'), 'utf8')));

/** One scored text: its gold labels (every occurrence of each string) against what the detector found. */
export interface ScoredText {
  source: string;
  text: string;
  gold: PiiMatch[];
  found: PiiMatch[];
}

/** Every occurrence of each label string in the text, as gold spans; throws when a label is absent (a labelling error). */
export function goldSpans(text: string, labels: Array<[PiiKind, string]>, where: string): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const [kind, s] of labels) {
    let n = 0;
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + s.length)) {
      out.push({ kind, start: i, end: i + s.length });
      n++;
    }
    if (n === 0) throw new Error(`label ${JSON.stringify(s)} (${kind}) not found in ${where}`);
  }
  return out;
}

export interface KindScore {
  kind: PiiKind;
  gold: number;
  found: number;
  /** Gold spans of this kind that were found (under any kind with the same placeholder). */
  recalled: number;
  /** Detections of this kind that equal a gold span. */
  correct: number;
  recall: number;
  precision: number;
}

export interface Score {
  kinds: KindScore[];
  misses: Array<{ source: string; kind: PiiKind; value: string }>;
  falsePositives: Array<{ source: string; kind: PiiKind; value: string; context: string }>;
}

const key = (m: PiiMatch): string => `${PII_PLACEHOLDER[m.kind]}:${m.start}:${m.end}`;

export function score(texts: ScoredText[]): Score {
  const per = new Map(PII_KINDS.map((k) => [k, { gold: 0, found: 0, recalled: 0, correct: 0 }]));
  const misses: Score['misses'] = [];
  const falsePositives: Score['falsePositives'] = [];
  for (const t of texts) {
    const gold = new Set(t.gold.map(key));
    const found = new Set(t.found.map(key));
    for (const g of t.gold) {
      const s = per.get(g.kind);
      if (!s) continue;
      s.gold++;
      if (found.has(key(g))) s.recalled++;
      else misses.push({ source: t.source, kind: g.kind, value: t.text.slice(g.start, g.end) });
    }
    for (const f of t.found) {
      const s = per.get(f.kind);
      if (!s) continue;
      s.found++;
      if (gold.has(key(f))) s.correct++;
      else falsePositives.push({ source: t.source, kind: f.kind, value: t.text.slice(f.start, f.end), context: t.text.slice(Math.max(0, f.start - 12), f.end + 6) });
    }
  }
  const kinds = PII_KINDS.map((kind) => {
    const s = per.get(kind) ?? { gold: 0, found: 0, recalled: 0, correct: 0 };
    return { kind, ...s, recall: s.gold ? s.recalled / s.gold : Number.NaN, precision: s.found ? s.correct / s.found : Number.NaN };
  });
  return { kinds, misses, falsePositives };
}
