import { answerKey, type AnswerSet, type GraphIndex } from '../graph-index.js';
import { pickIndex } from '../internal/prng.js';
import { hasCjk, literalFits, normalizeKey, type Lang } from '../internal/text.js';
import { fill, templatesFor } from '../templates.js';
import { emitSlot, type Candidate, type GenContext } from './context.js';
import { answerStatementKey, LANGS, renderSet, statement } from './render-set.js';

const MAX_TRIES = 64;

/** A plausible wrong object: something the graph does state for the same relation type. */
export interface NegativeCandidate {
  key: string;
  id?: string;
  text: string;
  type: string;
  lang: Lang;
}

export interface NegativePool {
  /** Objects per relation type, from every answer in the graph. */
  byPredicate: Map<string, NegativeCandidate[]>;
  /** Entities per type, for relations the graph states too few objects for. */
  byType: Map<string, NegativeCandidate[]>;
}

/** The pool hard negatives come from. */
export function buildNegativePool(index: GraphIndex): NegativePool {
  const byType = new Map<string, NegativeCandidate[]>();
  for (const e of index.entities.values()) {
    const list = byType.get(e.type) ?? [];
    list.push({ key: `id:${e.id}`, id: e.id, text: e.name, type: e.type, lang: hasCjk(e.name) ? 'zh' : 'en' });
    byType.set(e.type, list);
  }
  return { byPredicate: byPredicateOf(index), byType };
}

function byPredicateOf(index: GraphIndex): Map<string, NegativeCandidate[]> {
  const pool = new Map<string, Map<string, NegativeCandidate>>();
  for (const set of index.sortedAnswerSets()) {
    let m = pool.get(set.predicate);
    if (!m) pool.set(set.predicate, (m = new Map()));
    for (const a of set.answers) {
      const key = answerKey(a);
      if (!m.has(key)) m.set(key, { key, id: a.objectId, text: a.object, type: a.objectType, lang: index.factLang(a.fact) });
    }
  }
  const out = new Map<string, NegativeCandidate[]>();
  for (const [p, m] of pool) out.set(p, [...m.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)));
  return out;
}

/**
 * Verification pairs: a true statement ("正确。…") and a hard negative — the same subject and
 * relation with an object the graph uses for that relation elsewhere, never one that holds
 * (checked against every fact, both directions, every alias) — answered with the truth ("错误。…").
 */
export function trueFalse(ctx: GenContext, set: AnswerSet, pool: NegativePool): Candidate[] {
  const rel = templatesFor(ctx.templates, set.predicate);
  const out: Candidate[] = [];
  for (const lang of LANGS) {
    const r = renderSet(ctx, set, lang);
    if (!r) continue;
    const slotKey = `tf|${set.key}|${lang}`;
    const vars = { ...r.vars, s: r.subject, name: rel.name[lang] };
    const statements = rel[lang].statement;
    const truth = statement(ctx, statements, lang, [r.subject], r.objects, vars, answerStatementKey(set.key, lang));
    const t = ctx.templates[lang];
    const yes = lang === 'zh' ? '正确' : 'True';
    const no = lang === 'zh' ? '错误' : 'False';
    const shownAt = pickIndex(ctx.seed, `pos|${slotKey}`, r.objects.length);
    const shown = r.objects[shownAt] as string;
    const shownId = r.answers[shownAt]?.objectId;
    const base = {
      type: 'true_false' as const,
      lang,
      facts: r.facts,
      slotKey,
      templateBase: `${set.predicate}:${lang}:tf`,
      phrasings: rel[lang].tf,
      predicates: [set.predicate],
      entityIds: [set.subjectId, ...r.answers.flatMap((a) => (a.objectId ? [a.objectId] : []))],
      paraphrasable: false,
    };
    out.push(
      ...emitSlot(ctx, {
        ...base,
        variant: 'pos',
        render: (phrasing) => ({
          instruction: fill(phrasing, { ...vars, o: shown }),
          output: `${t.tfTrue}${lang === 'en' ? ' ' : ''}${truth}`,
          gold: [yes],
          label: true,
          claim: { subject: r.subject, subjectId: set.subjectId, predicate: set.predicate, object: shown, ...(shownId ? { objectId: shownId } : {}) },
        }),
      }),
    );
    const negative = hardNegative(ctx, set, r.objects, lang, pool, slotKey);
    if (negative === undefined) continue;
    out.push(
      ...emitSlot(ctx, {
        ...base,
        variant: 'neg',
        render: (phrasing) => ({
          instruction: fill(phrasing, { ...vars, o: negative.text }),
          output: `${t.tfFalse}${lang === 'en' ? ' ' : ''}${truth}`,
          gold: [no],
          label: false,
          claim: { subject: r.subject, subjectId: set.subjectId, predicate: set.predicate, object: negative.text, ...(negative.id ? { objectId: negative.id } : {}) },
        }),
      }),
    );
  }
  return out;
}

function hardNegative(ctx: GenContext, set: AnswerSet, trueTexts: readonly string[], lang: Lang, pool: NegativePool, slotKey: string): { text: string; id?: string } | undefined {
  const { index } = ctx;
  const trueKeys = new Set(set.answers.map(answerKey));
  const trueNorm = new Set(trueTexts.map(normalizeKey));
  const objectTypes = new Set(set.answers.map((a) => a.objectType));
  const acceptable = (text: string, id?: string) =>
    !trueNorm.has(normalizeKey(text)) && id !== set.subjectId && !index.holds(set.subjectId, set.predicate, { id, text });
  const render = (c: NegativeCandidate): string | undefined => {
    const strict = c.lang !== lang;
    if (c.id) return index.name(c.id, lang, strict, c.text);
    if (lang === 'en' && hasCjk(c.text)) return undefined;
    return strict && !literalFits(c.text, lang) ? undefined : c.text;
  };
  const viable = (c: NegativeCandidate) => {
    if (trueKeys.has(c.key)) return undefined;
    const text = render(c);
    return text !== undefined && acceptable(text, c.id) && acceptable(c.text, c.id) ? text : undefined;
  };
  // Same relation and same object type first (the hardest negatives), then any entity of that type.
  const sameRelation = (pool.byPredicate.get(set.predicate) ?? []).filter((c) => objectTypes.has(c.type));
  const sameType = [...objectTypes].sort().flatMap((t) => pool.byType.get(t) ?? []);
  for (const [salt, options] of [['rel', sameRelation], ['type', sameType]] as const) {
    // Visit from a seeded start, a bounded number of tries: large graphs have thousands of options.
    const n = options.length;
    if (n === 0) continue;
    const start = pickIndex(ctx.seed, `neg|${salt}|${slotKey}`, n);
    for (let k = 0; k < Math.min(n, MAX_TRIES); k++) {
      const c = options[(start + k) % n] as NegativeCandidate;
      const text = viable(c);
      if (text !== undefined) return { text, id: c.id };
    }
  }
  // A literal number nudged (another year, another price) when the graph offers no other value.
  const literal = set.answers.find((a) => !a.objectId);
  if (literal) {
    const nudged = nudgeNumber(literal.object, pickIndex(ctx.seed, `nudge|${slotKey}`, 4));
    if (nudged !== undefined && (lang === 'zh' || !hasCjk(nudged)) && acceptable(nudged)) return { text: nudged };
  }
  return undefined;
}

/** Change the first number in a literal: years by a few years, other amounts by a factor. */
export function nudgeNumber(text: string, choice: number): string | undefined {
  const m = /\d+(?:\.\d+)?/.exec(text);
  if (!m) return undefined;
  const raw = m[0];
  const value = Number(raw);
  let next: number;
  if (/^(1[5-9]|20)\d\d$/.test(raw)) next = value + [-3, -1, 2, 5][choice]!;
  else {
    const decimals = raw.includes('.') ? (raw.split('.')[1] as string).length : 0;
    next = Number((value * [1.5, 0.8, 2, 1.25][choice]!).toFixed(decimals));
    if (next === value) next = value + 1;
  }
  return text.slice(0, m.index) + String(next) + text.slice(m.index + raw.length);
}
