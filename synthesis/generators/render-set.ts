import type { FactRecord } from '../../graph/index.js';
import { answerKey, type Answer, type AnswerSet } from '../graph-index.js';
import { pickIndex } from '../internal/prng.js';
import { capitalize, joinList, terminate, type Lang } from '../internal/text.js';
import { fill, pluralNoun, typeNoun } from '../templates.js';
import type { GenContext } from './context.js';

/** An answer set with every name said in one language. */
export interface RenderedSet {
  lang: Lang;
  subject: string;
  /** Distinct answers (one per object), in a stable order. */
  answers: Answer[];
  objects: string[];
  /** Every fact stating one of the answers (the same answer may be stated in both languages). */
  facts: FactRecord[];
  vars: Record<string, string>;
}

export const LANGS: readonly Lang[] = ['zh', 'en'];

/**
 * Say an answer set in `lang`. In a language some of its facts are stated in, names are taken
 * loosely (Chinese text may name things in Latin script); in the other language only when the
 * options allow it and every name has a form in that script. Undefined when it cannot be said.
 */
export function renderSet(ctx: GenContext, set: AnswerSet, lang: Lang): RenderedSet | undefined {
  const { index } = ctx;
  const inLang = set.answers.some((a) => index.factLang(a.fact) === lang);
  if (!inLang && !ctx.options.crossLingual) return undefined;
  const subject = index.name(set.subjectId, lang, !inLang, set.subject);
  if (!subject) return undefined;
  const byObject = new Map<string, Answer[]>();
  for (const a of set.answers) {
    const k = answerKey(a);
    const list = byObject.get(k);
    if (list) list.push(a);
    else byObject.set(k, [a]);
  }
  const answers: Answer[] = [];
  const objects: string[] = [];
  const facts: FactRecord[] = [];
  for (const k of [...byObject.keys()].sort()) {
    const group = byObject.get(k) as Answer[];
    // Prefer the statement made in this language.
    const a = group.find((x) => index.factLang(x.fact) === lang) ?? (group[0] as Answer);
    const text = index.answerText(a, lang, index.factLang(a.fact) !== lang);
    if (!text) return undefined;
    answers.push(a);
    objects.push(text);
    facts.push(...group.map((x) => x.fact));
  }
  if (objects.length === 0) return undefined;
  return { lang, subject, answers, objects, facts, vars: typeVars(ctx, set.subjectType, set.answers[0]?.objectType ?? '', lang) };
}

export function typeVars(ctx: GenContext, subjectType: string, objectType: string, lang: Lang): Record<string, string> {
  const stype = typeNoun(ctx.templates, subjectType, lang);
  const otype = typeNoun(ctx.templates, objectType, lang);
  return { stype, otype, stypes: lang === 'en' ? pluralNoun(stype) : stype, otypes: lang === 'en' ? pluralNoun(otype) : otype };
}

/** The statement key of an answer set in one language: every question answered by the set gets the same sentence. */
export const answerStatementKey = (setKey: string, lang: Lang): string => `stmt|${setKey}|${lang}`;

/**
 * The answer sentence(s) stating that `subjects` relate to `objects`. Chinese joins names in one
 * sentence. English must agree in number: several objects use a template that starts with the
 * (singular) subject; several subjects, or no such template, get one sentence per name.
 */
export function statement(ctx: GenContext, templates: readonly string[], lang: Lang, subjects: readonly string[], objects: readonly string[], vars: Record<string, string>, key: string): string {
  const one = (t: readonly string[], s: string, o: string, k: string) =>
    terminate(capitalizeIf(lang, fill(t[pickIndex(ctx.seed, k, t.length)] as string, { ...vars, s, o })), lang);
  if (lang === 'zh' || (subjects.length === 1 && objects.length === 1)) return one(templates, joinList(subjects, lang), joinList(objects, lang), key);
  if (subjects.length === 1) {
    const subjectFirst = templates.filter((t) => t.startsWith('{s} '));
    if (subjectFirst.length > 0) return one(subjectFirst, subjects[0] as string, joinList(objects, lang), key);
  }
  const pairs = subjects.flatMap((s) => objects.map((o) => [s, o] as const));
  return pairs.map(([s, o], i) => one(templates, s, o, `${key}|${i}`)).join(' ');
}

function capitalizeIf(lang: Lang, s: string): string {
  return lang === 'en' ? capitalize(s) : s;
}
