import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import { chunks, pack } from './helpers.js';

const facts = (...texts: string[]) => extractOffline({ tenant: 't', chunks: chunks(...texts), pack }, { cooccurrence: false }).facts.map((f) => `${f.subject} ${f.predicate} ${f.object}`);

describe('titles in apposition and units of agencies', () => {
  it('reads ORG + title + PERSON as HAS_ROLE, with a field before the title, and an acronym as the organization', () => {
    const f = facts('纽约州立大学社会学荣誉教授戴夫·汉森表示，饮酒研究由来已久。', 'NASA发言人斯蒂芬妮·席尔霍尔茨说，宇航员不得饮酒。');
    expect(f).toContain('戴夫·汉森 HAS_ROLE 纽约州立大学');
    expect(f).toContain('斯蒂芬妮·席尔霍尔茨 HAS_ROLE NASA');
  });

  it('makes HAS_CEO only from a chief-executive title (副总裁 is no CEO)', () => {
    const f = facts('Jane Doe, Chief Executive Officer of Orion Robotics Inc., said the plan works.', 'John Smith, Vice President of Orion Robotics Inc., agreed.');
    expect(f).toContain('Orion Robotics Inc. HAS_CEO Jane Doe');
    expect(f).toContain('John Smith HAS_ROLE Orion Robotics Inc.');
    expect(f.some((x) => x.includes('HAS_CEO John Smith'))).toBe(false);
  });

  it('splits an agency from its unit and states the unit PART_OF the agency', () => {
    const f = facts('美国宇航局约翰逊航天中心发言人丹尼尔·霍特表示，此事正在调查。');
    expect(f).toContain('约翰逊航天中心 PART_OF 美国宇航局');
    expect(f).toContain('丹尼尔·霍特 HAS_ROLE 约翰逊航天中心');
  });

  it('needs a recognised organization right before the title: a title alone makes no fact', () => {
    expect(facts('据发言人丹尼尔·霍特介绍，此事正在调查。').filter((x) => x.includes('HAS_ROLE'))).toEqual([]);
  });

  it('reads kinship between two named persons, the subject being the one the kinship word describes', () => {
    const f = facts('1、赵明先生为孙立先生之表兄，赵明先生及其配偶钱芳女士分别持有云澜投资有限公司80%和20%的股权。');
    expect(f).toContain('赵明 RELATIVE_OF 孙立');
    expect(f).toContain('钱芳 RELATIVE_OF 赵明');
    expect(facts('赵明先生与孙立先生均为公司董事。').filter((x) => x.includes('RELATIVE_OF'))).toEqual([]);
  });

  it('reads a cover layout (name line, title line) as HAS_ROLE of the company the page names; a founder title also states FOUNDED_BY', () => {
    const page = 'Our journey so far\nShri Arjun K. Mehta\nChairman & Managing Director\nShri Ravi P. Mehta\nFounder Chairman\nOrion Textiles Limited (OTL) is among the largest mills in the region.\n';
    const f = facts(page);
    expect(f).toContain('Arjun K. Mehta HAS_ROLE Orion Textiles Limited');
    expect(f).toContain('Ravi P. Mehta HAS_ROLE Orion Textiles Limited');
    expect(f).toContain('Orion Textiles Limited FOUNDED_BY Ravi P. Mehta');
    expect(facts('Shri Arjun K. Mehta\nChairman & Managing Director\nThe mills grew again this year.\n').filter((x) => x.includes('HAS_ROLE'))).toEqual([]);
  });

  it('reads a title in apposition after the name (李娜，ORG首席科学家，/ 李娜(ORG副总裁)); a vice-president is never a CEO', () => {
    const f = facts('李娜，百度首席科学家，在会上表示，新模型将开源。', '王芳(星澜科技股份有限公司副总裁)透露，融资已完成。', '刘洋，星澜科技股份有限公司首席执行官，表示公司将扩大投入。');
    expect(f).toContain('李娜 HAS_ROLE 百度');
    expect(f).toContain('王芳 HAS_ROLE 星澜科技股份有限公司');
    expect(f).toContain('星澜科技股份有限公司 HAS_CEO 刘洋');
    expect(f.some((x) => x.includes('HAS_CEO 王芳'))).toBe(false);
  });

  it('skips a gloss in parentheses between the organization and the title', () => {
    expect(facts('纽约州立大学(State University of New York)社会学荣誉教授戴夫·汉森表示，研究由来已久。')).toContain('戴夫·汉森 HAS_ROLE 纽约州立大学');
  });
});
