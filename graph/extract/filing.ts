/**
 * Facts every Chinese periodic report states in fixed forms, read on the page text rebuilt from the
 * chunks (financial.ts `pagesOf`):
 * - the statements' signature line (法定代表人:王传福 主管会计工作负责人:周亚琳 …) → Person HAS_ROLE
 *   the reporting company, the title exactly as printed;
 * - the cover's stock code, short name and disclosure date (also in a print that repeats each word);
 * - the top-shareholder table rows (股东名称 股东性质 持股比例 持股数量 …) → holder SHAREHOLDER_OF the
 *   company, with the holding's percentage and share count as attributes at the report's period end.
 */
import type { ChunkRecord } from '../../ingest/index.js';
import { pagesOf, periodName, reportPeriod } from './financial.js';
import { spanCtx } from './internal/sentences.js';
import type { RawFact } from './types.js';

const ROLE = /(?<role>法定代表人|公司负责人|主管会计工作负责人|会计机构负责人|董事长|总经理|董事会秘书|财务总监)\s*[:：]\s*(?<name>\p{Script=Han}(?:\s?\p{Script=Han}){1,3})(?!\p{Script=Han})/gu;
/** 股东性质 of a legal or natural person (a fund or product row, 其他 / 基金、理财产品, names no holder we can resolve). */
const NATURE = String.raw`境内自然人|境外自然人|境内非国有\s*法人|境外法人|国有法人|国有股|国家`;
/** 股东名称 股东性质 持股比例 持股数量 … (the layout since 2021). */
const HOLDER = new RegExp(String.raw`(?<nature>${NATURE})\s+(?<pct>\d{1,2}(?:\.\d+)?%)\s+(?<shares>\d{1,3}(?:,\d{3})+)(?![\d,])`, 'gu');
/** 股东名称(全称) 期末持股数量 比例(%) 持有有限售条件股份数量 质押或冻结情况 股东性质 (the older layout): the name, then the numbers. */
const HOLDER_OLD = new RegExp(String.raw`(?<shares>\d{1,3}(?:,\d{3})+)\s+(?<pct>\d{1,2}\.\d{1,2})%?\s+(?:[\d,]+\s+)?(?:(?:无|质押|冻结|未知|标记)\s*(?:[\d,]+\s*)?)?(?:\s*(?:[\d,]+)\s*)?(?<nature>${NATURE})`, 'gu');
/** 证券代码:002594, 报告期末普通股股东总数 203,708 户 / 股东总数(户) 12,345. */
const CODE = /(?<label>证券|股票)代码(?:\s+(?:证券|股票)代码)*\s*(?:[:：]\s*)+(?<v>\d{6})/u;
/**
 * The cover's short name and disclosure date, also where a PDF prints each word several times over
 * (股票简称 股票简称: : :安利股份 安利股份, 2012 2012 年 年 3 3 月 月 27 27 日 日).
 */
const SHORT_NAME = /(?<label>证券|股票)简称(?:\s+(?:证券|股票)简称)*\s*(?:[:：]\s*)+(?<v>[\p{Script=Han}A-Z][\p{Script=Han}A-Z0-9]{1,7})(?![\p{Script=Han}A-Za-z0-9])/u;
const DISCLOSED = /披露日期(?:\s+披露日期)*\s*(?:[:：]\s*)+(?<y>(?:19|20)\d{2})(?:\s+\k<y>)*\s*年(?:\s*年)*\s*(?<m>\d{1,2})(?:\s+\k<m>)*\s*月(?:\s*月)*\s*(?<d>\d{1,2})(?:\s+\k<d>)*\s*日/u;
const HOLDERS_TOTAL = /(?<attr>\p{Script=Han}{0,16}股东总数)\s*(?:\(户\))?\s*(?<v>\d{1,3}(?:,\d{3})*)\s*户?/gu;
/** What ends the previous row or a header: a number, a status word, a note mark, a line break after a number. */
const ROW_END = new RegExp(String.raw`\d|不适用|质押|冻结|标记|\)|%|数量|股份状态|股东性质|${NATURE}|法人|其他`, 'gu');

const CONF_ROLE = 0.9;
const CONF_HOLDER = 0.9;
/**
 * The share count beside the percentage is the same holding in another unit; the percentage and the
 * SHAREHOLDER_OF link are taught, the count stays in the graph below the training threshold.
 */
const CONF_SHARE_COUNT = 0.3;

function cleanName(raw: string): string | undefined {
  const lines = raw.split('\n').map((l) => l.trim()).filter(Boolean);
  const name = lines.reduce((acc, l) => (acc && /[A-Za-z]$/.test(acc) && /^[A-Za-z]/.test(l) ? `${acc} ${l}` : acc + l), '').replace(/^(?:\(注\s*\d+\)\s*)+/u, '').trim();
  if (name.length < 2 || name.length > 40 || /\d|:|：|单位|股东名称|股份状态|数量/u.test(name)) return undefined;
  return name;
}

export interface FilingOptions {
  issuerOf: (docSha256: string) => string | undefined;
}

export function extractFilingFacts(chunks: ChunkRecord[], opts: FilingOptions): RawFact[] {
  const out: RawFact[] = [];
  const pages = pagesOf(chunks.filter((c) => !c.duplicateOf));
  const rpOf = new Map<string, ReturnType<typeof reportPeriod>>();
  for (const p of pages) if (!rpOf.has(p.doc)) rpOf.set(p.doc, reportPeriod(pages.filter((x) => x.doc === p.doc).slice(0, 2).map((x) => x.text).join('\n')));
  const seen = new Set<string>();
  for (const page of pages) {
    const issuer = opts.issuerOf(page.doc);
    if (!issuer) continue;
    const ctxAt = (s: number, e: number) => {
      const chunk = page.chunks.find((c) => c.start <= s && c.end >= e);
      return chunk ? spanCtx(chunk, s - chunk.start, e - chunk.start) : undefined;
    };
    const push = (f: Omit<RawFact, 'sentence'>, s: number, e: number) => {
      const key = `${page.doc}|${f.subject.text}|${f.predicate}|${f.object.text}`;
      const ctx = ctxAt(s, e);
      if (!ctx || seen.has(key)) return;
      seen.add(key);
      out.push({ ...f, sentence: ctx });
    };
    for (const m of page.text.matchAll(ROLE)) {
      const name = m.groups!.name!.replace(/\s+/gu, '');
      push({ subject: { text: name, type: 'Person' }, predicate: 'HAS_ROLE', object: { text: issuer, type: 'Organization', literal: false }, confidence: CONF_ROLE, via: 'table' }, m.index, m.index + m[0].length);
    }
    const rp = rpOf.get(page.doc);
    const asOf = rp ? periodName('本报告期末', rp) : '';
    const code = page.page === 1 ? CODE.exec(page.text) : null;
    const issuerFact = { subject: { text: issuer, type: 'Organization' }, confidence: CONF_HOLDER, via: 'table' as const };
    if (code) push({ ...issuerFact, predicate: `ATTR:${code.groups!.label!}代码`, object: { text: code.groups!.v!, type: 'Text', literal: true } }, code.index, code.index + code[0].length);
    const short = page.page === 1 ? SHORT_NAME.exec(page.text) : null;
    if (short) push({ ...issuerFact, predicate: `ATTR:${short.groups!.label!}简称`, object: { text: short.groups!.v!, type: 'Text', literal: true } }, short.index, short.index + short[0].length);
    const disclosed = page.page === 1 ? DISCLOSED.exec(page.text) : null;
    if (disclosed) {
      const { y, m, d } = disclosed.groups!;
      const kind = /年度报告|年报/u.test(page.text) ? '年度报告' : /半年度报告/u.test(page.text) ? '半年度报告' : /季度报告/u.test(page.text) ? '季度报告' : '';
      push({ ...issuerFact, predicate: `ATTR:${kind}披露日期`, object: { text: `${y}年${m}月${d}日`, type: 'Text', literal: true } }, disclosed.index, disclosed.index + disclosed[0].length);
    }
    for (const m of page.text.matchAll(HOLDERS_TOTAL)) {
      // A zero count (表决权恢复的优先股股东总数 0) says "none": kept, not taught.
      const none = /^0+$/u.test(m.groups!.v!.replace(/,/gu, ''));
      push({ ...issuerFact, ...(none ? { confidence: CONF_SHARE_COUNT } : {}), predicate: `ATTR:${asOf}${m.groups!.attr!}`, object: { text: `${m.groups!.v!}户`, type: 'Text', literal: true } }, m.index, m.index + m[0].length);
    }
    // A page holds one layout; rows are read in order, each name running from the previous row's end.
    const rows = [...page.text.matchAll(HOLDER)];
    for (const { layout, list } of [{ layout: 'new', list: rows }, { layout: 'old', list: rows.length ? [] : [...page.text.matchAll(HOLDER_OLD)] }]) {
      let prevEnd = 0;
      for (const m of list) {
        const before = page.text.slice(Math.max(prevEnd, m.index - 60), m.index);
        prevEnd = m.index + m[0].length;
        const last = [...before.matchAll(ROW_END)].pop();
        const rawName = last ? before.slice(last.index + last[0].length) : before;
        const name = cleanName(rawName);
        if (!name) continue;
        const person = /自然人/u.test(m.groups!.nature!);
        const subject = { text: name, type: person ? 'Person' : 'Organization' };
        const s = m.index - rawName.length + (rawName.length - rawName.trimStart().length);
        const e = m.index + m[0].length;
        const pct = layout === 'new' ? m.groups!.pct! : `${m.groups!.pct!.replace(/%$/u, '')}%`;
        const base = { subject, confidence: CONF_HOLDER, via: 'table' as const };
        push({ ...base, predicate: 'SHAREHOLDER_OF', object: { text: issuer, type: 'Organization', literal: false } }, s, e);
        push({ ...base, predicate: `ATTR:${asOf}持股比例`, object: { text: pct, type: 'Text', literal: true } }, s, e);
        push({ ...base, confidence: CONF_SHARE_COUNT, predicate: `ATTR:${asOf}持股数量`, object: { text: `${m.groups!.shares!}股`, type: 'Text', literal: true } }, s, e);
      }
    }
  }
  return out;
}
