import { describe, expect, it } from 'vitest';
import { synthesize } from '../../../synthesis/index.js';
import { FictionalNames } from '../../../synthesis/fictional-names.js';
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
