import type { AnswerSet } from '../graph-index.js';
import { detectLang, terminate, type Lang } from '../internal/text.js';
import type { Evidence, FactRecord } from '../../graph/index.js';
import { fill } from '../templates.js';
import { emitSlot, type Candidate, type GenContext } from './context.js';
import { LANGS } from './render-set.js';

/**
 * Definitions from IS_A evidence sentences of the form "X是…" / "X is a …": the question asks
 * what X is, the answer is the document's own sentence. One per (subject, language).
 */
export function definitions(ctx: GenContext, set: AnswerSet): Candidate[] {
  if (set.predicate !== 'IS_A') return [];
  const out: Candidate[] = [];
  const names = [...new Set([...ctx.index.namesOf(set.subjectId), set.subject])].sort((a, b) => b.length - a.length);
  const facts = set.answers.filter((a) => !a.inverted).map((a) => a.fact);
  for (const lang of LANGS) {
    const found = findDefinition(facts, names, lang);
    if (!found) continue;
    const { fact, evidence, name } = found;
    const answer = set.answers.find((a) => a.fact.id === fact.id);
    const gold = answer ? ctx.index.answerText(answer, lang, false) : undefined;
    const sentence = terminate(evidence.sentence, lang);
    out.push(
      ...emitSlot(ctx, {
        type: 'definition',
        lang,
        facts: [fact],
        slotKey: `def|${set.subjectId}|${lang}`,
        templateBase: `definition:${lang}`,
        phrasings: ctx.templates[lang].definition,
        render: (phrasing) => ({ instruction: fill(phrasing, { s: name }), output: sentence, gold: gold ? [gold] : [] }),
        predicates: ['IS_A'],
        entityIds: [set.subjectId, ...(fact.objectId ? [fact.objectId] : [])],
        paraphrasable: true,
      }),
    );
  }
  return out;
}

function findDefinition(facts: readonly FactRecord[], names: readonly string[], lang: Lang): { fact: FactRecord; evidence: Evidence; name: string } | undefined {
  for (const fact of facts) {
    for (const evidence of fact.evidence) {
      const sentence = evidence.sentence.trim();
      if (detectLang(sentence) !== lang) continue;
      for (const name of names) {
        if (name.length === 0) continue;
        if (definitionPattern(name, lang).test(sentence)) return { fact, evidence, name };
      }
    }
  }
  return undefined;
}

function definitionPattern(name: string, lang: Lang): RegExp {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return lang === 'zh'
    ? new RegExp(`^[“"「]?${n}[”"」]?(（[^）]*）|\\([^)]*\\))?(是|即|指)`)
    : new RegExp(`^(the\\s+)?${n}(\\s*\\([^)]*\\))?,?\\s+(is|are|refers to)\\s+(a|an|the|one)\\b`, 'i');
}
