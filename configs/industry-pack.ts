/**
 * Industry packs: the ontology (entity and relation types), the trigger patterns the offline
 * extractor uses, attribute keys, and the question templates synthesis uses. Validated by zod;
 * every pack is merged over `generic`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PermanentError } from './pure/errors.js';

const UpperSnake = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/, 'relation names are UPPER_SNAKE (they are an allow-list)');
const TypeName = z.string().regex(/^[A-Z][A-Za-z0-9]{0,63}$/, 'entity type names are PascalCase');

/** `{S}` / `{O}` macros expand to lazy subject / greedy object groups bounded by clause punctuation. */
export const PATTERN_MACROS: Record<string, string> = {
  '{S}': '(?<subj>[^，。；;！？!?\\n]{1,80}?)',
  '{O}': '(?<obj>[^，。；;！？!?\\n]{1,80})',
};

export function expandPattern(source: string): string {
  let out = source;
  for (const [macro, body] of Object.entries(PATTERN_MACROS)) out = out.split(macro).join(body);
  return out;
}

const PatternSource = z.string().min(3).superRefine((src, ctx) => {
  let re: RegExp;
  try {
    re = new RegExp(expandPattern(src), 'u');
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `invalid regex: ${(e as Error).message}` });
    return;
  }
  for (const g of ['subj', 'obj']) {
    if (!new RegExp(`\\(\\?<${g}>`).test(re.source)) ctx.addIssue({ code: 'custom', message: `pattern needs a named group "${g}" (or the {S}/{O} macro)` });
  }
});

export const EntityType = z.object({
  name: TypeName,
  zh: z.string().min(1),
  en: z.string().min(1),
  /** Known names of this type (exact match, after width/case/script normalization). */
  dictionary: z.array(z.string().min(1)).default([]),
  /** Regexes that find mentions of this type; group `name` (if present) is the mention. */
  patterns: z.array(z.string().min(2)).default([]),
  /** Literal types are values (money, years), never nodes of their own. */
  literal: z.boolean().default(false),
});
export type EntityType = z.infer<typeof EntityType>;

const Phrasings = z.array(z.string().min(3)).min(1);
const Statements = z.array(
  z.string().min(3).refine((t) => /\{(?:subject|s)\}/.test(t) && /\{(?:object|o)\}/.test(t), 'a statement needs {subject} and {object}'),
).min(1);
export const QuestionSet = z.object({
  /** Asks for the object: `{subject}位于哪里？` → `{object}`. */
  forward: Phrasings,
  /** Asks for the subject: `哪家公司位于{object}？` → `{subject}`. */
  reverse: Phrasings,
  /** Yes/no: `{subject}位于{object}吗？`. */
  truefalse: Phrasings,
  /** Asks for every object (or subject) of the relation. */
  list: Phrasings,
  /**
   * Answer sentences stating the fact, subject → object: `{subject}位于{object}。`. Synthesis
   * answers in these (they replace the built-in statements of a known relation); a pack relation
   * without them falls back to a neutral generic sentence. Each needs both placeholders.
   */
  statement: Statements.optional(),
  /**
   * Noun phrase naming the OBJECT of the relation as seen from a subject `{x}`, which multi-hop
   * questions nest: SUBSIDIARY_OF → `{x}的母公司` / `the parent company of {x}` ("What is the
   * location of the parent company of X?"). It must read in the relation's direction (X's parent,
   * not X's subsidiary) and needs `{x}`. It replaces the built-in hop of a known relation; a
   * relation with no hop (neither built in nor here) is never part of a multi-hop question, since a
   * phrase made from its name ("the subsidiary of of X", "X的子公司") would teach nonsense.
   */
  hop: z.string().min(3).refine((t) => t.includes('{x}'), 'a hop needs {x} (the subject it is seen from)').optional(),
});
export type QuestionSet = z.infer<typeof QuestionSet>;

export const RelationType = z.object({
  name: UpperSnake,
  zh: z.string().min(1),
  en: z.string().min(1),
  subjectTypes: z.array(TypeName).min(1),
  objectTypes: z.array(TypeName).min(1),
  /** The object is split on list separators (、, 和, and …) into one fact per item. */
  multiObject: z.boolean().default(false),
  /** Base confidence of a pattern match. */
  confidence: z.number().min(0).max(1).default(0.85),
  patterns: z.object({ zh: z.array(PatternSource).default([]), en: z.array(PatternSource).default([]) }).default({ zh: [], en: [] }),
  questions: z.object({ zh: QuestionSet, en: QuestionSet }).optional(),
});
export type RelationType = z.infer<typeof RelationType>;

export const AttributeKey = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  /** Surface forms of the key in "键：值" lines and table headers. */
  zh: z.array(z.string().min(1)).default([]),
  en: z.array(z.string().min(1)).default([]),
  /** When set, a value for this key becomes a fact of this relation instead of `ATTR:<key>`. */
  relation: UpperSnake.optional(),
  /** Marks the key that names the row's / block's subject (型号, Model, 名称, Name). */
  identifies: z.boolean().default(false),
});
export type AttributeKey = z.infer<typeof AttributeKey>;

export const IndustryPack = z.object({
  name: z.string().regex(/^[a-z0-9_-]+$/),
  description: z.string().default(''),
  entityTypes: z.array(EntityType).default([]),
  relationTypes: z.array(RelationType).default([]),
  attributes: z.array(AttributeKey).default([]),
  /** Words that never start or end an entity mention (prepositions, verbs used as triggers). */
  stopwords: z.object({ zh: z.array(z.string()).default([]), en: z.array(z.string()).default([]) }).default({ zh: [], en: [] }),
  /** Words meaning "the subject of the previous sentence" (该公司, it). */
  pronouns: z.object({ zh: z.array(z.string()).default([]), en: z.array(z.string()).default([]) }).default({ zh: [], en: [] }),
});
export type IndustryPack = z.infer<typeof IndustryPack>;

export class IndustryPackError extends PermanentError('IndustryPackError') {}

/** Type checks across the pack: every relation refers to declared types; attribute relations exist. */
export function validatePack(pack: IndustryPack): IndustryPack {
  const types = new Set(pack.entityTypes.map((t) => t.name));
  const rels = new Set(pack.relationTypes.map((r) => r.name));
  const problems: string[] = [];
  for (const r of pack.relationTypes) {
    for (const t of [...r.subjectTypes, ...r.objectTypes]) if (!types.has(t)) problems.push(`${r.name}: unknown entity type ${t}`);
  }
  for (const a of pack.attributes) if (a.relation && !rels.has(a.relation)) problems.push(`attribute ${a.key}: unknown relation ${a.relation}`);
  if (problems.length) throw new IndustryPackError(`industry pack ${pack.name}: ${problems.join('; ')}`);
  return pack;
}

function byName<T>(items: T[], key: (t: T) => string, merge: (a: T, b: T) => T): T[] {
  const out = new Map<string, T>();
  for (const it of items) {
    const k = key(it);
    const prev = out.get(k);
    out.set(k, prev ? merge(prev, it) : it);
  }
  return [...out.values()];
}

const uniq = (xs: string[]): string[] => [...new Set(xs)];

/** `over` extends `base`: types and relations with the same name get their lists concatenated. */
export function mergePacks(base: IndustryPack, over: IndustryPack): IndustryPack {
  return {
    name: over.name,
    description: over.description || base.description,
    entityTypes: byName([...base.entityTypes, ...over.entityTypes], (t) => t.name, (a, b) => ({
      ...b,
      dictionary: uniq([...a.dictionary, ...b.dictionary]),
      patterns: uniq([...a.patterns, ...b.patterns]),
    })),
    relationTypes: byName([...base.relationTypes, ...over.relationTypes], (r) => r.name, (a, b) => ({
      ...b,
      subjectTypes: uniq([...a.subjectTypes, ...b.subjectTypes]),
      objectTypes: uniq([...a.objectTypes, ...b.objectTypes]),
      patterns: { zh: uniq([...a.patterns.zh, ...b.patterns.zh]), en: uniq([...a.patterns.en, ...b.patterns.en]) },
      questions: b.questions ?? a.questions,
    })),
    attributes: byName([...base.attributes, ...over.attributes], (a) => a.key, (a, b) => ({
      ...b, zh: uniq([...a.zh, ...b.zh]), en: uniq([...a.en, ...b.en]),
    })),
    stopwords: { zh: uniq([...base.stopwords.zh, ...over.stopwords.zh]), en: uniq([...base.stopwords.en, ...over.stopwords.en]) },
    pronouns: { zh: uniq([...base.pronouns.zh, ...over.pronouns.zh]), en: uniq([...base.pronouns.en, ...over.pronouns.en]) },
  };
}

export function parseIndustryPack(raw: unknown, source = '(inline)'): IndustryPack {
  const r = IndustryPack.safeParse(raw);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new IndustryPackError(`invalid industry pack ${source}: ${msg}`);
  }
  return r.data;
}

export function industriesDir(): string {
  return path.resolve(import.meta.dirname, 'industries');
}

/** The pack names in a folder (its `<name>.yaml` files), sorted. */
export function shippedPackNames(dir = industriesDir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /^[a-z0-9_-]+\.yaml$/.test(n)).map((n) => n.slice(0, -'.yaml'.length)).sort();
}

function readPackFile(name: string, dir: string): IndustryPack {
  if (!/^[a-z0-9_-]+$/.test(name)) throw new IndustryPackError(`invalid industry pack name: ${JSON.stringify(name)}`);
  const file = path.join(dir, `${name}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new IndustryPackError(`unknown industry pack ${JSON.stringify(name)} — known packs: ${shippedPackNames(dir).join(', ')} (${dir})`);
  }
  return parseIndustryPack(parseYaml(text), file);
}

/** Reads configs/industries/<name>.yaml and merges it over generic.yaml. */
export function loadIndustryPack(name: string, dir = industriesDir()): IndustryPack {
  const generic = readPackFile('generic', dir);
  if (name === 'generic') return validatePack(generic);
  return validatePack(mergePacks(generic, readPackFile(name, dir)));
}
