import { describe, expect, it } from 'vitest';
import { extractTexts } from './helpers.js';

/** Sentences written for this test (not taken from the real-text set). */
const run = extractTexts;
const facts = (...texts: string[]) => run(...texts).facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`);
const typeOf = (r: ReturnType<typeof run>, name: string) => r.entities.find((e) => e.name === name || e.aliases.includes(name))?.type;

describe('counts without an attribute word', () => {
  it('reads SUBJECT 拥有/包含 N 名/个 NOUN as the count of the noun', () => {
    expect(facts('零一万物目前拥有约300名员工，其中一半是工程师。')).toContain('零一万物 ATTR:员工人数 300名');
    expect(facts('华为拥有超过20万名员工。')).toContain('华为 ATTR:员工人数 20万名');
    expect(facts('Debian 目前包含了超过 59100 个软件包。')).toContain('Debian ATTR:软件包数量 59100个');
  });

  it('reads English SUBJECT has/employs N NOUNS', () => {
    expect(facts('The Linux Foundation has 1,012 volunteers.')).toContain('Linux Foundation ATTR:number of volunteers 1,012');
    expect(facts('Acme Corp employs over 3,000 people worldwide.')).toContain('Acme Corp ATTR:number of people 3,000');
  });

  it('extracts no count without a named subject right before the verb, or when the noun opens a clause', () => {
    const none = (t: string) => expect(facts(t).filter((f) => f.includes('ATTR:'))).toEqual([]);
    none('公司有300名员工。');
    none('该公司拥有3000名员工。');
    none('有 1012 名志愿者持续贡献新代码,星河软件得以快速发展。');
    none('星河软件仓库也包含大约 1000 个需要按照特定的条款进行分发的软件包。');
    none('He has 28 years of experience in computing.');
    none('Acme Corp has 28 years of history.');
    none('星河科技拥有3个月的试用期。');
  });
});

describe('Chinese AI-industry news shapes', () => {
  it('keeps a well-known company whole inside a longer legal name and merges the short name (以下简称)', () => {
    const r = run('北京月之暗面科技有限公司（以下简称月之暗面）今天宣布完成新一轮融资。');
    expect(r.entities.find((e) => e.name === '北京月之暗面科技有限公司')?.aliases).toContain('月之暗面');
  });

  it('gives a score measured on a benchmark to the model before 在, never to the benchmark', () => {
    expect(facts('GLM-4在MMLU测试中得分86.5。')).toContain('GLM-4 ATTR:MMLU得分 86.5');
    expect(facts('Claude 3.5 Sonnet在MMLU基准测试中的得分为88.7。')).toContain('Claude 3.5 Sonnet ATTR:MMLU得分 88.7');
    expect(facts('GLM-4在MMLU测试中得分86.5。').filter((f) => f.startsWith('MMLU'))).toEqual([]);
    expect(facts('该模型在MMLU上得分88.7。')).toEqual([]);
  });

  it('keeps a price per period (售价49元/月) and no Latin subject after a demonstrative', () => {
    expect(facts('Kimi会员售价49元/月。')).toContain('Kimi ATTR:会员售价 49元/月');
    expect(facts('该API售价为2美元/百万tokens。').filter((f) => f.includes('ATTR:'))).toEqual([]);
  });

  it('reads a title in 《》 after a release verb as the product, whole; a plan or law in 《》 is no product', () => {
    const r = run('阿里云推出了《通义千问2.5》。');
    expect(typeOf(r, '通义千问2.5')).toBe('Product');
    expect(r.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`)).toContain('阿里云 RELEASED 通义千问2.5');
    expect(facts('国务院发布了《新一代人工智能发展规划》。')).not.toContain('国务院 RELEASED 新一代人工智能发展规划');
  });

  it('dates a release whose product is an untyped Latin name, and reads Google DeepMind and Kimi k1.5 whole', () => {
    expect(facts('Mistral AI于2024年2月发布Mistral Large。')).toContain('Mistral AI ATTR:发布Mistral Large时间 2024年2月');
    expect(facts('Google DeepMind随后推出Gemini 2.0。')).toContain('Google DeepMind RELEASED Gemini 2.0');
    expect(facts('月之暗面发布了Kimi k1.5模型。')).toContain('月之暗面 RELEASED Kimi k1.5');
  });

  it('reads a vice-president as HAS_ROLE, never HAS_CEO, and 创始人兼CEO as the CEO', () => {
    expect(facts('智谱副总裁李明表示，新模型将于下月上线。')).toEqual(['李明 HAS_ROLE 智谱']);
    expect(facts('月之暗面创始人兼CEO杨植麟表示，公司将继续投入长文本技术。')).toContain('月之暗面 HAS_CEO 杨植麟');
  });
});

describe('people, roles and hedges in news', () => {
  it('reads a name jieba cuts apart (王/小川) or glues to 称 (吴泳铭称) as the person', () => {
    expect(facts('百川智能的创始人王小川曾任搜狗CEO。')).toEqual(expect.arrayContaining(['百川智能 FOUNDED_BY 王小川']));
    expect(facts('百川智能的创始人王小川曾任搜狗CEO。').some((f) => f.includes('搜狗'))).toBe(false);
    expect(facts('阿里巴巴集团CEO吴泳铭称，阿里云将加大投入。')).toContain('阿里巴巴集团 HAS_CEO 吴泳铭');
  });

  it('reads 创始人兼CEO as HAS_CEO and FOUNDED_BY, never HAS_ROLE; a deputy CEO is no CEO', () => {
    const f = facts('月之暗面创始人兼CEO杨植麟表示，公司将继续投入。');
    expect(f).toEqual(expect.arrayContaining(['月之暗面 HAS_CEO 杨植麟', '月之暗面 FOUNDED_BY 杨植麟']));
    expect(f.some((x) => x.includes('HAS_ROLE'))).toBe(false);
    expect(facts('智谱副CEO李明表示，新模型将于下月上线。').some((x) => x.includes('HAS_CEO'))).toBe(false);
  });

  it('states nothing about a future release or a generic "new model"', () => {
    expect(facts('王小川表示，百川智能将发布新模型。')).toEqual([]);
    expect(facts('百川智能发布了新模型。')).toEqual([]);
    expect(facts('Acme Corp will launch the Falcon X2.').filter((x) => x.includes('RELEASED'))).toEqual([]);
  });

  it('types an unknown Latin name by its place: the subject of 发布 is an organization, the name before 大模型 a product', () => {
    const r = run('MiniMax于2024年1月发布了abab6大模型。');
    expect(typeOf(r, 'MiniMax')).toBe('Organization');
    expect(typeOf(r, 'abab6')).toBe('Product');
    expect(r.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`)).toEqual(expect.arrayContaining(['MiniMax RELEASED abab6', 'MiniMax ATTR:发布abab6时间 2024年1月']));
    expect(typeOf(run('GPT-4o发布后，用户数大增。'), 'GPT-4o')).toBe('Product');
  });

  it('types a name introduced by 名为 as a product, never a kind word (AI模型) or a name cut before its slash', () => {
    const r = run('星河实验室表示，这款名为XNC(可微神经计算机)的AI模型可以读懂地图。');
    expect(typeOf(r, 'XNC')).toBe('Product');
    expect(typeOf(r, 'AI')).toBeUndefined();
    expect(typeOf(run('两家组织合作开发的系统称为 Orion GNU/Hurd。'), 'Orion GNU')).toBeUndefined();
  });
});

describe('money in deals', () => {
  it('reads investments, rounds and the valuation stated with them', () => {
    expect(facts('微软向OpenAI投资了130亿美元。')).toEqual(expect.arrayContaining(['微软 INVESTED_IN OpenAI', '微软 ATTR:对OpenAI投资金额 130亿美元']));
    expect(facts('xAI完成了60亿美元的B轮融资。')).toContain('xAI ATTR:B轮融资金额 60亿美元');
    expect(facts('OpenAI宣布完成66亿美元融资，估值达1570亿美元。')).toEqual(expect.arrayContaining(['OpenAI ATTR:融资金额 66亿美元', 'OpenAI ATTR:估值 1570亿美元']));
  });

  it('needs a currency and a named organization on both sides', () => {
    expect(facts('微软向该公司投资了130亿美元。').filter((x) => x.includes('投资'))).toEqual([]);
    expect(facts('xAI完成了60亿的B轮融资。').filter((x) => x.includes('融资'))).toEqual([]);
  });
});

describe('news clauses with a parent, a yardstick or a trend word', () => {
  it('gives a release to the unit after 旗下, which is a subsidiary, never to the parent', () => {
    const f = facts('5月15日，字节跳动旗下火山引擎正式发布豆包大模型。');
    expect(f).toContain('火山引擎 SUBSIDIARY_OF 字节跳动');
    expect(f.some((x) => x.startsWith('字节跳动 RELEASED'))).toBe(false);
  });

  it('reads a model named as a yardstick (GPT-4级) as no subject, and a quoted trend word (“价格战”) as no product', () => {
    const r = run('随后，阿里云宣布GPT-4级主力模型Qwen-Long的输入价格降至0.0005元/千tokens。');
    expect(r.facts.map((x) => `${x.subject} ${x.predicate} ${x.object}`).some((x) => x.startsWith('GPT-4 '))).toBe(false);
    expect(typeOf(r, 'Qwen-Long')).toBe('Product');
    expect(typeOf(run('大模型“价格战”愈演愈烈。'), '价格战')).toBeUndefined();
  });

  it('reads a valuation after 已 and a count with a scale but no classifier', () => {
    expect(facts('月之暗面的估值已达到33亿美元。')).toContain('月之暗面 ATTR:估值 33亿美元');
    expect(facts('华为拥有20万员工。')).toContain('华为 ATTR:员工人数 20万');
  });
});

describe('results compared in prose', () => {
  it('gives both systems their score: "(X% vs. Y% in METRIC)" after outperforms, "It" standing for the previous opener', () => {
    const f = facts('Our Falcon Retriever (FR) is exceptionally strong. It not only outperforms BM25 by a large margin (65.2% vs. 42.9% in Top-5 accuracy), but also results in a substantial improvement on the end-to-end QA accuracy compared to ORQA (41.5% vs. 33.3%) in the open setting.');
    expect(f).toEqual(expect.arrayContaining([
      'Falcon Retriever ATTR:Top-5 accuracy 65.2%', 'BM25 ATTR:Top-5 accuracy 42.9%',
      'Falcon Retriever ATTR:end-to-end QA accuracy 41.5%', 'ORQA ATTR:end-to-end QA accuracy 33.3%',
    ]));
  });

  it('gives the beaten model its score on the same benchmark (超过了Y的N)', () => {
    expect(facts('Qwen2.5-Max在Arena-Hard测试中得分89.4，超过了GPT-4o的85.2。')).toEqual(expect.arrayContaining(['Qwen2.5-Max ATTR:Arena-Hard得分 89.4', 'GPT-4o ATTR:Arena-Hard得分 85.2']));
  });

  it('reads no result without two named systems', () => {
    expect(facts('The results show a large gap (65.2% vs. 42.9%).')).toEqual([]);
    expect(facts('It outperforms the baseline (65.2% vs. 42.9% in Top-5 accuracy).')).toEqual([]);
  });
});

describe('release dates, Latin names of people and versioned Chinese product names', () => {
  it('dates a release from a date opening the sentence, and a product released on a date', () => {
    expect(facts('2024年5月13日，OpenAI发布了GPT-4o。')).toContain('OpenAI ATTR:发布GPT-4o时间 2024年5月13日');
    expect(facts('GPT-4o于2024年5月发布。')).toContain('GPT-4o ATTR:发布时间 2024年5月');
    expect(facts('GPT-4o于2024年5月发布会上亮相。').filter((x) => x.includes('时间'))).toEqual([]);
  });

  it('reads a Latin name after a Chinese title as the person, and the organization before a title with Latin in it', () => {
    expect(facts('OpenAI联合创始人Ilya Sutskever已离开公司。')).toEqual(expect.arrayContaining(['Ilya Sutskever HAS_ROLE OpenAI', 'OpenAI FOUNDED_BY Ilya Sutskever']));
    expect(facts('Anthropic联合创始人兼CEO Dario Amodei认为，AI将在五年内改变生物学。')).toEqual(expect.arrayContaining(['Anthropic HAS_CEO Dario Amodei', 'Anthropic FOUNDED_BY Dario Amodei']));
    const f = facts('Meta首席AI科学家杨立昆(Yann LeCun)对此表示怀疑。');
    expect(f).toEqual(['杨立昆 HAS_ROLE Meta']);
  });

  it('reads a Chinese name with its version after a release verb whole (讯飞星火4.0 Turbo), not a count', () => {
    expect(facts('科大讯飞发布的讯飞星火4.0 Turbo在多项能力上超过GPT-4 Turbo。')).toContain('科大讯飞 RELEASED 讯飞星火4.0 Turbo');
    expect(run('华为发布了3款新手机。').entities.some((e) => e.type === 'Product')).toBe(false);
  });

  it('reads a market value after 一度', () => {
    expect(facts('英伟达的市值一度突破3万亿美元。')).toContain('英伟达 ATTR:市值 3万亿美元');
  });
});

describe('glosses, places and 其', () => {
  it('links no lower-case term gloss as a name (自由软件(free software)), but keeps a name gloss', () => {
    expect(run('当我们提及自由软件(free software)的时候，free指的是自由。').entities).toEqual([]);
    expect(run('英伟达（NVIDIA）发布了新芯片。').entities.find((e) => e.name === '英伟达')?.aliases).toContain('NVIDIA');
  });

  it('types a name with a place suffix (国际空间站) as a place and reads 其 as the subject already named with a number', () => {
    const r = run('毕竟国际空间站的造价高达1500亿美元，而且在太空中其运行速度达到了每小时27680公里。');
    expect(typeOf(r, '国际空间站')).toBe('Location');
    expect(r.facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`)).toEqual(expect.arrayContaining(['国际空间站 ATTR:造价 1500亿美元', '国际空间站 ATTR:运行速度 27680公里/小时']));
    expect(facts('其运行速度达到了每小时27680公里。')).toEqual([]);
  });
});

describe('more news shapes: titles in brackets, 总裁, scores, prices, growth', () => {
  it('reads (ORG CEO) after a name as HAS_CEO and no phrase as a person (会上)', () => {
    expect(facts('李开复（零一万物CEO）在会上发言。')).toEqual(['零一万物 HAS_CEO 李开复']);
  });

  it('reads 总裁 as HAS_ROLE, never HAS_CEO (副总裁 ≠ 总裁 ≠ CEO)', () => {
    const f = facts('百度智能云事业群总裁沈抖透露，文心大模型日调用量超过15亿次。');
    expect(f.some((x) => x.includes('HAS_CEO'))).toBe(false);
    expect(f).toContain('沈抖 HAS_ROLE 百度');
  });

  it('reads 在BENCH上取得了N分, a price with a modifier after 的, a fee per month and the growth right after a value', () => {
    expect(facts('GLM-4在C-Eval上取得了91.2分的成绩。')).toContain('GLM-4 ATTR:C-Eval得分 91.2分');
    expect(facts('该模型在C-Eval上取得了91.2分的成绩。')).toEqual([]);
    expect(facts('Kimi的付费版本售价为每月99元。')).toContain('Kimi ATTR:付费版本售价 99元/月');
    expect(facts('OpenAI推出的ChatGPT Pro每月收费200美元。')).toContain('ChatGPT Pro ATTR:每月收费 200美元');
    expect(facts('智谱2024年营收约为3亿元，同比增长超过100%。')).toEqual(expect.arrayContaining(['智谱 ATTR:2024年营收 3亿元', '智谱 ATTR:2024年营收同比增长 100%']));
  });
});

describe('long registered names and licence words', () => {
  it('keeps a long registered company name whole with its place and short name', () => {
    const r = run('杭州深度求索人工智能基础技术研究有限公司（简称“深度求索”）由幻方量化孵化。');
    expect(r.entities.find((e) => e.name === '杭州深度求索人工智能基础技术研究有限公司')?.aliases).toContain('深度求索');
  });

  it('reads no name from a determiner opening a capitalized run (No Contributor, Your)', () => {
    const r = run('No Contributor makes additional grants as a result of Your choice to distribute the Covered Software.');
    expect(r.entities.some((e) => /^(?:No |Your$)/u.test(e.name))).toBe(false);
  });
});

describe('segmenter tags are proposals', () => {
  it('reads no organization from a news phrase jieba tags nt (新进展), but keeps 新华社', () => {
    expect(run('该项目取得了新进展。').entities).toEqual([]);
    expect(typeOf(run('新华社报道，中科院发布了新成果。'), '新华社')).toBe('Organization');
  });
});

describe('headline figures of an English report page', () => {
  /** A made-up "at a glance" page: capitals label over a figure, or the label after it. */
  const page = 'Orion Robotics Limited is a listed company.\nBY REVENUE\n$4,250 million\nEXPORTS\n`2,54,970 crore\nEMPLOYMENT CREATION\n2,32,822New jobs created\nCHAPTER ONE\n12\n';
  it('gives each figure to the company under its label; a bare number (a page number) is no figure', () => {
    const f = facts(page);
    expect(f).toEqual(expect.arrayContaining(['Orion Robotics Limited ATTR:Revenue $4,250 million', 'Orion Robotics Limited ATTR:Exports ₹2,54,970 crore', 'Orion Robotics Limited ATTR:New jobs created 2,32,822']));
    expect(f.some((x) => x.includes('Chapter one'))).toBe(false);
  });
});
