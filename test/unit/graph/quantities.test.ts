import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/** Sentences written for this test in the shape of Chinese tech and business news (not taken from the real-text set). */
const run = extractTexts;
const attrs = (...texts: string[]) => run(...texts).facts.filter((f) => f.predicate.startsWith('ATTR:')).map((f) => `${f.subject} ${f.predicate.slice(5)} ${f.object}`);

describe('numbers in prose, attached to their subject with unit and date', () => {
  it('reads SUBJECT的ATTRIBUTE + link + value with its unit', () => {
    expect(attrs('毕竟国际空间站的造价高达1500亿美元，而且维护费用不菲。')).toContain('国际空间站 造价 1500亿美元');
    expect(attrs('据介绍，星澜科技股份有限公司的估值约为80亿元人民币。')).toContain('星澜科技股份有限公司 估值 80亿元人民币');
  });

  it('reads a parameter count stated with a verb of having or as 参数量', () => {
    expect(attrs('当时发布的GPT-3拥有1750亿个参数，是此前最大模型的十倍。')).toContain('GPT-3 参数量 1750亿个参数');
    expect(attrs('新发布的Qwen2.5-72B的参数量为720亿。')).toContain('Qwen2.5-72B 参数量 720亿');
  });

  it('puts the date of the clause into the attribute and keeps a rate unit (每小时)', () => {
    expect(attrs('星澜科技股份有限公司2024年营收达到12.5亿元，同比增长三成。')).toContain('星澜科技股份有限公司 2024年营收 12.5亿元');
    expect(attrs('国际空间站的运行速度达到了每小时27680公里。')).toContain('国际空间站 运行速度 27680公里/小时');
  });

  it('reads a bare score only after a score word', () => {
    expect(attrs('在公开评测中，GPT-4o的得分为88.7，位列第一。')).toContain('GPT-4o 得分 88.7');
  });

  it('makes no fact from a number without its attribute, a subject that only refers, or a year', () => {
    expect(attrs('2015年，研究人员向模型提供了大约3000万条记录。')).toEqual([]);
    expect(attrs('该公司的营收达到12亿元。')).toEqual([]);
    expect(attrs('这一价格为1985年以来最低。')).toEqual([]);
  });

  it('dates what a named company did to a named product or company (发布, 收购 …)', () => {
    const a = attrs('OpenAI于2024年5月发布了GPT-4o，谷歌在2014年收购的人工智能公司DeepMind也有新进展。');
    expect(a).toContain('OpenAI 发布GPT-4o时间 2024年5月');
    expect(a).toContain('谷歌 收购DeepMind时间 2014年');
    expect(attrs('2014年，谷歌的一位研究员发布了一篇论文。').filter((x) => x.includes('时间'))).toEqual([]);
  });
});
