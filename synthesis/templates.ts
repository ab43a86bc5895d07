import { z } from 'zod';
import { EN_ATTRIBUTE, EN_FIXED, EN_GENERIC, EN_RELATIONS } from './default-templates-en.js';
import { ZH_ATTRIBUTE, ZH_FIXED, ZH_GENERIC, ZH_RELATIONS } from './default-templates-zh.js';
import { SynthesisError } from './errors.js';
import type { Lang } from './internal/text.js';

/** The phrasings of one relation type in one language. */
export interface Phrasings {
  /** Ask for the object given the subject. Needs {s}. */
  forward: string[];
  /** Ask for the subject given the object. Needs {o}. */
  reverse: string[];
  /** A statement to verify. Needs {s} and {o}. */
  tf: string[];
  /** Ask for all objects of a subject ("X包括哪些…"). Needs {s}. */
  list: string[];
  /** Ask for all subjects of an object. Needs {o}. */
  reverseList: string[];
  /** The declarative sentence used in answers. Needs {s} and {o}. */
  statement: string[];
}
export type PhrasingKind = keyof Phrasings;
export const PHRASING_KINDS: readonly PhrasingKind[] = ['forward', 'reverse', 'tf', 'list', 'reverseList', 'statement'];

export interface RelationTemplates {
  /** Noun for the relation, used by generic phrasings ({name}). */
  name: Record<Lang, string>;
  /**
   * Noun phrase of the object seen from {x}, composed for multi-hop questions ("the parent company
   * of {x}"). Built in for the default relations, else from the pack (hopZh / hopEn). A language
   * without one gets no multi-hop questions through this relation: none is made up from the name.
   */
  hop: Partial<Record<Lang, string>>;
  zh: Phrasings;
  en: Phrasings;
}

/** Language-level phrasings that do not depend on the relation type. */
export interface LangTemplates {
  definition: string[];
  /** Needs {path}. */
  multiHop: string[];
  /** Needs {steps} and {c}. */
  multiHopAnswer: string;
  tfTrue: string;
  tfFalse: string;
  refusal: string;
  /** Needs {doc} and {page}. */
  citation: string;
  /** Entity type (lower-case) → noun. */
  typeNouns: Record<string, string>;
  typeFallback: string;
}

/** Everything synthesis phrases with. Built by `resolveTemplates` from defaults + an industry pack. */
export interface TemplateSet {
  relations: Record<string, RelationTemplates>;
  /** ATTR:<key> lines; {name} is the attribute label. */
  attribute: Pick<RelationTemplates, 'zh' | 'en'>;
  /** Pack relation types without phrasings of their own; {name} is the relation name. */
  generic: Pick<RelationTemplates, 'zh' | 'en'>;
  attributeNames: Record<string, Record<Lang, string>>;
  zh: LangTemplates;
  en: LangTemplates;
  /** Relation types never asked about (weak co-occurrence links). */
  skip: string[];
  /** Relation pairs that state the same fact from the other end. */
  inverse: Record<string, string>;
}

const phrasingOverride = z.object({
  forward: z.array(z.string().min(1)).optional(),
  reverse: z.array(z.string().min(1)).optional(),
  tf: z.array(z.string().min(1)).optional(),
  /** Same as tf (the industry pack's spelling). */
  truefalse: z.array(z.string().min(1)).optional(),
  list: z.array(z.string().min(1)).optional(),
  reverseList: z.array(z.string().min(1)).optional(),
  statement: z.array(z.string().min(1)).optional(),
});

const hopOverride = z.string().min(3).refine((t) => t.includes('{x}'), 'a hop needs {x}');

/**
 * What an industry pack may supply: `{ [predicate]: { zh?, en?, nameZh?, nameEn?, hopZh?, hopEn? } }`.
 * hopZh / hopEn name the object seen from subject {x} for multi-hop questions and replace the
 * built-in hop (`{x}的母公司` / `the parent company of {x}`).
 */
export const TemplatePackOverride = z.record(
  z.string(),
  z.object({
    zh: phrasingOverride.optional(),
    en: phrasingOverride.optional(),
    nameZh: z.string().min(1).optional(),
    nameEn: z.string().min(1).optional(),
    hopZh: hopOverride.optional(),
    hopEn: hopOverride.optional(),
  }),
);
export type TemplatePackOverride = z.infer<typeof TemplatePackOverride>;

const ATTRIBUTE_NAMES: Record<string, Record<Lang, string>> = {
  color: { zh: '颜色', en: 'color' }, weight: { zh: '重量', en: 'weight' }, price: { zh: '价格', en: 'price' },
  capacity: { zh: '容量', en: 'capacity' }, size: { zh: '尺寸', en: 'size' }, dimensions: { zh: '尺寸', en: 'dimensions' },
  material: { zh: '材质', en: 'material' }, warranty: { zh: '保修期', en: 'warranty' }, voltage: { zh: '电压', en: 'voltage' },
  power: { zh: '功率', en: 'power' }, model: { zh: '型号', en: 'model' }, employees: { zh: '员工人数', en: 'number of employees' },
  revenue: { zh: '营收', en: 'revenue' }, headquarters: { zh: '总部', en: 'headquarters' }, website: { zh: '网址', en: 'website' },
  range: { zh: '续航里程', en: 'range' }, speed: { zh: '速度', en: 'speed' }, lifetime: { zh: '寿命', en: 'lifetime' },
};

/** Placeholders a pack may spell out in full. */
const PLACEHOLDER_ALIASES: Record<string, string> = { '{subject}': '{s}', '{object}': '{o}', '{subjectType}': '{stype}', '{objectType}': '{otype}' };

const REQUIRED: Record<PhrasingKind, string[]> = {
  forward: ['{s}'], reverse: ['{o}'], tf: ['{s}', '{o}'], list: ['{s}'], reverseList: ['{o}'], statement: ['{s}', '{o}'],
};

function copyPhrasings(p: Phrasings): Phrasings {
  return { forward: [...p.forward], reverse: [...p.reverse], tf: [...p.tf], list: [...p.list], reverseList: [...p.reverseList], statement: [...p.statement] };
}

function defaultRelations(): Record<string, RelationTemplates> {
  const out: Record<string, RelationTemplates> = {};
  for (const [predicate, zh] of Object.entries(ZH_RELATIONS)) {
    const en = EN_RELATIONS[predicate];
    if (!en) throw new Error(`built-in templates: ${predicate} has zh but no en phrasings`);
    out[predicate] = { name: { zh: zh.name, en: en.name }, hop: { zh: zh.hop, en: en.hop }, zh: copyPhrasings(zh.p), en: copyPhrasings(en.p) };
  }
  return out;
}

/** Turn SOME_RELATION into "some relation" (en) for relation types without a name. */
export function humanize(key: string): string {
  return key.replace(/^ATTR:/, '').replace(/[_-]+/g, ' ').trim().toLowerCase();
}

/** The built-in templates merged with a pack override (pack questions come before built-in ones; pack statements replace them). */
export function resolveTemplates(override?: unknown): TemplateSet {
  const set: TemplateSet = {
    relations: defaultRelations(),
    attribute: { zh: copyPhrasings(ZH_ATTRIBUTE), en: copyPhrasings(EN_ATTRIBUTE) },
    generic: { zh: copyPhrasings(ZH_GENERIC), en: copyPhrasings(EN_GENERIC) },
    attributeNames: { ...ATTRIBUTE_NAMES },
    zh: { ...ZH_FIXED, typeNouns: { ...ZH_FIXED.typeNouns } },
    en: { ...EN_FIXED, typeNouns: { ...EN_FIXED.typeNouns } },
    skip: ['RELATED_TO'],
    inverse: { PART_OF: 'HAS_PART', HAS_PART: 'PART_OF' },
  };
  if (override === undefined) return set;
  const parsed = TemplatePackOverride.safeParse(override);
  if (!parsed.success) {
    throw new SynthesisError('InvalidTemplates', `industry pack templates: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  for (const [predicate, o] of Object.entries(parsed.data)) {
    const isAttr = predicate.startsWith('ATTR:');
    if (isAttr) {
      const key = predicate.slice(5);
      set.attributeNames[key] = { zh: o.nameZh ?? set.attributeNames[key]?.zh ?? key, en: o.nameEn ?? set.attributeNames[key]?.en ?? humanize(key) };
      continue;
    }
    const known = set.relations[predicate] !== undefined;
    // A pack relation has no hop unless the pack gives one: "the {name} of {x}" made from the name
    // reads "the subsidiary of of X", and "{x}的子公司" points the wrong way.
    const base = set.relations[predicate] ?? {
      name: { zh: o.nameZh ?? predicate, en: o.nameEn ?? humanize(predicate) },
      hop: {},
      zh: copyPhrasings(set.generic.zh),
      en: copyPhrasings(set.generic.en),
    };
    if (o.nameZh) base.name.zh = o.nameZh;
    if (o.nameEn) base.name.en = o.nameEn;
    if (o.hopZh) base.hop.zh = o.hopZh;
    if (o.hopEn) base.hop.en = o.hopEn;
    for (const lang of ['zh', 'en'] as const) {
      const raw = o[lang];
      if (!raw) continue;
      const lo = normalizeOverride(raw);
      for (const kind of PHRASING_KINDS) {
        const list = lo[kind];
        if (!list || list.length === 0) continue;
        const own = list.map((t) => checkPlaceholders(predicate, lang, kind, t));
        // Questions: the pack's phrasings first, then the built-in ones of a known relation, so a
        // fact keeps several training phrasings besides the one held out for the paraphrase test.
        // Statements (the answer's voice) are the pack's alone.
        base[lang][kind] = kind === 'statement' || !known ? own : [...new Set([...own, ...base[lang][kind]])];
      }
    }
    set.relations[predicate] = base;
  }
  return set;
}

/**
 * Accept the pack's spellings: `truefalse` for tf, {subject}/{object} for {s}/{o}, and list
 * phrasings that name only the object ("{object}有哪些供应商？") as reverse lists.
 */
function normalizeOverride(raw: z.infer<typeof phrasingOverride>): Partial<Phrasings> {
  const alias = (t: string) => Object.entries(PLACEHOLDER_ALIASES).reduce((acc, [from, to]) => acc.split(from).join(to), t);
  const out: Partial<Phrasings> = {};
  for (const kind of PHRASING_KINDS) if (raw[kind]) out[kind] = raw[kind].map(alias);
  if (raw.truefalse && !raw.tf) out.tf = raw.truefalse.map(alias);
  if (out.list) {
    const objectOnly = out.list.filter((t) => !t.includes('{s}') && t.includes('{o}'));
    out.list = out.list.filter((t) => !objectOnly.includes(t));
    if (objectOnly.length > 0 && !out.reverseList) out.reverseList = objectOnly;
    if (out.list.length === 0) delete out.list;
  }
  return out;
}

function checkPlaceholders(predicate: string, lang: Lang, kind: PhrasingKind, template: string): string {
  let t = template;
  for (const [from, to] of Object.entries(PLACEHOLDER_ALIASES)) t = t.split(from).join(to);
  for (const need of REQUIRED[kind]) {
    if (!t.includes(need)) throw new SynthesisError('InvalidTemplates', `template ${predicate}.${lang}.${kind} "${template}" lacks ${need}`);
  }
  return t;
}

/**
 * Phrasings and names for a predicate (relation type or ATTR:<key>). An attribute's hop is its
 * label ("the capacity of {x}"); a relation type no template knows has no hop.
 */
export function templatesFor(set: TemplateSet, predicate: string): RelationTemplates {
  if (predicate.startsWith('ATTR:')) {
    const key = predicate.slice(5);
    const name = set.attributeNames[key.toLowerCase()] ?? set.attributeNames[key] ?? { zh: key, en: humanize(key) };
    return { name, hop: { zh: `{x}的${name.zh}`, en: `the ${name.en} of {x}` }, ...set.attribute };
  }
  const rel = set.relations[predicate];
  if (rel) return rel;
  const name = { zh: humanize(predicate), en: humanize(predicate) };
  return { name, hop: {}, ...set.generic };
}

/** Replace {key} placeholders. Unknown placeholders are left as they are. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => vars[key] ?? whole);
}

/** Noun for an entity type in a language ("Company" → 公司 / company). */
export function typeNoun(set: TemplateSet, type: string, lang: Lang): string {
  const t = set[lang];
  return t.typeNouns[type.toLowerCase()] ?? (lang === 'en' && /^[A-Za-z ]+$/.test(type) ? type.toLowerCase() : t.typeFallback);
}

export function pluralNoun(noun: string): string {
  if (/(s|x|ch|sh)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (noun === 'person') return 'people';
  return `${noun}s`;
}
