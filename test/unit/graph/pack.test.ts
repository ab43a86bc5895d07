import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IndustryPackError, industriesDir, loadIndustryPack, mergePacks, parseIndustryPack, validatePack, type QuestionSet } from '../../../configs/industry-pack.js';

/** Every shipped pack's question set per relation and language, with a label for messages. */
function shippedQuestionSets(): { at: string; lang: 'zh' | 'en'; q: QuestionSet }[] {
  const packs = readdirSync(industriesDir()).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length));
  expect(packs).toEqual(expect.arrayContaining(['generic', 'manufacturing']));
  return packs.flatMap((name) =>
    loadIndustryPack(name).relationTypes.flatMap((r) => (r.questions ? (['zh', 'en'] as const).map((lang) => ({ at: `${name} ${r.name} ${lang}`, lang, q: r.questions![lang] })) : [])),
  );
}

describe('industry packs', () => {
  it('loads generic and manufacturing (merged over generic), with bilingual patterns and question templates', () => {
    const g = loadIndustryPack('generic');
    const m = loadIndustryPack('manufacturing');
    expect(m.relationTypes.length).toBeGreaterThan(g.relationTypes.length);
    for (const name of ['LOCATED_IN', 'FOUNDED_IN', 'FOUNDED_BY', 'HAS_CEO', 'SUBSIDIARY_OF', 'ACQUIRED', 'RELEASED', 'HAS_PART', 'PRICED_AT', 'CERTIFIED', 'SUPPLIER_OF', 'HAS_CUSTOMER']) {
      const r = m.relationTypes.find((x) => x.name === name)!;
      expect(r, name).toBeDefined();
      expect(r.patterns.zh.length, name).toBeGreaterThan(0);
      expect(r.patterns.en.length, name).toBeGreaterThan(0);
      for (const lang of ['zh', 'en'] as const) {
        for (const kind of ['forward', 'reverse', 'truefalse', 'list'] as const) expect(r.questions![lang][kind].length, `${name} ${lang} ${kind}`).toBeGreaterThanOrEqual(2);
      }
    }
    expect(m.entityTypes.find((t) => t.name === 'Location')!.dictionary).toContain('苏州');
    expect(m.entityTypes.find((t) => t.name === 'Part')!.dictionary).toContain('伺服电机');
  });

  it('gives every relation of every shipped pack enough distinct question phrasings to hold one out and still train on several', () => {
    // Synthesis holds one phrasing per question out of training for the paraphrase test: with only
    // two, a fact would be trained in a single phrasing and a small model could not generalise.
    const sets = shippedQuestionSets();
    for (const { at, q } of sets) {
      expect(q.forward.length, `${at} forward`).toBeGreaterThanOrEqual(4);
      expect(q.reverse.length, `${at} reverse`).toBeGreaterThanOrEqual(3);
      for (const t of q.forward) expect(t, `${at} forward`).toContain('{subject}');
      for (const t of q.reverse) expect(t, `${at} reverse`).toContain('{object}');
      const all = [q.forward, q.reverse, q.truefalse, q.list].flat().map((t) => t.replace(/\s+/g, ' ').trim());
      expect(all.filter((t, i) => all.indexOf(t) !== i), `${at} duplicate phrasings`).toEqual([]);
    }
    const checked = sets.length;
    expect(checked).toBeGreaterThan(0);
  });

  it('gives every relation with questions its own answer statements, subject and object both named', () => {
    // Without them synthesis falls back to a generic sentence that cannot say which way the
    // relation points (子公司, supplier of), so the model would be trained on reversed facts.
    const sets = shippedQuestionSets();
    for (const { at: where, lang, q } of sets) {
      const at = `${where} statement`;
      const statements = q.statement ?? [];
      expect(statements.length, at).toBeGreaterThanOrEqual(2);
      expect(new Set(statements).size, `${at} duplicates`).toBe(statements.length);
      for (const t of statements) {
        expect(t, at).toMatch(/\{(?:subject|s)\}/);
        expect(t, at).toMatch(/\{(?:object|o)\}/);
        expect(t, at).toMatch(lang === 'zh' ? /。$/ : /\.$/);
        expect(t, at).not.toMatch(/\?|？/);
      }
      // Several objects are joined into one English sentence only by a template starting with the subject.
      if (lang === 'en') expect(statements.some((t) => /^\{(?:subject|s)\} /.test(t)), `${at} subject-first`).toBe(true);
    }
    const checked = sets.length;
    expect(checked).toBeGreaterThan(30);
  });

  it('gives every relation with questions a multi-hop noun phrase per language, naming the object seen from {x}', () => {
    // Without one, synthesis would build "the subsidiary of of X" / "X的子公司" from the relation
    // name; a relation without a hop gets no multi-hop questions at all.
    const sets = shippedQuestionSets();
    for (const { at: where, lang, q } of sets) {
      const at = `${where} hop`;
      const hop = q.hop;
      expect(hop, at).toBeDefined();
      expect(hop, at).toContain('{x}');
      expect(hop, at).not.toMatch(/\{(?:subject|object|s|o)\}|[?？。]/);
      if (lang === 'en') expect(hop, at).not.toMatch(/\bof of\b|\b(?:by|in|of) of\b/);
    }
    const checked = sets.length;
    expect(checked).toBeGreaterThan(30);
    const m = loadIndustryPack('manufacturing').relationTypes;
    const hop = (rel: string) => m.find((r) => r.name === rel)!.questions!;
    expect(hop('SUBSIDIARY_OF').zh.hop).toBe('{x}的母公司');
    expect(hop('SUBSIDIARY_OF').en.hop).toBe('the parent company of {x}');
    expect(hop('SUPPLIER_OF').zh.hop).not.toMatch(/供应商/);
    expect(hop('FOUNDED_BY').en.hop).toBe('the founder of {x}');
  });

  it('rejects a pack hop without {x}', () => {
    const q = { forward: ['{subject}拥有什么？'], reverse: ['谁拥有{object}？'], truefalse: ['{subject}拥有{object}吗？'], list: ['{subject}拥有哪些？'] };
    const pack = (hop: string) => ({
      name: 'owns',
      entityTypes: [{ name: 'Organization', zh: '组织', en: 'org' }],
      relationTypes: [{ name: 'OWNS', zh: '拥有', en: 'owns', subjectTypes: ['Organization'], objectTypes: ['Organization'], questions: { zh: { ...q, hop }, en: q } }],
    });
    expect(parseIndustryPack(pack('{x}拥有的公司')).relationTypes[0]!.questions!.zh.hop).toBe('{x}拥有的公司');
    expect(() => parseIndustryPack(pack('拥有的公司'))).toThrow(/hop.*\{x\}/);
  });

  it('rejects a pack statement without both placeholders', () => {
    const q = { forward: ['{subject}拥有什么？'], reverse: ['谁拥有{object}？'], truefalse: ['{subject}拥有{object}吗？'], list: ['{subject}拥有哪些？'] };
    const pack = (statement: string[]) => ({
      name: 'owns',
      entityTypes: [{ name: 'Organization', zh: '组织', en: 'org' }],
      relationTypes: [{ name: 'OWNS', zh: '拥有', en: 'owns', subjectTypes: ['Organization'], objectTypes: ['Organization'], questions: { zh: { ...q, statement }, en: q } }],
    });
    expect(parseIndustryPack(pack(['{subject}拥有{object}。'])).relationTypes[0]!.questions!.zh.statement).toEqual(['{subject}拥有{object}。']);
    expect(() => parseIndustryPack(pack(['{subject}拥有它。']))).toThrow(/statement.*needs \{subject\} and \{object\}/);
  });

  it('rejects invalid packs with the field named', () => {
    const base = { name: 'bad', entityTypes: [{ name: 'Organization', zh: '组织', en: 'org' }] };
    const rel = { name: 'OWNS', zh: '拥有', en: 'owns', subjectTypes: ['Organization'], objectTypes: ['Organization'] };
    expect(() => parseIndustryPack({ ...base, relationTypes: [{ ...rel, patterns: { zh: ['(?<subj>.+)拥有(.+)'] } }] })).toThrow(/named group "obj"/);
    expect(() => parseIndustryPack({ ...base, relationTypes: [{ ...rel, patterns: { en: ['{S} owns ({O}'] } }] })).toThrow(/invalid regex/);
    expect(() => parseIndustryPack({ ...base, relationTypes: [{ ...rel, name: 'owns) DELETE n' }] })).toThrow(/UPPER_SNAKE/);
    expect(() => validatePack(parseIndustryPack({ ...base, relationTypes: [{ ...rel, objectTypes: ['Planet'] }] }))).toThrow(IndustryPackError);
    expect(() => loadIndustryPack('../etc/passwd')).toThrow(/invalid industry pack name/);
    expect(() => loadIndustryPack('no-such-pack')).toThrow(/unknown industry pack/);
  });

  it('merges relation patterns and dictionaries by name', () => {
    const a = parseIndustryPack({ name: 'a', entityTypes: [{ name: 'Organization', zh: '组织', en: 'org', dictionary: ['A'] }] });
    const b = parseIndustryPack({ name: 'b', entityTypes: [{ name: 'Organization', zh: '组织', en: 'org', dictionary: ['B'] }] });
    expect(mergePacks(a, b).entityTypes[0]!.dictionary).toEqual(['A', 'B']);
  });
});
