import { describe, expect, it } from 'vitest';
import { packTemplates } from '../../../synthesis/index.js';
import { loadIndustryPack } from '../../../configs/industry-pack.js';
import type { EntityRecord, FactRecord, SnapshotData } from '../../../graph/model.js';
import { resolveTemplates, synthesize, type Example } from '../../../synthesis/index.js';
import { buildFixture, EN_DOC, ZH_DOC } from './fixture.js';

/** The battery fixture plus a small supply chain stated in both languages. */
function snapshotWithSupplyChain(): SnapshotData {
  const snapshot = buildFixture();
  const entities: EntityRecord[] = [
    { id: 'e:qingyu', name: '青屿视觉', type: 'Organization', aliases: ['Qingyu Vision'] },
    { id: 'e:xinghe', name: '星河精工', type: 'Organization', aliases: ['Xinghe Precision'] },
    { id: 'e:dongling', name: '东岭特钢', type: 'Organization', aliases: ['Dongling Steel'] },
    { id: 'e:beiyuan', name: '北原汽车', type: 'Organization', aliases: ['Beiyuan Motors'] },
    { id: 'e:nanhu', name: '南湖电器', type: 'Organization', aliases: ['Nanhu Electric'] },
  ];
  const byId = new Map(entities.map((e) => [e.id, e]));
  const rows: [subject: string, predicate: string, object: string, lang: 'zh' | 'en', sentence: string][] = [
    ['qingyu', 'SUBSIDIARY_OF', 'xinghe', 'zh', '青屿视觉是星河精工的全资子公司。'],
    ['qingyu', 'SUBSIDIARY_OF', 'xinghe', 'en', 'Qingyu Vision is a wholly owned subsidiary of Xinghe Precision.'],
    ['dongling', 'SUPPLIER_OF', 'xinghe', 'zh', '东岭特钢是星河精工的主要供应商。'],
    ['dongling', 'SUPPLIER_OF', 'xinghe', 'en', 'Dongling Steel is a key supplier of Xinghe Precision.'],
    ['xinghe', 'HAS_CUSTOMER', 'beiyuan', 'en', "Xinghe Precision's customers include Beiyuan Motors and Nanhu Electric."],
    ['xinghe', 'HAS_CUSTOMER', 'nanhu', 'en', "Xinghe Precision's customers include Beiyuan Motors and Nanhu Electric."],
  ];
  const facts: FactRecord[] = rows.map(([s, predicate, o, lang, sentence], i) => {
    const subject = byId.get(`e:${s}`)!;
    const object = byId.get(`e:${o}`)!;
    return {
      id: `f:sc${i + 1}`,
      subjectId: subject.id,
      subject: lang === 'zh' ? subject.name : subject.aliases[0]!,
      subjectType: subject.type,
      predicate,
      objectId: object.id,
      object: lang === 'zh' ? object.name : object.aliases[0]!,
      objectType: object.type,
      confidence: 0.9,
      lang,
      evidence: [{ chunkId: `chunk:sc:${lang}`, docSha256: lang === 'zh' ? ZH_DOC : EN_DOC, page: 3, sentenceStart: 0, sentenceEnd: sentence.length, sentence, confidence: 0.9 }],
    };
  });
  return { ...snapshot, entities: [...snapshot.entities, ...entities], facts: [...snapshot.facts, ...facts] };
}

const pack = loadIndustryPack('manufacturing');
const templates = packTemplates(pack);
const snapshot = snapshotWithSupplyChain();
const datasets = [1, 2, 3].map((seed) => synthesize(snapshot, { seed, targetSize: 5000, templates: templates as never }));
const examples: Example[] = datasets.flatMap((ds) => ds.examples);

/** Outputs about `predicate` that name both ends (refusals name neither). */
function stated(predicate: string, lang: 'zh' | 'en', a: string, b: string): string[] {
  return examples.filter((e) => e.lang === lang && e.predicates?.includes(predicate) && e.output.includes(a) && e.output.includes(b)).map((e) => e.output);
}

describe('industry pack statements in synthesis', () => {
  it('flow from the pack through packTemplates into the relation statements, placeholders normalised', () => {
    const set = resolveTemplates(templates);
    expect(set.relations.SUBSIDIARY_OF!.zh.statement).toEqual(pack.relationTypes.find((r) => r.name === 'SUBSIDIARY_OF')!.questions!.zh.statement!.map((t) => t.replace('{subject}', '{s}').replace('{object}', '{o}')));
    for (const r of pack.relationTypes) {
      if (!r.questions) continue;
      for (const lang of ['zh', 'en'] as const) {
        const own = set.relations[r.name]![lang].statement;
        expect(own.length, `${r.name} ${lang}`).toBeGreaterThanOrEqual(2);
        for (const t of own) expect(t, `${r.name} ${lang}`).not.toMatch(/\{(?:subject|object|name)\}/);
      }
    }
  });

  it('says a SUBSIDIARY_OF fact A → B as "A is the subsidiary of B", never the other way round', () => {
    const zh = stated('SUBSIDIARY_OF', 'zh', '青屿视觉', '星河精工');
    const en = stated('SUBSIDIARY_OF', 'en', 'Qingyu Vision', 'Xinghe Precision');
    expect(zh.length).toBeGreaterThan(3);
    expect(en.length).toBeGreaterThan(3);
    for (const out of zh) {
      expect(out).toMatch(/青屿视觉(?:是星河精工的子公司|隶属于星河精工|的母公司是星河精工)/);
      expect(out).not.toMatch(/星河精工(?:是青屿视觉的子公司|隶属于青屿视觉|的母公司是青屿视觉)|青屿视觉的子公司/);
    }
    for (const out of en) {
      expect(out).toMatch(/Qingyu Vision (?:is a subsidiary of|belongs to) Xinghe Precision|Xinghe Precision is the parent company of Qingyu Vision/);
      expect(out).not.toMatch(/Xinghe Precision (?:is a subsidiary of|belongs to) Qingyu Vision|subsidiary of Qingyu Vision|parent company of Xinghe Precision/);
    }
  });

  it('says a SUPPLIER_OF fact A → B as "A supplies B", and a customer list subject-first in one English sentence', () => {
    const zh = stated('SUPPLIER_OF', 'zh', '东岭特钢', '星河精工');
    expect(zh.length).toBeGreaterThan(0);
    for (const out of zh) {
      expect(out).toMatch(/东岭特钢(?:是星河精工的供应商|为星河精工供货)|星河精工从东岭特钢采购/);
      expect(out).not.toMatch(/东岭特钢的供应商|星河精工(?:是东岭特钢的供应商|为东岭特钢供货)/);
    }
    const en = stated('SUPPLIER_OF', 'en', 'Dongling Steel', 'Xinghe Precision');
    expect(en.length).toBeGreaterThan(0);
    for (const out of en) expect(out).toMatch(/Dongling Steel (?:is a supplier of|supplies|delivers to) Xinghe Precision/);
    const customers = examples.filter((e) => e.lang === 'en' && e.type !== 'refusal' && e.predicates?.[0] === 'HAS_CUSTOMER' && e.output.includes('Beiyuan Motors and Nanhu Electric'));
    expect(customers.length).toBeGreaterThan(0);
    for (const e of customers) expect(e.output).toMatch(/Xinghe Precision (?:sells to|counts) Beiyuan Motors and Nanhu Electric/);
  });

  it('never falls back to the generic sentence for a pack relation, and never answers with "of of"', () => {
    const packRelations = new Set(pack.relationTypes.filter((r) => r.questions).map((r) => r.name));
    for (const e of examples) {
      if (e.lang === 'en') expect(e.output, e.instruction).not.toMatch(/\bof of\b/i);
      if (e.predicates?.every((p) => packRelations.has(p))) expect(e.output, e.instruction).not.toMatch(/by the relation "|”关系/);
    }
  });

  it('composes multi-hop questions from the pack hops: no "of of", SUBSIDIARY_OF reads 母公司 / parent company', () => {
    const set = resolveTemplates(templates);
    expect(set.relations.SUBSIDIARY_OF!.hop.zh).toBe('{x}的母公司');
    expect(set.relations.SUBSIDIARY_OF!.hop.zh).not.toMatch(/子公司/);
    expect(set.relations.SUBSIDIARY_OF!.hop.en).toBe('the parent company of {x}');
    const hops = examples.filter((e) => e.type === 'multi_hop');
    for (const e of hops) expect(e.instruction).not.toMatch(/\bof of\b/i);
    const viaParent = hops.filter((e) => e.predicates?.[0] === 'SUBSIDIARY_OF');
    expect(viaParent.filter((e) => e.lang === 'zh').length).toBeGreaterThan(0);
    expect(viaParent.filter((e) => e.lang === 'en').length).toBeGreaterThan(0);
    for (const e of viaParent) {
      if (e.lang === 'zh') {
        expect(e.instruction).toContain('青屿视觉的母公司');
        expect(e.instruction).not.toMatch(/青屿视觉的子公司/);
      } else {
        expect(e.instruction).toContain('the parent company of Qingyu Vision');
      }
    }
    const viaSupplier = hops.filter((e) => e.predicates?.[0] === 'SUPPLIER_OF');
    for (const e of viaSupplier) expect(e.instruction).not.toMatch(/东岭特钢的供应商|supplier of of/);
  });

  it('asks no multi-hop question through a relation without a hop of its own (no phrase invented from its name)', () => {
    // A customer pack relation with questions but no hop, and a relation no template knows at all.
    const custom = structuredClone(templates) as Record<string, Record<string, unknown>>;
    delete custom.SUBSIDIARY_OF!.hopZh;
    delete custom.SUBSIDIARY_OF!.hopEn;
    for (const lang of ['zh', 'en']) delete (custom.SUBSIDIARY_OF![lang] as Record<string, unknown>).hop;
    const withPartner: SnapshotData = {
      ...snapshot,
      facts: [...snapshot.facts, { ...snapshot.facts.find((f) => f.predicate === 'SUPPLIER_OF' && f.lang === 'en')!, id: 'f:partner', predicate: 'PARTNER_OF', subjectId: 'e:beiyuan', subject: 'Beiyuan Motors', objectId: 'e:xinghe', object: 'Xinghe Precision' }],
    };
    expect(resolveTemplates(custom).relations.SUBSIDIARY_OF!.hop).toEqual({});
    const ds = synthesize(withPartner, { seed: 1, targetSize: 5000, templates: custom as never });
    const hops = ds.examples.filter((e) => e.type === 'multi_hop');
    expect(hops.filter((e) => e.predicates?.includes('SUPPLIER_OF')).length, 'multi-hop through relations with hops still asked').toBeGreaterThan(0);
    for (const e of hops) {
      expect(e.predicates, e.instruction).not.toContain('SUBSIDIARY_OF');
      expect(e.predicates, e.instruction).not.toContain('PARTNER_OF');
    }
    expect(ds.examples.some((e) => e.predicates?.includes('SUBSIDIARY_OF')), 'the relation is still asked about directly').toBe(true);
  });
});
