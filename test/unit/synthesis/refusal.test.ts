import { describe, expect, it } from 'vitest';
import { synthesize } from '../../../synthesis/index.js';
import { CorpusStyleNames, FictionalNames } from '../../../synthesis/fictional-names.js';
import { buildFixture } from './fixture.js';
import { allNames, norm } from './helpers.js';

const snapshot = buildFixture();
const names = allNames(snapshot);

describe('refusals', () => {
  const ds = synthesize(snapshot, { seed: 5, targetSize: 1500, refusalShare: 0.1 });
  const refusals = ds.examples.filter((e) => e.type === 'refusal');

  it('answers with the refusal sentence and cites nothing', () => {
    expect(refusals.length).toBeGreaterThan(20);
    for (const e of refusals) {
      expect(e.output).toBe(e.lang === 'zh' ? '资料中没有相关信息。' : 'The documents do not say.');
      expect(e.factIds).toEqual([]);
      expect(e.chunkIds).toEqual([]);
      expect(e.gold).toEqual([]);
    }
  });

  it('never asks about an entity of the graph when the entity is made up', () => {
    const absent = refusals.filter((e) => e.refusalKind === 'absent_entity');
    expect(absent.length).toBeGreaterThan(5);
    for (const e of absent) {
      const name = norm(e.claim!.subject);
      expect(e.instruction).toContain(e.claim!.subject);
      expect(e.entityIds).toEqual([]);
      for (const n of names) {
        expect(name === n, `${name} = ${n}`).toBe(false);
        if (n.length >= 2) expect(name.includes(n) || n.includes(name), `${name} ~ ${n}`).toBe(false);
      }
    }
  });

  it('never refuses a question about a real entity (the text may state what the graph lacks)', () => {
    expect(refusals.every((e) => e.refusalKind === 'absent_entity')).toBe(true);
    for (const e of refusals) {
      expect(e.entityIds).toEqual([]);
      expect(e.claim!.subjectId).toBeUndefined();
    }
  });

  it('makes no name that occurs in an evidence sentence', () => {
    const texts = snapshot.facts.flatMap((f) => f.evidence.map((x) => norm(x.sentence)));
    for (const e of refusals) {
      const name = norm(e.claim!.subject);
      expect(texts.some((t) => t.includes(name)), name).toBe(false);
    }
    expect(new FictionalNames(new Set(), ['北辰重工宣布扩产。']).isAbsent('北辰重工')).toBe(false);
    expect(new FictionalNames(new Set(), ['北辰重工宣布扩产。']).isAbsent('南岭电子')).toBe(true);
  });

  it('still refuses as many questions as asked when every refusal is a made-up entity', () => {
    expect(refusals.length).toBeGreaterThanOrEqual(Math.floor(1500 * 0.1 * 0.9));
  });

  it('makes names that collide with nothing, in both scripts', () => {
    const made = new FictionalNames(new Set(names));
    for (let i = 0; i < 50; i++) {
      for (const lang of ['zh', 'en'] as const) {
        const n = made.make(1, `t${i}`, 'Company', lang === 'zh' ? '公司' : 'company', lang);
        expect(n).toBeDefined();
        expect(names).not.toContain(norm(n!));
      }
    }
    expect(new FictionalNames(new Set(['华瑞科技有限公司'])).isAbsent('华瑞科技有限公司')).toBe(false);
    expect(new FictionalNames(new Set(['tesla'])).isAbsent('Tesla Dynamics')).toBe(false);
  });
});

describe('unanswerable test questions in the corpus style', () => {
  const ZH_SYL = '华瑞锦泰恒鼎昊晟嘉隆宏璟澜岚弈珩翊骁沐湛曜琨玑峤';
  const EN_CORE = /(Vel|Tor|Qua|Zen|Mar|Bry|Kel|Osk|Dra|Lum|Nex|Vor|Sal|Tiv|Cor|Ald)(ano|ix|ora|eth|une|ava|ire|oss|ant|elle|ovo|ury)/;
  const ZH_SURNAME = /^(欧阳|司徒|诸葛|上官|皇甫|慕容|东方|令狐|尉迟|公孙)/;
  const generatorStyle = (n: string) => EN_CORE.test(n) || ZH_SURNAME.test(n) || Array.from(n).slice(0, 2).every((c) => ZH_SYL.includes(c));

  it('test names recombine the corpus’s own names; train names keep the generator’s look', () => {
    const ds = synthesize(snapshot, { seed: 5, targetSize: 1500, refusalShare: 0.1 });
    const absent = ds.examples.filter((e) => e.refusalKind === 'absent_entity');
    const test = absent.filter((e) => e.split === 'test_heldout');
    const train = absent.filter((e) => e.split === 'train');
    expect(test.length).toBeGreaterThan(3);
    expect(train.every((e) => generatorStyle(e.claim!.subject))).toBe(true);
    expect(test.filter((e) => !generatorStyle(e.claim!.subject)).length / test.length).toBeGreaterThanOrEqual(0.6);
  });

  it('model codes keep a real prefix with an unused number; Chinese names join two real names; nothing equals a real name', () => {
    const byType = new Map<string, string[]>([['Product', ['XR-200', 'XR-350', 'XR-80']], ['Company', ['东岭特钢有限公司', '安科伺服电机有限公司', 'Xinghe Drive Technology', 'Qingyu Vision Technology']]]);
    const known = new Set([...byType.values()].flat().map(norm));
    const made = new CorpusStyleNames(known, byType);
    for (let i = 0; i < 10; i++) {
      const code = made.make(1, `p${i}`, 'Product', 'en')!;
      expect(code).toMatch(/^XR-\d+$/);
      expect(['XR-200', 'XR-350', 'XR-80']).not.toContain(code);
    }
    const zh = made.make(1, 'c', 'Company', 'zh')!;
    expect(['东岭伺服电机有限公司', '安科特钢有限公司']).toContain(zh);
    const en = made.make(1, 'e', 'Company', 'en')!;
    expect(['Xinghe Vision Technology', 'Qingyu Drive Technology']).toContain(en);
    expect(made.make(1, 'x', 'Standard', 'en')).toBeUndefined();
  });
});
