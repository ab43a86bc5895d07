import { describe, expect, it } from 'vitest';
import { cleanLabel, periodName, reportPeriod } from '../../../graph/extract/financial.js';
import { extractOffline } from '../../../graph/extract/offline.js';
import { TRAINING_MIN_CONFIDENCE } from '../../../graph/extract/calibration.js';
import { pack } from './helpers.js';
import type { ChunkRecord } from '../../../ingest/model.js';

/** A made-up quarterly report laid out as ingest gives PDF tables: rows run together, the header in another chunk. */
const PAGE1 = '证券代码:000001 证券简称:星河精工 公告编号:2025-010星河精工股份有限公司\n2025 年第一季度报告\n';
const PAGE2 = [
  '一、主要财务数据\n本报告期 上年同期 本报告期比上年同期增减(%)\n',
  '营业收入(元) 1,200,000.00 1,000,000.00 20.00%归属于上市公司股东的净利润(元) 300,000.00 250,000.00 20.00%本报告期末 上年度末 本报告期末比上年度末增减(%)\n',
  '总资产(元) 9,000,000.00 8,000,000.00 12.50%\n股东名称 股东性质 持股比例\n张建国 境内自然人 16.90%\n',
];

function report(): ChunkRecord[] {
  const sha = 'b'.repeat(64);
  const out: ChunkRecord[] = [{ id: 'p1', docSha256: sha, page: 1, start: 0, end: PAGE1.length, text: PAGE1, lang: 'zh', sentences: [] }];
  let at = 0;
  PAGE2.forEach((text, i) => {
    out.push({ id: `p2-${i}`, docSha256: sha, page: 2, start: at, end: at + text.length, text, lang: 'zh', sentences: [] });
    at += text.length;
  });
  return out;
}

describe('financial statement rows', () => {
  const r = extractOffline({ tenant: 't', chunks: report(), pack }, { cooccurrence: false });
  const attrs = new Map(r.facts.filter((f) => f.predicate.startsWith('ATTR:')).map((f) => [f.predicate.slice(5), f]));

  it('reads each value with the period of its column, the unit and the reporting company', () => {
    expect(attrs.get('2025年第一季度营业收入')?.object).toBe('1,200,000.00元');
    expect(attrs.get('2024年第一季度营业收入')?.object).toBe('1,000,000.00元');
    expect(attrs.get('2025年第一季度营业收入增减')?.object).toBe('20.00%');
    expect(attrs.get('2025年第一季度归属于上市公司股东的净利润')?.object).toBe('300,000.00元');
    expect(attrs.get('2025年第一季度营业收入')?.subject).toBe('星河精工股份有限公司');
  });

  it('switches to a header that follows a row in the same run (本报告期末 上年度末)', () => {
    expect(attrs.get('2025年3月31日总资产')?.object).toBe('9,000,000.00元');
    expect(attrs.get('2024年12月31日总资产')?.object).toBe('8,000,000.00元');
  });

  it('cites the row itself, in the chunk that holds it', () => {
    const ev = attrs.get('2025年第一季度营业收入')!.evidence[0]!;
    expect(ev.chunkId).toBe('p2-1');
    expect(ev.sentence.startsWith('营业收入(元) 1,200,000.00')).toBe(true);
  });

  it('reads no row of another table under a stale header', () => {
    expect([...attrs.keys()].filter((k) => k.includes('自然人') || k.includes('持股'))).toEqual([]);
  });

  it('names periods from the report title and cleans item labels', () => {
    const rp = reportPeriod('2025 年第一季度报告');
    expect(periodName('上年同期', rp)).toBe('2024年第一季度');
    expect(periodName('2025 年 1-3 月', rp)).toBe('2025年第一季度');
    expect(periodName('2025/3/31', rp)).toBe('2025年3月31日');
    expect(cleanLabel('主要是备货增加所致存货')?.label).toBe('存货');
    expect(cleanLabel('五、净利润(净亏损以“-”号填列)')?.label).toBe('净利润');
    expect(cleanLabel('基本每股收益(元/股)')).toEqual({ label: '基本每股收益', unit: '元/股' });
  });
});

/** A changes table (reason column) and a statement with main and detail lines, written for this test. */
const PAGE3 = [
  '(三) 主要会计数据和财务指标发生变动的情况及原因\n单位:元\n科目名称 2025/3/31 2024/12/31 变动率 变动原因\n',
  '存货 5,000,000.00 4,000,000.00 25.00% 主要是订单增加所致预付款项 300,000.00 200,000.00 50.00% 主要是采购增加所致\n',
  '合并利润表\n单位:元\n项目 本期发生额 上期发生额\n',
  '一、营业总收入 1,200,000.00 1,000,000.00其中:营业收入 1,200,000.00 1,000,000.00税金及附加 12,000.00 10,000.00五、净利润 300,000.00 250,000.00\n',
  '流动资产合计 2,000,000.00 1,800,000.00\n',
];

describe('what a financial report teaches (confidence against the training threshold)', () => {
  const sha = 'c'.repeat(64);
  const chunks: ChunkRecord[] = [{ id: 'q1', docSha256: sha, page: 1, start: 0, end: PAGE1.length, text: PAGE1, lang: 'zh', sentences: [] }];
  let at = 0;
  for (const [i, text] of [...PAGE2, ...PAGE3].entries()) {
    const page = i < PAGE2.length ? 2 : 3;
    if (i === PAGE2.length) at = 0;
    chunks.push({ id: `q${page}-${i}`, docSha256: sha, page, start: at, end: at + text.length, text, lang: 'zh', sentences: [] });
    at += text.length;
  }
  const r = extractOffline({ tenant: 't', chunks, pack }, { cooccurrence: false });
  const conf = (k: string) => r.facts.find((f) => f.predicate === `ATTR:${k}`)?.confidence;
  const taught = (k: string) => (conf(k) ?? 0) >= TRAINING_MIN_CONFIDENCE;

  it('teaches every period of the highlights table and the headline growth rates', () => {
    expect(taught('2025年第一季度营业收入')).toBe(true);
    expect(taught('2024年第一季度营业收入')).toBe(true);
    expect(taught('2025年第一季度营业收入增减')).toBe(true);
    expect(taught('2025年3月31日总资产')).toBe(true);
    // A change of total assets is derived, not a headline growth figure.
    expect(conf('2025年3月31日总资产增减')).toBeDefined();
    expect(taught('2025年3月31日总资产增减')).toBe(false);
  });

  it('teaches the reported value of a changes table, not its prior value or rate', () => {
    expect(taught('2025年3月31日存货')).toBe(true);
    expect(taught('2025年3月31日预付款项')).toBe(true);
    expect(conf('2024年12月31日存货')).toBeDefined();
    expect(taught('2024年12月31日存货')).toBe(false);
    expect(taught('2025年3月31日存货增减')).toBe(false);
  });

  it('teaches statement main lines of the reported period; detail lines and sub-totals stay in the graph untaught', () => {
    expect(taught('2025年第一季度净利润')).toBe(true);
    expect(conf('2025年第一季度税金及附加')).toBeDefined();
    expect(taught('2025年第一季度税金及附加')).toBe(false);
    expect(conf('2025年第一季度流动资产合计')).toBeDefined();
    expect(taught('2025年第一季度流动资产合计')).toBe(false);
    expect(taught('2025年第一季度营业总收入')).toBe(true);
    expect(taught('2024年第一季度净利润')).toBe(false);
  });
});

describe('a row whose printed change disagrees with its values is not taught', () => {
  const P1 = '证券代码:000002 证券简称:云澜电气 云澜电气股份有限公司\n2018 年第一季度报告\n';
  // 营业收入 agrees (+20 %); 净利润 was read with a value of another row (+20 % printed, 300 vs 100 computed +200 %).
  const P2 = '本报告期 上年同期 本报告期比上年同期增减(%)\n营业收入(元) 1,200,000.00 1,000,000.00 20.00%\n净利润(元) 300,000.00 100,000.00 20.00%\n' +
    '加权平均净资产收益率 4.37% 3.24% 1.13%\n';
  const sha = 'd'.repeat(64);
  const chunks: ChunkRecord[] = [P1, P2].map((text, i) => ({ id: `q${i}`, docSha256: sha, page: i + 1, start: 0, end: text.length, text, lang: 'zh' as const, sentences: [] }));
  const r = extractOffline({ tenant: 't', chunks, pack }, { cooccurrence: false });
  const conf = (attr: string) => r.facts.find((f) => f.predicate === `ATTR:${attr}`)?.confidence;

  it('teaches the agreeing rows (a rate\'s change in points agrees too), keeps the misread one below the threshold', () => {
    expect(conf('2018年第一季度营业收入')).toBeGreaterThanOrEqual(TRAINING_MIN_CONFIDENCE);
    expect(conf('2018年第一季度加权平均净资产收益率')).toBeGreaterThanOrEqual(TRAINING_MIN_CONFIDENCE);
    expect(conf('2018年第一季度净利润')).toBeLessThan(TRAINING_MIN_CONFIDENCE);
    expect(conf('2017年第一季度净利润')).toBeLessThan(TRAINING_MIN_CONFIDENCE);
  });
});
