import type { AnswerSet } from '../graph-index.js';
import { draw, pickIndex, seededOrder } from '../internal/prng.js';
import type { Lang } from '../internal/text.js';
import { CorpusStyleNames, FictionalNames } from '../fictional-names.js';
import type { FactSplit } from '../splits.js';
import { fill, templatesFor, typeNoun } from '../templates.js';
import { emitSlot, type Candidate, type GenContext } from './context.js';
import { typeVars } from './render-set.js';

/**
 * "I don't know" examples, answered with the refusal sentence:
 * - absent_entity: a forward question about a made-up entity of a real type (name checked absent);
 *   train/val names come from the syllable generator (FictionalNames), test names in the corpus's
 *   own style (CorpusStyleNames), so that a test refusal cannot be recognised by the training names' look;
 * - absent_relation: a real entity asked about a relation type its peers have and it lacks
 *   (in both directions of inverse pairs).
 * Half of `count` each; languages alternate; splits drawn with the split ratios.
 */
export function refusals(ctx: GenContext, count: number): Candidate[] {
  if (count <= 0) return [];
  const { index } = ctx;
  const sets = index.sortedAnswerSets();
  const predicatesByType = new Map<string, string[]>();
  const objectTypeOf = new Map<string, string>();
  for (const s of sets) {
    const list = predicatesByType.get(s.subjectType) ?? [];
    if (!list.includes(s.predicate)) list.push(s.predicate);
    predicatesByType.set(s.subjectType, list);
    if (!objectTypeOf.has(s.predicate)) objectTypeOf.set(s.predicate, s.answers[0]?.objectType ?? '');
  }
  const types = [...predicatesByType.keys()].sort();
  if (types.length === 0) return [];
  const out: Candidate[] = [];
  const half = Math.ceil(count / 2);

  // absent_entity
  const names = new FictionalNames(index.nameKeys);
  const byType = new Map<string, string[]>();
  for (const e of index.entities.values()) {
    const list = byType.get(e.type) ?? [];
    list.push(e.name, ...e.aliases);
    byType.set(e.type, list);
  }
  const corpusNames = new CorpusStyleNames(index.nameKeys, byType);
  for (let i = 0; i < half; i++) {
    const lang: Lang = i % 2 === 0 ? 'zh' : 'en';
    const type = types[pickIndex(ctx.seed, `ref-type|${i}`, types.length)] as string;
    const preds = predicatesByType.get(type) as string[];
    const predicate = preds[pickIndex(ctx.seed, `ref-pred|${i}`, preds.length)] as string;
    const name = (refusalSplit(ctx, `absent-entity|${i}`) === 'test_heldout' ? corpusNames.make(ctx.seed, `${i}`, type, lang) : undefined)
      ?? names.make(ctx.seed, `${i}`, type, typeNoun(ctx.templates, type, lang), lang);
    if (!name) continue;
    out.push(...ask(ctx, `absent-entity|${i}`, name, type, predicate, objectTypeOf.get(predicate) ?? '', lang, 'absent_entity', []));
  }

  // absent_relation
  const subjects = new Map<string, AnswerSet>();
  for (const s of sets) if (!subjects.has(s.subjectId)) subjects.set(s.subjectId, s);
  let made = 0;
  for (const first of seededOrder([...subjects.values()], (s) => s.subjectId, ctx.seed, 'ref-rel')) {
    if (made >= count - half) break;
    const peers = (predicatesByType.get(first.subjectType) ?? []).filter((p) => !index.hasRelation(first.subjectId, p));
    if (peers.length === 0) continue;
    const predicate = peers[pickIndex(ctx.seed, `ref-rel-pred|${first.subjectId}`, peers.length)] as string;
    let sayLang: Lang = made % 2 === 0 ? 'zh' : 'en';
    let name = index.name(first.subjectId, sayLang, false, first.subject);
    if (!name) {
      sayLang = 'zh';
      name = index.name(first.subjectId, 'zh', false, first.subject);
    }
    if (!name) continue;
    const before = out.length;
    out.push(...ask(ctx, `absent-relation|${first.subjectId}`, name, first.subjectType, predicate, objectTypeOf.get(predicate) ?? '', sayLang, 'absent_relation', [first.subjectId]));
    if (out.length > before) made++;
  }
  return out;
}

function ask(
  ctx: GenContext,
  key: string,
  subject: string,
  subjectType: string,
  predicate: string,
  objectType: string,
  lang: Lang,
  kind: 'absent_entity' | 'absent_relation',
  entityIds: string[],
): Candidate[] {
  const rel = templatesFor(ctx.templates, predicate);
  const phrasings = rel[lang].forward;
  if (phrasings.length === 0) return [];
  const index = pickIndex(ctx.seed, `ref-phr|${key}`, phrasings.length);
  const vars = { ...typeVars(ctx, subjectType, objectType, lang), s: subject, name: rel.name[lang] };
  return emitSlot(ctx, {
    type: 'refusal',
    lang,
    facts: [],
    slotKey: `refusal|${key}|${lang}`,
    templateBase: `refusal:${predicate}:${lang}:forward:${index}`,
    phrasings: [phrasings[index] as string],
    render: (phrasing) => ({
      instruction: fill(phrasing, vars),
      output: ctx.templates[lang].refusal,
      gold: [],
      claim: { subject, predicate, ...(entityIds[0] ? { subjectId: entityIds[0] } : {}) },
    }),
    predicates: [predicate],
    entityIds,
    paraphrasable: false,
    fixedSplit: refusalSplit(ctx, key),
    refusalKind: kind,
  });
}

function refusalSplit(ctx: GenContext, key: string): FactSplit {
  const r = ctx.options.splitRatios;
  const u = draw(ctx.seed, `ref-split|${key}`);
  return u < r.test_heldout ? 'test_heldout' : u < r.test_heldout + r.val ? 'val' : 'train';
}
