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
});
