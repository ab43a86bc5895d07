/**
 * Gold files: bench/real-text/gold/<doc-id>.jsonl, one record a line (see GUIDELINE.md):
 * an entity (name, type, aliases), a relation fact (s, p, o) or an attribute fact (s, attr, value,
 * unit, period). Facts carry evidence as page + a short verbatim quote of kgtune's ingested page text.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REAL_TEXT_DIR } from './corpus.js';

export const ENTITY_TYPES = ['Organization', 'Person', 'Product', 'Location', 'Event', 'Concept', 'Regulation', 'Certification', 'Part'] as const;

export const GoldEntity = z.object({
  entity: z.string().min(1),
  type: z.enum(ENTITY_TYPES),
  aliases: z.array(z.string().min(1)).default([]),
}).strict();
export type GoldEntity = z.infer<typeof GoldEntity>;

const Evidence = {
  page: z.number().int().positive(),
  /** Verbatim from the ingested page text, ≤ 60 characters. */
  quote: z.string().min(2).max(60),
};

export const GoldRelation = z.object({
  s: z.string().min(1),
  p: z.string().regex(/^[A-Z][A-Z_]+$/),
  o: z.string().min(1),
  /** HAS_ROLE only: the exact title as stated (副总裁 ≠ 总裁 ≠ CEO). */
  role: z.string().optional(),
  ...Evidence,
}).strict();
export type GoldRelation = z.infer<typeof GoldRelation>;

export const GoldAttribute = z.object({
  s: z.string().min(1),
  /** The attribute as the document names it (营业收入, Net profit, 建筑面积 …). */
  attr: z.string().min(1),
  /** Numbers are JSON numbers in the stated unit (no scaling); text values are strings. */
  value: z.union([z.number(), z.string().min(1)]),
  unit: z.string().optional(),
  /** The period or date the value belongs to: 2025Q1, 2025-03-31, 2021-22, FY2019 … */
  period: z.string().optional(),
  ...Evidence,
}).strict();
export type GoldAttribute = z.infer<typeof GoldAttribute>;

export const GoldLine = z.union([GoldEntity, GoldRelation, GoldAttribute]);

export interface GoldDoc {
  id: string;
  entities: GoldEntity[];
  relations: GoldRelation[];
  attributes: GoldAttribute[];
}

export const goldFile = (id: string) => path.join(REAL_TEXT_DIR, 'gold', `${id}.jsonl`);

/** Reads and validates one gold file; an error names the file and line. */
export function loadGold(id: string, file = goldFile(id)): GoldDoc {
  const doc: GoldDoc = { id, entities: [], relations: [], attributes: [] };
  if (!existsSync(file)) return doc;
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = GoldLine.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${path.basename(file)}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
    const r = parsed.data;
    if ('entity' in r) doc.entities.push(r);
    else if ('p' in r) doc.relations.push(r);
    else doc.attributes.push(r);
  });
  return doc;
}

/** Quotes that are not found on their page of the ingested text (the gold must align with ingest). */
export function misalignedQuotes(gold: GoldDoc, pages: string[]): string[] {
  return [...gold.relations, ...gold.attributes]
    .filter((f) => !(pages[f.page - 1] ?? '').includes(f.quote))
    .map((f) => `${gold.id} p${f.page}: "${f.quote}"`);
}

/** A gold fact's evidence as offsets into its page of the ingested text (first occurrence of the quote). */
export function evidenceSpan(fact: GoldRelation | GoldAttribute, pages: string[]): { page: number; start: number; end: number } | undefined {
  const start = (pages[fact.page - 1] ?? '').indexOf(fact.quote);
  return start < 0 ? undefined : { page: fact.page, start, end: start + fact.quote.length };
}
