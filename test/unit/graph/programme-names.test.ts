import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/** Sentences written for this test in the shape of Chinese popular-science news (made-up programme and column names). */
const run = extractTexts;
const entities = (...texts: string[]) => run(...texts).entities.map((e) => `${e.type} ${e.name}`);

describe('names the detector used to miss', () => {
  it('takes a quoted name before 项目/计划/工程 for a programme (a product), so a later plain mention is a name too', () => {
    const r = run('在实施‘星穹观测站(starlab)’项目时,研究人员带去了种子。星穹观测站是欧洲第一座空间站。');
    expect(r.entities.map((e) => `${e.type} ${e.name}`)).toContain('Product 星穹观测站');
    expect(r.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`)).toContain('星穹观测站 IS_A 欧洲第一座空间站');
    // Quotes around a phrase not followed by a programme word make no name.
    expect(entities('他说这是‘星穹观测站’的一部分。')).not.toContain('Product 星穹观测站');
  });

  it('names a column or editorial team after a well-known organisation (网易…栏目组) even without a proper-noun tag', () => {
    expect(entities('出品—网易科学人栏目组 小明')).toContain('Organization 网易科学人栏目组');
    expect(entities('本期由科学人栏目组出品。')).not.toContain('Organization 科学人栏目组');
  });
});
