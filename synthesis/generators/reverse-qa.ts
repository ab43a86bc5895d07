import type { FactRecord } from '../../graph/index.js';
import { joinList } from '../internal/text.js';
import { fill, templatesFor } from '../templates.js';
import { emitSlot, type Candidate, type GenContext } from './context.js';
import { LANGS, statement, typeVars } from './render-set.js';

/**
 * Questions from an object back to its subjects ("哪个公司位于上海？"). One subject: reverse_qa;
 * several: a list question naming them all. Relation types with an inverse are skipped here: the
 * inverse's forward questions ask the same thing.
 */
export function reverseQa(ctx: GenContext, objectId: string, facts: readonly FactRecord[]): Candidate[] {
  const first = facts[0];
  if (!first || ctx.index.inverse[first.predicate]) return [];
  const { index } = ctx;
  const predicate = first.predicate;
  const rel = templatesFor(ctx.templates, predicate);
  const out: Candidate[] = [];
  for (const lang of LANGS) {
    const inLang = facts.some((f) => index.factLang(f) === lang);
    if (!inLang && !ctx.options.crossLingual) continue;
    const object = index.name(objectId, lang, !inLang, first.object);
    if (!object) continue;
    const bySubject = new Map<string, FactRecord[]>();
    for (const f of facts) {
      const list = bySubject.get(f.subjectId);
      if (list) list.push(f);
      else bySubject.set(f.subjectId, [f]);
    }
    const subjects: string[] = [];
    const used: FactRecord[] = [];
    let ok = true;
    for (const id of [...bySubject.keys()].sort()) {
      const group = bySubject.get(id) as FactRecord[];
      const f = group.find((x) => index.factLang(x) === lang) ?? (group[0] as FactRecord);
      const name = index.name(id, lang, index.factLang(f) !== lang, f.subject);
      if (!name) {
        ok = false;
        break;
      }
      subjects.push(name);
      used.push(...group);
    }
    if (!ok || subjects.length === 0) continue;
    const single = subjects.length === 1;
    const kind = single ? 'reverse' : 'reverseList';
    const slotKey = `${kind}|${objectId}|${predicate}|${lang}`;
    const vars = { ...typeVars(ctx, first.subjectType, first.objectType, lang), s: joinList(subjects, lang), o: object, name: rel.name[lang] };
    const statements = rel[lang].statement;
    out.push(
      ...emitSlot(ctx, {
        type: single ? 'reverse_qa' : 'list',
        lang,
        facts: used,
        slotKey,
        templateBase: `${predicate}:${lang}:${kind}`,
        phrasings: rel[lang][kind],
        render: (phrasing) => ({
          instruction: fill(phrasing, vars),
          output: statement(ctx, statements, lang, subjects, [object], vars, `stmt|${slotKey}`),
          gold: subjects,
        }),
        predicates: [predicate],
        entityIds: [objectId, ...bySubject.keys()],
        paraphrasable: true,
      }),
    );
  }
  return out;
}
