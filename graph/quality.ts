/** Precision/recall of the extractor against a labelled JSONL set (test/fixtures/graph/labelled.jsonl). */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { IndustryPack } from '../configs/industry-pack.js';
import type { ChunkRecord } from '../ingest/index.js';
import { sha256Hex } from './internal/ids.js';
import { literalKey, nameKey } from './internal/normalize.js';
import type { Extractor } from './extract/types.js';

export const LabelledItem = z.object({
  id: z.string(),
  lang: z.enum(['zh', 'en']),
  text: z.string().min(1),
  triples: z.array(z.object({ s: z.string(), p: z.string(), o: z.string() })),
});
export type LabelledItem = z.infer<typeof LabelledItem>;

export function loadLabelled(file: string): LabelledItem[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => LabelledItem.parse(JSON.parse(l)));
}

export interface Score { tp: number; fp: number; fn: number; precision: number; recall: number }
export interface QualityReport {
  overall: Score;
  byRelation: Record<string, Score>;
  falsePositives: string[];
  misses: string[];
}

const score = (tp: number, fp: number, fn: number): Score => ({ tp, fp, fn, precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1 });

export function labelledChunks(items: LabelledItem[]): ChunkRecord[] {
  const doc = sha256Hex('labelled');
  return items.map((it) => ({ id: it.id, docSha256: doc, page: 1, start: 0, end: it.text.length, text: it.text, lang: it.lang, sentences: [] }));
}

/** Runs the extractor over all items as one corpus; scores typed relations (RELATED_TO and ATTR:* are not labelled). */
export async function evaluateExtractor(extractor: Extractor, items: LabelledItem[], pack: IndustryPack): Promise<QualityReport> {
  const { entities, facts } = await extractor.extract({ tenant: 'quality', chunks: labelledChunks(items), pack });
  const names = new Map(entities.map((e) => [e.id, new Set([e.name, ...e.aliases].map(nameKey))]));
  const counts = new Map<string, [number, number, number]>();
  const bump = (p: string, i: 0 | 1 | 2) => { const c = counts.get(p) ?? [0, 0, 0]; c[i]++; counts.set(p, c); };
  const falsePositives: string[] = [];
  const misses: string[] = [];
  for (const it of items) {
    const predicted = facts.filter((f) => f.predicate !== 'RELATED_TO' && !f.predicate.startsWith('ATTR:') && f.evidence.some((e) => e.chunkId === it.id));
    const used = new Set<string>();
    for (const t of it.triples) {
      const hit = predicted.find((f) => !used.has(f.id) && f.predicate === t.p
        && (names.get(f.subjectId)?.has(nameKey(t.s)) ?? nameKey(f.subject) === nameKey(t.s))
        && (f.objectId ? (names.get(f.objectId)?.has(nameKey(t.o)) ?? false) : literalKey(f.object) === literalKey(t.o)));
      if (hit) { used.add(hit.id); bump(t.p, 0); } else { bump(t.p, 2); misses.push(`${it.id}: ${t.s} ${t.p} ${t.o}`); }
    }
    for (const f of predicted) if (!used.has(f.id)) { bump(f.predicate, 1); falsePositives.push(`${it.id}: ${f.subject} ${f.predicate} ${f.object}`); }
  }
  const byRelation = Object.fromEntries([...counts.entries()].sort().map(([p, [tp, fp, fn]]) => [p, score(tp, fp, fn)]));
  const tot = [...counts.values()].reduce((a, c) => [a[0] + c[0], a[1] + c[1], a[2] + c[2]], [0, 0, 0]);
  return { overall: score(tot[0], tot[1], tot[2]), byRelation, falsePositives, misses };
}
