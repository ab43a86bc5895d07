import type { AnswerSet } from '../graph-index.js';
import { joinList, type Lang } from '../internal/text.js';
import { fill, templatesFor } from '../templates.js';
import { emitSlot, type Candidate, type GenContext } from './context.js';
import { LANGS, renderSet, statement } from './render-set.js';

/**
 * Two-hop questions along A -p1-> B -p2-> C ("张三担任CEO的公司的所在地是什么？"). The first hop
 * must have exactly one entity answer B (else the question is ambiguous), and the path must not
 * come back to A. The answer walks both hops, then names C. Both relations need a hop noun phrase
 * in the language (built in or from the industry pack); a relation without one is skipped rather
 * than phrased from its name ("the subsidiary of of X").
 */
export function multiHop(ctx: GenContext, first: AnswerSet, bySubject: ReadonlyMap<string, AnswerSet[]>): Candidate[] {
  if (first.predicate.startsWith('ATTR:')) return [];
  const objectIds = new Set(first.answers.map((a) => a.objectId ?? `lit:${a.object}`));
  const hop = first.answers[0];
  if (objectIds.size !== 1 || !hop?.objectId || hop.objectId === first.subjectId) return [];
  const a = first.subjectId;
  const b = hop.objectId;
  const out: Candidate[] = [];
  for (const second of bySubject.get(b) ?? []) {
    if (second.predicate === ctx.index.inverse[first.predicate]) continue;
    if (second.answers.some((x) => x.objectId === a)) continue;
    for (const lang of LANGS) out.push(...pathSlot(ctx, first, second, lang));
  }
  return out;
}

function pathSlot(ctx: GenContext, first: AnswerSet, second: AnswerSet, lang: Lang): Candidate[] {
  const rel1 = templatesFor(ctx.templates, first.predicate);
  const rel2 = templatesFor(ctx.templates, second.predicate);
  const hop1 = rel1.hop[lang];
  const hop2 = rel2.hop[lang];
  if (!hop1 || !hop2) return [];
  const r1 = renderSet(ctx, first, lang);
  const r2 = renderSet(ctx, second, lang);
  if (!r1 || !r2) return [];
  const t = ctx.templates[lang];
  const path = fill(hop2, { x: fill(hop1, { x: r1.subject }) });
  const slotKey = `hop|${first.key}|${second.predicate}|${lang}`;
  const c = joinList(r2.objects, lang);
  const s1 = rel1[lang].statement;
  const s2 = rel2[lang].statement;
  const vars1 = { ...r1.vars, s: r1.subject, o: r1.objects[0] as string, name: rel1.name[lang] };
  const vars2 = { ...r2.vars, s: r2.subject, o: c, name: rel2.name[lang] };
  return emitSlot(ctx, {
    type: 'multi_hop',
    lang,
    facts: [...r1.facts, ...r2.facts],
    slotKey,
    templateBase: `multi_hop:${lang}`,
    phrasings: t.multiHop,
    render: (phrasing, i) => {
      const step1 = statement(ctx, s1, lang, [r1.subject], [r1.objects[0] as string], vars1, `stmt1|${slotKey}|${i}`);
      const step2 = statement(ctx, s2, lang, [r2.subject], r2.objects, vars2, `stmt2|${slotKey}|${i}`);
      const steps = lang === 'zh' ? `${step1}${step2}` : `${step1} ${step2}`;
      return { instruction: fill(phrasing, { path }), output: fill(t.multiHopAnswer, { steps, c }), gold: r2.objects };
    },
    predicates: [first.predicate, second.predicate],
    entityIds: [first.subjectId, second.subjectId, ...r2.answers.flatMap((x) => (x.objectId ? [x.objectId] : []))],
    paraphrasable: false,
  });
}

