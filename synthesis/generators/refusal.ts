import { draw, pickIndex } from '../internal/prng.js';
import { normalizeKey, type Lang } from '../internal/text.js';
import { CorpusStyleNames, FictionalNames } from '../fictional-names.js';
import type { FactSplit } from '../splits.js';
import { fill, templatesFor, typeNoun } from '../templates.js';
import { emitSlot, type Candidate, type GenContext } from './context.js';
import { typeVars } from './render-set.js';

/**
 * "I don't know" examples, answered with the refusal sentence: a forward question about a made-up
 * entity of a real type (name checked absent from every name, alias and evidence sentence of the
 * snapshot); languages alternate; splits drawn with the split ratios. Train/val names come from the
 * syllable generator (FictionalNames); test names are in the corpus's own style (CorpusStyleNames), so a
 * test refusal cannot be recognised by the look of the training names.
 *
 * Real entities are never refused: the graph holds only what extraction found, so a relation
 * missing from it for a real entity may well be stated by the text (a refusal would then teach
 * the model to decline a question its documents answer).
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
  const names = new FictionalNames(index.nameKeys, index.evidenceTexts);
  const byType = new Map<string, string[]>();
  for (const e of index.entities.values()) {
    const list = byType.get(e.type) ?? [];
    list.push(e.name, ...e.aliases);
    byType.set(e.type, list);
  }
  const corpusNames = new CorpusStyleNames(index.nameKeys, byType);
  const inText = (name: string): boolean => index.evidenceTexts.some((t) => t.includes(normalizeKey(name)));
  for (let i = 0; i < count; i++) {
    const lang: Lang = i % 2 === 0 ? 'zh' : 'en';
    const type = types[pickIndex(ctx.seed, `ref-type|${i}`, types.length)] as string;
    const preds = predicatesByType.get(type) as string[];
    const predicate = preds[pickIndex(ctx.seed, `ref-pred|${i}`, preds.length)] as string;
    const styled = refusalSplit(ctx, `absent-entity|${i}`) === 'test_heldout' ? corpusNames.make(ctx.seed, `${i}`, type, lang) : undefined;
    const name = (styled && !inText(styled) ? styled : undefined) ?? names.make(ctx.seed, `${i}`, type, typeNoun(ctx.templates, type, lang), lang);
    if (!name) continue;
    out.push(...ask(ctx, `absent-entity|${i}`, name, type, predicate, objectTypeOf.get(predicate) ?? '', lang, 'absent_entity', []));
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
