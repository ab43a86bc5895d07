/**
 * Matching predicted entities and facts against one document's gold (GUIDELINE.md §7). Pure: no
 * I/O, no extractor — score.ts feeds it, test/unit/bench/real-text-match.test.ts checks it.
 */
import { literalKey, nameKey } from '../../graph/index.js';
import type { GoldAttribute, GoldDoc, GoldEntity, GoldRelation } from './gold.js';

export interface PredEntity { name: string; type: string; aliases: string[] }
export interface PredFact { subject: string; predicate: string; object: string; literal: boolean; objectType: string }
export interface Counts { tp: number; fp: number; fn: number }

export interface DocScore {
  relations: Record<string, Counts>;
  attributes: Counts;
  /** Predicted literal facts whose subject and attribute name match a gold attribute, and how many of them have the right value. */
  numbers: { matched: number; correct: number };
  entities: { predicted: number; matched: number; typeCorrect: number; junk: number; unlabelled: number };
  falsePositives: string[];
  /**
   * False-positive literal facts whose value is printed on the labelled pages and whose subject is a
   * gold entity: table rows the gold does not label (GUIDELINE §6), not shown wrong. Precision
   * without them is an upper bound; the official figure counts them as false positives.
   */
  unlabelledRows: number;
  misses: string[];
  junk: string[];
  unlabelled: string[];
}

export const isTyped = (f: PredFact): boolean => f.predicate !== 'RELATED_TO';

/** Gold names (entity name and aliases) by nameKey. */
export function goldIndex(entities: GoldEntity[]): Map<string, GoldEntity> {
  const m = new Map<string, GoldEntity>();
  for (const e of entities) for (const n of [e.entity, ...e.aliases]) if (nameKey(n)) m.set(nameKey(n), e);
  return m;
}

/** The gold entity a predicted name (or any of its aliases) denotes. */
export function resolveName(index: Map<string, GoldEntity>, ...names: string[]): GoldEntity | undefined {
  for (const n of names) {
    const g = index.get(nameKey(n));
    if (g) return g;
  }
  return undefined;
}

const SCALE: Array<[RegExp, number]> = [[/亿/u, 1e8], [/百万/u, 1e6], [/万/u, 1e4], [/\bbillion\b/i, 1e9], [/\bmillion\b/i, 1e6], [/\bcrore\b/i, 1e7], [/千/u, 1e3]];
const scaleOf = (s: string | undefined): number => SCALE.find(([re]) => re.test(s ?? ''))?.[1] ?? 1;

/** Numbers written in a value string: thousands separators and (…) negatives understood. */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.normalize('NFKC').matchAll(/(\()?([-+−]?)(\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)(\))?/gu)) {
    const v = Number(m[3]!.replace(/,/g, ''));
    out.push((m[2] === '-' || m[2] === '−' || (m[1] && m[4])) ? -v : v);
  }
  return out;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A date in the text as YYYY[-MM[-DD]] (ISO, 2025年3月11日, 2017.02.09, March 28, 2022, 29th August, 2022). */
export function dateIn(text: string): string | undefined {
  const t = text.normalize('NFKC');
  const pad = (n: string) => n.padStart(2, '0');
  let m = /((?:1[89]|20)\d{2})\s*[-./年]\s*(\d{1,2})(?:\s*[-./月]\s*(\d{1,2}))?/u.exec(t);
  if (m) return [m[1], pad(m[2]!), ...(m[3] ? [pad(m[3])] : [])].join('-');
  m = /(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?,?\s+(?:(\d{1,2}),?\s+)?((?:1[89]|20)\d{2})/u.exec(t);
  const mon = m ? MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) : -1;
  if (m && mon >= 0) return [m[4], pad(String(mon + 1)), ...(m[1] ?? m[3] ? [pad((m[1] ?? m[3])!)] : [])].join('-');
  return undefined;
}

/** Whether a predicted literal is the gold value (numbers with their scale, dates, or normalised text). */
export function valueMatches(predicted: string, gold: GoldAttribute): boolean {
  if (typeof gold.value === 'number') {
    const want = gold.value;
    const wantScaled = want * scaleOf(gold.unit);
    const ps = scaleOf(predicted);
    return numbersIn(predicted).some((n) => Math.abs(n - want) <= 1e-9 * Math.max(1, Math.abs(want)) || Math.abs(n * ps - wantScaled) <= 1e-6 * Math.max(1, Math.abs(wantScaled)));
  }
  if (/^\d{4}-\d{2}(?:-\d{2})?$/.test(gold.value)) return dateIn(predicted) === gold.value;
  const p = literalKey(predicted);
  const g = literalKey(gold.value);
  return p === g || (g.length >= 2 && p.includes(g)) || (p.length >= 2 && g.includes(p));
}

/** Whether an attribute name (ATTR key or relation with its surface labels) names the gold attribute. */
export function attributeNameMatches(labels: string[], gold: GoldAttribute): boolean {
  const g = nameKey(gold.attr);
  return labels.map(nameKey).filter((l) => l.length >= 2).some((l) => g.includes(l) || l.includes(g));
}

const ZH_FUNCTION = /^[的了于在是及和与等为将对其该本所]|[的了于在是及和与等为将对其该所]$/u;
const EN_FUNCTION = /^(?:the|of|and|in|for|to|a|an|by|with)\b|\b(?:the|of|and|in|for|to|a|an|by|with)$/i;
const ZH_GENERIC_HEAD = /(?:期|表|额|率|费用|资产|负债|收入|利润|公告|情况|项目|报告|方面|问题|内容|部分|说明|事项|工作|人员|负责人)$/u;
const ZH_ORG_SUFFIX = /(?:公司|集团|银行|大学|学院|局|院|所|会|中心|部|厅|委员会|基金|交易所)$/u;
const HAN = /\p{Script=Han}/u;

/**
 * A name inside a longer gold name: every occurrence of it in the labelled text lies inside an
 * occurrence of a gold name that contains it (中国 in 中国工商银行… only; whitespace ignored, as
 * table cells wrap names); when the name is not found, its nameKey being part of a longer gold key decides.
 */
export function isFragment(rawName: string, goldNames: string[], rawText = ''): boolean {
  const squeeze = (x: string) => x.replace(/\s+/gu, '');
  const name = squeeze(rawName);
  const text = squeeze(rawText);
  const longer = goldNames.map(squeeze).filter((g) => g !== name && g.includes(name));
  const k = nameKey(name);
  if (!name || !text.includes(name)) return goldNames.some((g) => nameKey(g) !== k && nameKey(g).includes(k));
  if (longer.length === 0) return false;
  const covered: Array<[number, number]> = [];
  for (const g of longer) for (let i = text.indexOf(g); i >= 0; i = text.indexOf(g, i + 1)) covered.push([i, i + g.length]);
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if (!covered.some(([s, e]) => s <= i && i + name.length <= e)) return false;
  }
  return true;
}

/** The operational junk test of GUIDELINE.md §7 for a predicted entity that matches no gold entity. */
export function junkReason(name: string, goldNames: string[], text = ''): string | undefined {
  const k = nameKey(name);
  if (!k) return 'empty';
  if (/^[\d\s.,%:/年月日号+−-]+$/u.test(name.normalize('NFKC'))) return 'number';
  if (isFragment(name, goldNames, text)) return 'fragment';
  if (HAN.test(name)) {
    const han = [...name].filter((c) => HAN.test(c)).length;
    if (han <= 1 || name.length > 25) return 'length';
    if (ZH_FUNCTION.test(name.trim())) return 'function-word';
    if (ZH_GENERIC_HEAD.test(name.trim()) && !ZH_ORG_SUFFIX.test(name.trim())) return 'generic';
    return undefined;
  }
  if (/[;!?。；！？:：\n]/u.test(name)) return 'punctuation';
  if (EN_FUNCTION.test(name.trim())) return 'function-word';
  if (!/[A-Z]/.test(name)) return 'generic';
  return undefined;
}

/**
 * Scores one document. `facts` and `entities` are the predictions already restricted to the
 * document's labelled pages; `labelsOf(predicate)` gives an attribute's names (ATTR key and its
 * zh/en labels, or a literal relation's names) for the number-accuracy check; `text` is the
 * labelled pages' ingested text (for the fragment test).
 */
export function scoreDoc(gold: GoldDoc, entities: PredEntity[], facts: PredFact[], labelsOf: (predicate: string) => string[], text = ''): DocScore {
  const index = goldIndex(gold.entities);
  const goldNames = gold.entities.flatMap((e) => [e.entity, ...e.aliases]);
  const byName = new Map(entities.flatMap((e) => [e.name, ...e.aliases].map((n) => [nameKey(n), e] as const)));
  const resolve = (n: string) => { const e = byName.get(nameKey(n)); return resolveName(index, n, ...(e ? [e.name, ...e.aliases] : [])); };
  const goldOf = (n: string) => index.get(nameKey(n));
  const out: DocScore = {
    relations: {}, attributes: { tp: 0, fp: 0, fn: 0 }, numbers: { matched: 0, correct: 0 },
    entities: { predicted: entities.length, matched: 0, typeCorrect: 0, junk: 0, unlabelled: 0 }, falsePositives: [], unlabelledRows: 0, misses: [], junk: [], unlabelled: [],
  };
  const rel = (p: string) => (out.relations[p] ??= { tp: 0, fp: 0, fn: 0 });
  const squeezed = text.replace(/\s+/gu, '');
  const usedRel = new Set<GoldRelation>();
  const usedAttr = new Set<GoldAttribute>();
  for (const f of facts.filter(isTyped)) {
    const s = resolve(f.subject);
    if (!f.literal) {
      const o = resolve(f.object);
      const hit = gold.relations.find((g) => !usedRel.has(g) && g.p === f.predicate && s && o && goldOf(g.s) === s && goldOf(g.o) === o);
      if (hit) { usedRel.add(hit); rel(f.predicate).tp++; } else { rel(f.predicate).fp++; out.falsePositives.push(`${f.subject} ${f.predicate} ${f.object}`); }
      continue;
    }
    const labels = labelsOf(f.predicate);
    const named = s ? gold.attributes.filter((g) => goldOf(g.s) === s && attributeNameMatches(labels, g)) : [];
    if (named.length > 0) {
      out.numbers.matched++;
      if (named.some((g) => valueMatches(f.object, g))) out.numbers.correct++;
    }
    const hit = s ? gold.attributes.find((g) => !usedAttr.has(g) && goldOf(g.s) === s && valueMatches(f.object, g)) : undefined;
    if (hit) { usedAttr.add(hit); out.attributes.tp++; continue; }
    out.attributes.fp++;
    out.falsePositives.push(`${f.subject} ${f.predicate} ${f.object}`);
    const printed = /-?\d[\d,]*(?:\.\d+)?%?/u.exec(f.object)?.[0];
    if (s && printed && printed.length >= 3 && squeezed.includes(printed)) out.unlabelledRows++;
  }
  for (const g of gold.relations) if (!usedRel.has(g)) { rel(g.p).fn++; out.misses.push(`${g.s} ${g.p} ${g.o}`); }
  for (const g of gold.attributes) if (!usedAttr.has(g)) { out.attributes.fn++; out.misses.push(`${g.s} [${g.attr}] ${g.value}${g.unit ?? ''}${g.period ? ` (${g.period})` : ''}`); }
  for (const e of entities) {
    const g = resolveName(index, e.name, ...e.aliases);
    if (g) {
      out.entities.matched++;
      if (g.type === e.type) out.entities.typeCorrect++;
      continue;
    }
    const why = junkReason(e.name, goldNames, text);
    if (why) { out.entities.junk++; out.junk.push(`${e.name} (${e.type}, ${why})`); } else { out.entities.unlabelled++; out.unlabelled.push(`${e.name} (${e.type})`); }
  }
  return out;
}
