import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../../graph/extract/offline.js';
import { isTableLike } from '../../../graph/extract/relations.js';
import { chunks, pack } from './helpers.js';

/**
 * Errors seen on real reports and news (issue 14), restated with other words: segmenter tags taken
 * as types, common nouns before 公司, report boilerplate, table rows read as clauses, relative clauses
 * read as statements, a sentence's first word taken as an English name.
 */
function extract(texts: string[], terms: string[] = []) {
  const r = extractOffline({ tenant: 't', chunks: chunks(...texts), terms, pack }, { cooccurrence: false });
  const byName = new Map(r.entities.flatMap((e) => [e.name, ...e.aliases].map((n) => [n, e] as const)));
  return { ...r, byName, triples: r.facts.map((f) => `${f.subject}|${f.predicate}|${f.object}`), names: r.entities.flatMap((e) => [e.name, ...e.aliases]) };
}

describe('names on real text', () => {
  it('does not take drinks or common words the segmenter tags as names for people or places', () => {
    const r = extract(['志愿者在实验中喝下一些伏特加、雪利酒和干邑,也用了香水。', '本公司保证不存在虚假记载、误导性陈述或重大遗漏。']);
    expect(r.entities.filter((e) => e.type === 'Person' || e.type === 'Location')).toEqual([]);
  });

  it('types a Chinese name as a person only next to a title, honorific or speech verb', () => {
    const r = extract(['董事长张建国表示,新工厂明年投产。', '股东李明远先生持有该公司股份。']);
    expect(r.byName.get('张建国')?.type).toBe('Person');
    expect(r.byName.get('李明远')?.type).toBe('Person');
  });

  it('reads a transliterated name with its dot as one person, with its English form as alias', () => {
    const r = extract(['航天中心发言人马可·罗西(Marco Rossi)表示,站上禁止饮酒。']);
    const e = r.byName.get('马可·罗西');
    expect(e?.type).toBe('Person');
    expect(e?.aliases).toContain('Marco Rossi');
  });

  it('needs a proper noun before a bare 公司/银行/大学, and never takes report boilerplate as a name', () => {
    const r = extract(['多家人工智能公司和海外公司参与了配售,进一步丰富公司股东基础,具体内容详见公司相关公告。']);
    expect(r.entities.filter((e) => e.type === 'Organization')).toEqual([]);
    expect(r.names.filter((n) => /详见|公告/.test(n))).toEqual([]);
  });

  it('keeps a place that opens a company name and leaves the verb before it out', () => {
    const r = extract(['配售亦取得香港联合交易所有限公司的批准。']);
    expect(r.names).toContain('香港联合交易所有限公司');
    expect(r.names.filter((n) => n.startsWith('取得'))).toEqual([]);
  });

  it('reads no relation from table rows run together by PDF extraction', () => {
    const row = 'NOMINEES LIMITED 1,227,261,708 境外上市外资股 1,227,261,708 华联投资控股集团有限公司 155,149,602 人民币普通股 155,149,602';
    expect(isTableLike(row)).toBe(true);
    expect(isTableLike('星辰精密2023年推出了新一代焊接机器人XR-300,售价为18,500元。')).toBe(false);
    expect(extract([row]).facts).toEqual([]);
  });

  it('reads no statement from a verb inside a relative clause (负责…的小组)', () => {
    const r = extract(['2007年,星河航天成立了一个负责调查宇航员健康状况的独立小组。']);
    expect(r.triples.filter((t) => t.includes('RESPONSIBLE_FOR'))).toEqual([]);
  });

  it('does not take the capitalized first word of a sentence as an English name', () => {
    const r = extract(['Indicate by check mark whether the registrant is a large accelerated filer.', 'Without a policy, it is a baseline for monitoring.']);
    expect(r.names).not.toContain('Indicate');
    expect(r.names).not.toContain('Without');
    expect(r.facts).toEqual([]);
  });

  it('keeps a first word the corpus also uses inside a sentence or as the start of a longer name', () => {
    const r = extract(['Orion Robotics Inc. makes grippers.', 'Orion was founded in 2012 by Mark Chen.']);
    expect(r.triples).toContain('Orion|FOUNDED_BY|Mark Chen');
  });

  it('does not read a noun that governs "of" as a category', () => {
    const r = extract(['Orion Robotics Inc. is a proof of the power of dreams.']);
    expect(r.triples.filter((t) => t.includes('IS_A'))).toEqual([]);
  });

  it('does not keep discovered terms alone as entities', () => {
    const r = extract(['报告期内经营活动产生的现金流量净额减少。经营活动保持稳定。'], ['经营活动']);
    expect(r.names).not.toContain('经营活动');
  });
});

describe('types from the name and its gloss', () => {
  it('types English names by their organizational head word', () => {
    const r = extract(['The Harbor Reporting Foundation (HRF) and the Global Standards Council met in May.']);
    expect(r.byName.get('Harbor Reporting Foundation')?.type).toBe('Organization');
    expect(r.byName.get('Global Standards Council')?.type).toBe('Organization');
  });

  it('types an untyped Chinese name glossed by a given and family name as a person', () => {
    const r = extract(['据报道,罗西尼(Marco Rossini)认为这项研究很重要。']);
    expect(r.byName.get('罗西尼')?.type).toBe('Person');
  });
});

describe('titles', () => {
  it('does not read a vice-president, an assistant general manager or a president (总裁) as the CEO', () => {
    // GUIDELINE §2: HAS_CEO only where the text says CEO / 首席执行官; 副总裁 ≠ 总裁 ≠ CEO.
    const r = extract(['星河精工股份有限公司副总裁张建国出席了发布会。', '王志远担任星河精工股份有限公司副总经理。', '星河精工股份有限公司总裁李明远表示,新工厂明年投产。']);
    const ceo = r.triples.filter((t) => t.includes('HAS_CEO'));
    expect(ceo).toEqual([]);
    expect(r.triples).toContain('李明远|HAS_ROLE|星河精工股份有限公司');
  });
});
