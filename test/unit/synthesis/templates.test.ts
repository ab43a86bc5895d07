import { describe, expect, it } from 'vitest';
import { PHRASING_KINDS } from '../../../synthesis/templates.js';
import { SynthesisError, resolveTemplates, synthesize, templatesFor } from '../../../synthesis/index.js';
import { buildFixture } from './fixture.js';

const RELATIONS = ['LOCATED_IN', 'PRICED_AT', 'FOUNDED_IN', 'RELEASED', 'ACQUIRED', 'PART_OF', 'HAS_PART', 'IS_A', 'CEO_OF', 'SUPPLIES', 'CERTIFIED'];

describe('templates', () => {
  it('ships at least 3 phrasings per question type, zh and en, for every relation type', () => {
    const set = resolveTemplates();
    for (const rel of [...RELATIONS, 'ATTR:color', 'SOME_PACK_RELATION']) {
      const t = templatesFor(set, rel);
      for (const lang of ['zh', 'en'] as const) for (const kind of PHRASING_KINDS) expect(t[lang][kind].length, `${rel} ${lang} ${kind}`).toBeGreaterThanOrEqual(3);
    }
    for (const lang of ['zh', 'en'] as const) {
      expect(set[lang].definition.length).toBeGreaterThanOrEqual(3);
      expect(set[lang].multiHop.length).toBeGreaterThanOrEqual(3);
    }
    expect(set.skip).toContain('RELATED_TO');
  });

  it('takes an industry pack override: pack questions first then built-in ones, pack statements replace, names apply, placeholders may be spelled out', () => {
    const set = resolveTemplates({
      LOCATED_IN: { zh: { forward: ['{subject}的厂址在哪？', '{s}在哪个城市？'] }, nameEn: 'site' },
      CUSTOM_REL: { nameZh: '合作伙伴', nameEn: 'partner' },
      'ATTR:能量密度': { nameEn: 'energy density' },
    });
    const builtIn = resolveTemplates().relations.LOCATED_IN!;
    expect(set.relations.LOCATED_IN!.zh.forward).toEqual(['{s}的厂址在哪？', '{s}在哪个城市？', ...builtIn.zh.forward]);
    const stated = resolveTemplates({ LOCATED_IN: { zh: { statement: ['{s}的厂址在{o}。'] } } });
    expect(stated.relations.LOCATED_IN!.zh.statement).toEqual(['{s}的厂址在{o}。']);
    expect(set.relations.LOCATED_IN!.en.forward.length).toBeGreaterThanOrEqual(3);
    expect(set.relations.LOCATED_IN!.name.en).toBe('site');
    expect(set.relations.CUSTOM_REL!.zh.forward[0]).toContain('{name}');
    expect(templatesFor(set, 'ATTR:能量密度').name).toEqual({ zh: '能量密度', en: 'energy density' });
  });

  it('rejects templates missing their placeholders', () => {
    expect(() => resolveTemplates({ LOCATED_IN: { en: { tf: ['True or false: it is there.'] } } })).toThrow(SynthesisError);
    expect(() => resolveTemplates({ LOCATED_IN: { en: { forward: 42 } } })).toThrow(SynthesisError);
  });

  it('uses the pack phrasings in the dataset', () => {
    const ds = synthesize(buildFixture(), { seed: 1, targetSize: 5000, templates: { LOCATED_IN: { zh: { forward: ['{s}的厂址在哪？', '{s}在哪个城市？', '{s}落户何处？'] } } } });
    const zh = ds.examples.filter((e) => e.type === 'relation_qa' && e.lang === 'zh' && e.predicates?.[0] === 'LOCATED_IN');
    expect(zh.length).toBeGreaterThan(0);
    expect(zh.some((e) => /厂址在哪|在哪个城市|落户何处/.test(e.instruction))).toBe(true);
    expect(ds.options.templatesOverridden).toBe(true);
  });
});

describe('industry pack spellings', () => {
  it('accepts truefalse for tf and routes object-only list phrasings to reverse lists', () => {
    const set = resolveTemplates({
      SUPPLIES: { zh: { truefalse: ['{subject}为{object}供货吗？'], list: ['{subject}为哪些客户供货？', '{object}有哪些供应商？'] } },
    });
    expect(set.relations.SUPPLIES!.zh.tf[0]).toBe('{s}为{o}供货吗？');
    expect(set.relations.SUPPLIES!.zh.list[0]).toBe('{s}为哪些客户供货？');
    expect(set.relations.SUPPLIES!.zh.list).not.toContain('{o}有哪些供应商？');
    expect(set.relations.SUPPLIES!.zh.reverseList[0]).toBe('{o}有哪些供应商？');
  });
});

describe('withdrawn facts', () => {
  it('are never taught', () => {
    const snapshot = buildFixture();
    const withdrawn = new Set(['f:001', 'f:014']);
    for (const f of snapshot.facts) if (withdrawn.has(f.id)) f.withdrawn = true;
    const ds = synthesize(snapshot, { seed: 1, targetSize: 5000 });
    for (const e of ds.examples) for (const f of e.factIds) expect(withdrawn.has(f)).toBe(false);
  });
});
