import type { AnswerSet } from '../graph-index.js';
import { joinList } from '../internal/text.js';
import type { ExampleType } from '../model.js';
import { fill, templatesFor } from '../templates.js';
import { emitSlot, type Candidate, type GenContext } from './context.js';
import { answerStatementKey, LANGS, renderSet, statement } from './render-set.js';

/**
 * Questions from a subject to its objects. One object: fact_qa (literal), attribute_qa (ATTR:),
 * relation_qa (entity). Several objects: an aggregation question ("X包括哪些…", type list) whose
 * answer names them all, so no answer is ever incomplete.
 */
export function forwardQa(ctx: GenContext, set: AnswerSet): Candidate[] {
  const rel = templatesFor(ctx.templates, set.predicate);
  const out: Candidate[] = [];
  for (const lang of LANGS) {
    const r = renderSet(ctx, set, lang);
    if (!r) continue;
    const single = r.objects.length === 1;
    const type: ExampleType = !single ? 'list' : set.predicate.startsWith('ATTR:') ? 'attribute_qa' : r.answers[0]?.objectId ? 'relation_qa' : 'fact_qa';
    const kind = single ? 'forward' : 'list';
    const slotKey = `${kind}|${set.key}|${lang}`;
    const o = joinList(r.objects, lang);
    const vars = { ...r.vars, s: r.subject, o, name: rel.name[lang] };
    const statements = rel[lang].statement;
    out.push(
      ...emitSlot(ctx, {
        type,
        lang,
        facts: r.facts,
        slotKey,
        templateBase: `${set.predicate}:${lang}:${kind}`,
        phrasings: rel[lang][kind],
        render: (phrasing) => ({
          instruction: fill(phrasing, vars),
          // One answer per fact set and language, whatever the phrasing of the question: a paraphrased
          // question has the answer trained on, and true/false explanations say the same sentence.
          output: statement(ctx, statements, lang, [r.subject], r.objects, vars, answerStatementKey(set.key, lang)),
          gold: r.objects,
        }),
        predicates: [set.predicate],
        entityIds: [set.subjectId, ...r.answers.flatMap((a) => (a.objectId ? [a.objectId] : []))],
        paraphrasable: true,
      }),
    );
  }
  return out;
}
