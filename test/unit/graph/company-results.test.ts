import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/** Sentences written for this test in the shape of Chinese results news about a listed company (made-up companies, not from the real-text set). */
const run = extractTexts;
const facts = (...texts: string[]) => run(...texts).facts.map((f) => `${f.subject} ${f.predicate.replace(/^ATTR:/u, '')} ${f.object}`);

const NEWS = '星河置业集团有限公司今日发布中期业绩。上半年,星河置业实现合约销售金额512.3亿元,同比增长12.5%;营业额210.4亿元,同比增长30.1%;归属于股东的净利润为41.2亿元。星河置业表示,星河置业将继续稳健经营。';

describe('a company’s results in prose (营业额 …亿元, 同比增长 …%)', () => {
  it('gives each amount and its growth to the company, named by its short name, across clauses cut at ；', () => {
    const f = facts(NEWS);
    expect(f).toContain('星河置业集团有限公司 合约销售金额 512.3亿元');
    expect(f).toContain('星河置业集团有限公司 合约销售金额同比增长 12.5%');
    expect(f).toContain('星河置业集团有限公司 营业额 210.4亿元');
    expect(f).toContain('星河置业集团有限公司 营业额同比增长 30.1%');
    expect(f).toContain('星河置业集团有限公司 归属于股东的净利润 41.2亿元');
  });

  it('merges a brand used alone again and again with the company named with its suffix', () => {
    const e = run(NEWS).entities.find((x) => x.name === '星河置业集团有限公司');
    expect(e?.aliases).toContain('星河置业');
    // Used alone only once, a brand is not taken for the company's short name.
    const once = run('星河置业集团有限公司今日发布中期业绩。星河置业表示将稳健经营。').entities.find((x) => x.name === '星河置业集团有限公司');
    expect(once?.aliases ?? []).not.toContain('星河置业');
  });

  it('reads a list of amounts "分别为" as one amount per year of the stated span, in order', () => {
    const f = facts(`${NEWS}2019年至2021年间,星河置业的营业支出分别为12.1亿元、15.6亿元和20.3亿元。`);
    expect(f).toContain('星河置业集团有限公司 2019年营业支出 12.1亿元');
    expect(f).toContain('星河置业集团有限公司 2021年营业支出 20.3亿元');
    // Two amounts for a three-year span: not one amount per year, no fact.
    expect(facts(`${NEWS}2019年至2021年间,星河置业的营业支出分别为12.1亿元和20.3亿元。`).filter((x) => x.includes('营业支出'))).toEqual([]);
  });

  it('makes no fact when two companies come before the amount, or when another name stands in its clause', () => {
    expect(facts('星河置业集团有限公司公布业绩,全年实现营业收入88.2亿元。')).toContain('星河置业集团有限公司 营业收入 88.2亿元');
    expect(facts('星河置业集团有限公司与青屿地产有限公司公布业绩,全年实现营业收入88.2亿元。').filter((x) => x.includes('营业收入'))).toEqual([]);
    expect(facts('上半年,星河置业集团有限公司旗下物业在苏州实现营业收入12.1亿元。').filter((x) => x.startsWith('星河置业'))).toEqual([]);
  });

  it('does not locate the company in a place that locates one of its projects (位于苏州的…项目)', () => {
    expect(facts(`${NEWS}目前星河置业位于苏州的青枫花园项目已交付。`).filter((x) => x.includes('LOCATED_IN'))).toEqual([]);
    expect(facts('青屿地产有限公司位于苏州。')).toContain('青屿地产有限公司 LOCATED_IN 苏州');
  });

  it('reads a company’s project in a place (在/位于 X 的…项目) as OPERATES_IN, not as its seat', () => {
    const f = facts(`${NEWS}以星河置业在苏州的青枫花园项目为例,交付延期。`);
    expect(f).toContain('星河置业集团有限公司 OPERATES_IN 苏州');
    expect(f.filter((x) => x.includes('LOCATED_IN'))).toEqual([]);
    // A place with no project, plant or branch after it says nothing of where the company operates.
    expect(facts(`${NEWS}星河置业在苏州召开了发布会。`).filter((x) => x.includes('OPERATES_IN'))).toEqual([]);
  });
});
