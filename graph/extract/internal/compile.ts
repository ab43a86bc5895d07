import { expandPattern } from '../../../configs/industry-pack.js';
import type { AttributeKey, IndustryPack, RelationType } from '../../../configs/industry-pack.js';
import { foldWidth, simplify } from '../../internal/normalize.js';
import type { MentionSource } from '../types.js';
import { WELL_KNOWN_ORGANIZATIONS } from './gazetteer.js';

export interface LexEntry {
  type?: string;
  source: MentionSource;
}

/** Exact-match dictionary, keyed on the simplified, ASCII-lower-cased surface. */
export interface Lexicon {
  map: Map<string, LexEntry>;
  byFirst: Map<string, number[]>;
}

/** Length-preserving: only ASCII letters change. */
export const lowerAscii = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function lexKey(surface: string): string {
  const folded = foldWidth(surface.trim());
  const simple = simplify(folded);
  return lowerAscii(simple.length === folded.length ? simple : folded);
}

export function buildLexicon(entries: Iterable<[string, LexEntry]>): Lexicon {
  const map = new Map<string, LexEntry>();
  for (const [surface, entry] of entries) {
    const k = lexKey(surface);
    if (k.length < 2 || map.has(k)) continue;
    map.set(k, entry);
  }
  const lens = new Map<string, Set<number>>();
  for (const k of map.keys()) {
    const set = lens.get(k[0]!) ?? new Set<number>();
    set.add(k.length);
    lens.set(k[0]!, set);
  }
  const byFirst = new Map<string, number[]>();
  for (const [c, set] of lens) byFirst.set(c, [...set].sort((a, b) => b - a));
  return { map, byFirst };
}

export interface CompiledRelation {
  rel: RelationType;
  patterns: RegExp[];
  literal: boolean;
}

export interface CompiledPack {
  pack: IndustryPack;
  stopZh: Set<string>;
  stopEn: Set<string>;
  pronounsZh: string[];
  pronounsEn: string[];
  entityPatterns: Array<{ type: string; re: RegExp }>;
  literalPatterns: Map<string, RegExp[]>;
  relations: CompiledRelation[];
  relationByName: Map<string, RelationType>;
  /** Lower-cased key surface → attribute key. */
  attributes: Map<string, AttributeKey>;
  dictionary: Lexicon;
  /** Entity type names usable as node types (not literals). */
  entityTypes: Set<string>;
}

const cache = new WeakMap<IndustryPack, CompiledPack>();

export function compilePack(pack: IndustryPack): CompiledPack {
  const hit = cache.get(pack);
  if (hit) return hit;
  const literalTypes = new Set(pack.entityTypes.filter((t) => t.literal).map((t) => t.name));
  const literalPatterns = new Map<string, RegExp[]>();
  const entityPatterns: CompiledPack['entityPatterns'] = [];
  for (const t of pack.entityTypes) {
    const res = t.patterns.map((p) => new RegExp(p, 'gu'));
    if (t.literal) literalPatterns.set(t.name, res);
    else for (const re of res) entityPatterns.push({ type: t.name, re });
  }
  const relations = pack.relationTypes.map((rel) => ({
    rel,
    patterns: [...rel.patterns.zh, ...rel.patterns.en].map((p) => new RegExp(expandPattern(p), 'dgu')),
    literal: rel.objectTypes.every((t) => literalTypes.has(t)),
  }));
  const attributes = new Map<string, AttributeKey>();
  for (const a of pack.attributes) for (const s of [...a.zh, ...a.en]) attributes.set(lexKey(s), a);
  const dictEntries: Array<[string, LexEntry]> = [];
  for (const t of pack.entityTypes) for (const d of t.dictionary) dictEntries.push([d, { type: t.name, source: 'dict' }]);
  // The pack's own entries win (they come first: buildLexicon keeps the first entry of a key).
  if (pack.entityTypes.some((t) => t.name === 'Organization')) for (const d of WELL_KNOWN_ORGANIZATIONS) dictEntries.push([d, { type: 'Organization', source: 'dict' }]);
  const compiled: CompiledPack = {
    pack,
    stopZh: new Set(pack.stopwords.zh),
    stopEn: new Set(pack.stopwords.en),
    pronounsZh: [...pack.pronouns.zh].sort((a, b) => b.length - a.length),
    pronounsEn: [...pack.pronouns.en].sort((a, b) => b.length - a.length),
    entityPatterns,
    literalPatterns,
    relations,
    relationByName: new Map(pack.relationTypes.map((r) => [r.name, r])),
    attributes,
    dictionary: buildLexicon(dictEntries),
    entityTypes: new Set(pack.entityTypes.filter((t) => !t.literal).map((t) => t.name)),
  };
  cache.set(pack, compiled);
  return compiled;
}
