import { describe, expect, it } from 'vitest';
import { TRAINING_MIN_CONFIDENCE } from '../../../graph/extract/calibration.js';
import { extractOffline } from '../../../graph/extract/offline.js';
import type { ChunkRecord } from '../../../ingest/model.js';
import { synthesize } from '../../../synthesis/index.js';
import { pack } from './helpers.js';

/** A made-up quarterly report as ingest gives PDF pages: tables run together, a holder's name wrapped over lines. */
const PAGES = [
  '证券代码:000001 证券简称:星河精工\n星河精工股份有限公司\n2025 年第一季度报告\n',
  '一、主要财务数据\n本报告期 上年同期 本报告期比上年同期增减(%)\n营业收入(元) 1,200,000.00 1,000,000.00 20.00%\n' +
    '股东名称 股东性质 持股比例 持股数量 持有有限售条件的股份数量\n张建国 境内自然人 16.90% 513,623,850\n(注 1) 0 不适用 0\n' +
    '云澜投资控股集团有限公\n司\n境内非国有\n法人 5.11% 155,149,602 0 质押 13,570,000李明 境内自然人 0.36% 10,861,400 0 不适用 0\n',
  '合并利润表\n项目 2025 年 1-3 月 2024 年 1-3 月\n一、营业总收入 1,200,000.00 1,000,000.00其中:营业收入 1,200,000.00 1,000,000.00' +
    '利息收入 5,000.00 4,000.00五、净利润 300,000.00 250,000.00\n法定代表人:张建国 主管会计工作负责人:王 芳 会计机构负责人:刘惠\n',
];

function report(): ChunkRecord[] {
  const sha = 'c'.repeat(64);
  return PAGES.map((text, i) => ({ id: `p${i + 1}`, docSha256: sha, page: i + 1, start: 0, end: text.length, text, lang: 'zh' as const, sentences: [] }));
}

describe('periodic-report facts: signatures, top shareholders, main lines', () => {
  const r = extractOffline({ tenant: 't', chunks: report(), pack }, { cooccurrence: false });
  const find = (s: string, p: string) => r.facts.filter((f) => f.subject === s && f.predicate === p);

  it('reads the signature line as HAS_ROLE of the reporting company, names joined across a space', () => {
    for (const name of ['张建国', '王芳', '刘惠']) expect(find(name, 'HAS_ROLE').map((f) => f.object)).toEqual(['星河精工股份有限公司']);
    expect(r.entities.find((e) => e.name === '王芳')?.type).toBe('Person');
  });

  it('reads each top-shareholder row: the holder (a wrapped name whole), its percentage and share count', () => {
    expect(find('张建国', 'SHAREHOLDER_OF').map((f) => f.object)).toEqual(['星河精工股份有限公司']);
    expect(find('云澜投资控股集团有限公司', 'SHAREHOLDER_OF')).toHaveLength(1);
    expect(find('李明', 'ATTR:2025年3月31日持股比例')[0]?.object).toBe('0.36%');
    expect(find('云澜投资控股集团有限公司', 'ATTR:2025年3月31日持股数量')[0]?.object).toBe('155,149,602股');
    expect(r.facts.some((f) => f.subject.includes('注') || f.subject.includes('不适用'))).toBe(false);
  });

  it('teaches the holding (link and percentage); the share count stays in the graph below the training threshold', () => {
    expect(find('李明', 'ATTR:2025年3月31日持股比例')[0]!.confidence).toBeGreaterThanOrEqual(TRAINING_MIN_CONFIDENCE);
    expect(find('张建国', 'SHAREHOLDER_OF')[0]!.confidence).toBeGreaterThanOrEqual(TRAINING_MIN_CONFIDENCE);
    expect(find('云澜投资控股集团有限公司', 'ATTR:2025年3月31日持股数量')[0]!.confidence).toBeLessThan(TRAINING_MIN_CONFIDENCE);
  });

  it('states one figure per item and period: the statement repeating the highlights table adds nothing', () => {
    expect(find('星河精工股份有限公司', 'ATTR:2025年第一季度营业收入')).toHaveLength(1);
    expect(find('星河精工股份有限公司', 'ATTR:2025年第一季度营业收入')[0]!.evidence[0]!.chunkId).toBe('p2');
  });

  it('teaches headline figures of the period; detail lines and comparatives stay below the training threshold', () => {
    const conf = (p: string) => find('星河精工股份有限公司', `ATTR:${p}`)[0]!.confidence;
    expect(conf('2024年第一季度营业收入')).toBeGreaterThanOrEqual(TRAINING_MIN_CONFIDENCE); // highlights table
    expect(conf('2025年第一季度净利润')).toBeGreaterThanOrEqual(TRAINING_MIN_CONFIDENCE);
    expect(conf('2024年第一季度净利润')).toBeLessThan(TRAINING_MIN_CONFIDENCE);
    expect(conf('2025年第一季度利息收入')).toBeLessThan(TRAINING_MIN_CONFIDENCE);
  });

  it('synthesis never builds a pair on a fact below the threshold, which stays in the graph', () => {
    const snapshot = { snapshotId: 's', tenant: 't', corpus: 'c', entities: r.entities, facts: r.facts };
    const low = new Set(r.facts.filter((f) => f.confidence < TRAINING_MIN_CONFIDENCE).map((f) => f.id));
    expect(low.size).toBeGreaterThan(0);
    const used = (min?: number) => synthesize(snapshot, { seed: 1, targetSize: 400, ...(min !== undefined ? { minFactConfidence: min } : {}) }).examples.flatMap((e) => e.factIds);
    expect(used().filter((id) => low.has(id))).toEqual([]);
    expect(used(0).some((id) => low.has(id))).toBe(true);
  });
});

describe('the older report layout (name, shares, percentage, …, nature) and bare percentages', () => {
  const text = '单位:元\n本报告期末 上年度末 本报告期末比上年度末增减(%)\n总资产 9,000,000.00 8,000,000.00 12.50\n股东总数(户) 45,678\n' +
    '股东名称(全称) 期末持股数量 比例(%) 持有有限售条件股份数量 质押或冻结情况 股东性质\n股份状态 数量\n' +
    '云澜投资集团有限公司 1,234,567,890 45.67 0 无 国有法人\n张建国 23,456,789 3.21 0 质押 1,000,000 境内自然人\n全国社保基金一零八组合 3,456,789 0.45 0 未知 其他\n';
  const head = '证券代码：600001 证券简称：云澜精工\n云澜精工股份有限公司\n2018 年第一季度报告\n';
  const cs: ChunkRecord[] = [head, text].map((t, i) => ({ id: `q${i}`, docSha256: 'e'.repeat(64), page: i + 1, start: 0, end: t.length, text: t, lang: 'zh' as const, sentences: [] }));
  const r = extractOffline({ tenant: 't', chunks: cs, pack }, { cooccurrence: false });
  const obj = (s: string, p: string) => r.facts.filter((f) => f.subject === s && f.predicate === p).map((f) => f.object);

  it('reads holders, their share counts and percentages, and skips fund/product rows (其他)', () => {
    expect(obj('云澜投资集团有限公司', 'SHAREHOLDER_OF')).toEqual(['云澜精工股份有限公司']);
    expect(obj('张建国', 'ATTR:2018年3月31日持股比例')).toEqual(['3.21%']);
    expect(obj('云澜投资集团有限公司', 'ATTR:2018年3月31日持股数量')).toEqual(['1,234,567,890股']);
    expect(r.facts.some((f) => f.subject.includes('社保基金'))).toBe(false);
  });

  it('reads a change printed without % under a (%) header, the stock code and the holder count', () => {
    expect(obj('云澜精工股份有限公司', 'ATTR:2018年3月31日总资产增减')).toEqual(['12.50%']);
    expect(obj('云澜精工股份有限公司', 'ATTR:证券代码')).toEqual(['600001']);
    expect(obj('云澜精工股份有限公司', 'ATTR:2018年3月31日股东总数')).toEqual(['45,678户']);
  });
});

describe('report cover: stock code, short name and disclosure date', () => {
  /** A made-up annual-report cover in a print that repeats every word (as some PDFs extract). */
  const cover = '星河精工股份有限公司 星河精工股份有限公司 星河精工股份有限公司\n2011 2011 2011 年年度报告 年年度报告 年年度报告\n' +
    '股票代码 股票代码 股票代码: : :300999 300999 300999\n股票简称 股票简称 股票简称: : :星河精工 星河精工 星河精工\n' +
    '披露日期 披露日期 披露日期: : :2012 2012 2012 年 年 年 3 3 3 月 月 月 27 27 27 日 日 日\n';
  const sha = 'd'.repeat(64);
  const r = extractOffline({ tenant: 't', chunks: [{ id: 'p1', docSha256: sha, page: 1, start: 0, end: cover.length, text: cover, lang: 'zh', sentences: [] }], pack }, { cooccurrence: false });
  const value = (p: string) => r.facts.find((f) => f.subject === '星河精工股份有限公司' && f.predicate === p)?.object;

  it('reads each field once, its value whole, through the repeats', () => {
    expect(value('ATTR:股票代码')).toBe('300999');
    expect(value('ATTR:股票简称')).toBe('星河精工');
    expect(value('ATTR:年度报告披露日期')).toBe('2012年3月27日');
  });
});
