import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/** Sentences written for this test in the shape of Chinese AI-industry news (not taken from the real-text set). */
const run = extractTexts;
const typeOf = (r: ReturnType<typeof run>, name: string) => r.entities.find((e) => e.name === name || e.aliases.includes(name))?.type;
const facts = (r: ReturnType<typeof run>) => r.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`);

describe('company and product names in news', () => {
  it('types well-known companies without a legal suffix as organizations', () => {
    const r = run('据报道，谷歌和微软都在加大投入，OpenAI也在筹备新一轮融资。');
    expect(typeOf(r, '谷歌')).toBe('Organization');
    expect(typeOf(r, '微软')).toBe('Organization');
    expect(typeOf(r, 'OpenAI')).toBe('Organization');
  });

  it('types Latin-script model names with a version as products and links them to their maker', () => {
    const r = run('OpenAI于2024年5月发布了GPT-4o，阿里云随后推出了Qwen2.5。');
    expect(typeOf(r, 'GPT-4o')).toBe('Product');
    expect(typeOf(r, 'Qwen2.5')).toBe('Product');
    expect(facts(r)).toContain('OpenAI RELEASED GPT-4o');
  });

  it('types a quoted name after a verb of releasing as a product', () => {
    const r = run('百度当天正式发布了“文心一言”，并开放企业测试。');
    expect(typeOf(r, '文心一言')).toBe('Product');
    expect(facts(r)).toContain('百度 RELEASED 文心一言');
  });

  it('reads 科技/智能 as a company suffix only when it ends the name (商汤科技, not 智能手机)', () => {
    const r = run('商汤科技表示，公司将继续投入研发。', '华为智能手机的销量回升。');
    expect(typeOf(r, '商汤科技')).toBe('Organization');
    expect(r.entities.some((e) => e.name === '华为智能')).toBe(false);
  });
});

describe('companies introduced by country and trade', () => {
  it('types the name after PLACE + descriptor as an organization LOCATED_IN the place', () => {
    const r = run('2019年，德国汽车制造商宝马(BMW)宣布了新的电池计划。', '美国芯片巨头英伟达发布了新一代芯片。');
    expect(typeOf(r, '宝马')).toBe('Organization');
    expect(facts(r)).toContain('宝马 LOCATED_IN 德国');
    expect(facts(r)).toContain('英伟达 LOCATED_IN 美国');
  });

  it('reads a category right before a name as IS_A (人工智能公司DeepMind), not a generic head (全资子公司X)', () => {
    expect(facts(run('谷歌在2014年收购的人工智能公司DeepMind开发出一款新系统。'))).toContain('DeepMind IS_A 人工智能公司');
    expect(facts(run('公司全资子公司星澜科技有限公司完成了注册。')).filter((x) => x.includes('IS_A'))).toEqual([]);
  });
});
