import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/**
 * Sentences written for this test in the shapes of manuals, forms, research notes and Chinese
 * profile prose (issue 14, dev genres; none is taken from the real-text set).
 */
const run = extractTexts;
const names = (r: ReturnType<typeof run>) => r.entities.map((e) => e.name);
const typeOf = (r: ReturnType<typeof run>, name: string) => r.entities.find((e) => e.name === name || e.aliases.includes(name))?.type;
const facts = (r: ReturnType<typeof run>) => r.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`);

describe('English names inside Chinese prose are not cut', () => {
  it('joins capitalized words over of / for / in the', () => {
    const r = run('Centre for Open Research 是一个非营利组织,总部位于英国。');
    expect(names(r)).toContain('Centre for Open Research');
    expect(names(r)).not.toContain('Centre');
    expect(facts(r)).toContain('Centre for Open Research LOCATED_IN 英国');
  });

  it('keeps dotted and hyphenated words whole: no "ch" out of example.ch, no place out of non-free', () => {
    const r = run('两个合作组织是 Open Data Suisse(位于瑞士)和 example.ch(位于瑞士)。', '该仓库还有约 200 个软件包(位于 non-free 和 extra 区)。');
    expect(names(r)).not.toContain('ch');
    expect(names(r)).not.toContain('non');
    expect(facts(r)).toContain('Open Data Suisse LOCATED_IN 瑞士');
    expect(facts(r).some((f) => / LOCATED_IN (?:non|extra)$/.test(f))).toBe(false);
  });
});

describe('Chinese profile prose', () => {
  it('reads a founding year and founder written with spaces and 由 … 建立', () => {
    const r = run('Gnome 计划于 1997 年由 Miguel de Icaza 建立,最初由志愿者维护。');
    expect(typeOf(r, 'Gnome 计划')).toBe('Organization');
    expect(facts(r)).toContain('Gnome 计划 FOUNDED_IN 1997');
    expect(facts(r)).toContain('Gnome 计划 FOUNDED_BY Miguel de Icaza');
  });

  it('takes a bracketed location as a fact, not as another name of the organization', () => {
    const r = run('Open Source Nederland(位于荷兰)是其中之一。');
    expect(facts(r)).toContain('Open Source Nederland LOCATED_IN 荷兰');
    expect(r.entities.find((e) => e.name === 'Open Source Nederland')?.aliases ?? []).not.toContain('位于荷兰');
  });

  it('types a foundation or association named by a common noun as an organization', () => {
    const r = run('开放硬件基金会发布了新的年度报告。');
    expect(typeOf(r, '开放硬件基金会')).toBe('Organization');
  });
});

describe('code-shaped words that are no product', () => {
  it('leaves form numbers, ranks, postcodes, release fragments and diseases untyped', () => {
    const r = run(
      'E2 and E3 forms can be filed with the Research Office.',
      'Send the copies to Polaris House, Swindon SN2 1ET before the deadline.',
      'Our retriever improves Top-5 accuracy by a wide margin.',
      'Operations Guide Release 21.4.R2 covers the new ports.',
      'Sales fell during COVID-19 in several markets.',
    );
    const products = r.entities.filter((e) => e.type === 'Product').map((e) => e.name);
    for (const n of ['E2', 'E3', 'SN2', 'Top-5', 'R2', 'COVID-19']) expect(products).not.toContain(n);
  });

  it('still types real model codes as products', () => {
    const r = run('星河精工推出了XR-200工业机器人。', 'DeepSeek 发布了 R1 模型。');
    expect(typeOf(r, 'XR-200')).toBe('Product');
  });
});
