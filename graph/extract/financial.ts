/**
 * Financial statement rows (营业收入(元) 170,360,448,000.00 124,944,397,000.00 36.35%) as attribute
 * facts of the reporting company, with the period each column belongs to and the unit. PDF tables
 * come out of ingest as rows run together ("…36.35%归属于上市公司股东的净利润(元) 9,154,…"), their
 * column headers (本报告期 上年同期 …) often in another chunk: rows are read on the page text
 * rebuilt from the chunks, headers carry over pages, and each fact's evidence is the row's span in
 * the chunk that holds it.
 */
import type { ChunkRecord } from '../../ingest/index.js';
import { spanCtx } from './internal/sentences.js';
import type { RawFact } from './types.js';

/** A column header word: a period or a date. */
const PERIOD = /年初至报告期末|本报告期金额|本报告期末|本报告期|上年同期|上年度末|本期发生额|上期发生额|本期金额|上期金额|期末余额|期初余额|\d{4}\s*年\s*\d{1,2}\s*-\s*\d{1,2}\s*月|\d{4}\/\d{1,2}\/\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日/gu;
/** A column holding a change, not a period's value. */
const CHANGE = /增减|变动率|变动幅度|同比/u;
const VALUE = String.raw`-?\d{1,3}(?:,\d{3})*\.\d+%?|-?\d+(?:\.\d+)?%`;
const ROW = new RegExp(String.raw`(?<label>\p{Script=Han}[^\d\n]{1,40}?)\s*(?<vals>(?:${VALUE})(?:\s+(?:${VALUE})){0,3})(?![\d,.])`, 'gu');
const UNIT_LINE = /单位\s*[:：]\s*(?<unit>亿元|万元|千元|元|股|户|%)/gu;
const QUARTER: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 第一: 1, 第二: 2, 第三: 3, 第四: 4 };

interface Column { kind: 'period' | 'change'; word: string; /** The header says (%): values are percentages printed bare. */ percent?: boolean }
interface Header { at: number; columns: Column[]; /** The table has a reason column (变动原因): it explains changes. */ reasons?: boolean }

/** The document's reporting period from its title: 2025 年第一季度报告, 2024 年半年度报告, 2024 年年度报告. */
export function reportPeriod(text: string): { year: number; quarter?: number; half?: boolean } | undefined {
  const q = /(\d{4})\s*年\s*(第[一二三四]|[一二三四])\s*季度报告/u.exec(text);
  if (q) return { year: Number(q[1]), quarter: QUARTER[q[2]!] };
  const h = /(\d{4})\s*年\s*半年度报告/u.exec(text);
  if (h) return { year: Number(h[1]), half: true };
  const y = /(\d{4})\s*年\s*年度报告/u.exec(text);
  return y ? { year: Number(y[1]) } : undefined;
}

const QZH = ['', '第一季度', '第二季度', '第三季度', '第四季度'];
const QEND = ['', '3月31日', '6月30日', '9月30日', '12月31日'];

/** 本报告期 → 2025年第一季度, 上年度末 → 2024年12月31日, 2025/3/31 → 2025年3月31日; unknown words stay as written. */
export function periodName(word: string, rp: ReturnType<typeof reportPeriod>): string {
  const w = word.replace(/\s+/gu, '');
  const date = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/u.exec(w);
  if (date) return `${date[1]}年${Number(date[2])}月${Number(date[3])}日`;
  const months = /^(\d{4})年1-(3|6|9|12)月$/u.exec(w);
  if (months) return `${months[1]}年${({ 3: '第一季度', 6: '上半年', 9: '前三季度', 12: '年度' } as Record<string, string>)[months[2]!]}`;
  if (/^\d{4}年/u.test(w)) return w;
  if (!rp) return w;
  const span = rp.quarter ? QZH[rp.quarter]! : rp.half ? '上半年' : '年度';
  const end = rp.quarter ? QEND[rp.quarter]! : rp.half ? '6月30日' : '12月31日';
  if (/^(?:本报告期末|期末余额)$/u.test(w)) return `${rp.year}年${end}`;
  if (/^(?:上年度末|期初余额)$/u.test(w)) return `${rp.year - 1}年12月31日`;
  if (/^(?:本报告期|本报告期金额|本期发生额|本期金额|年初至报告期末)$/u.test(w)) return `${rp.year}年${span}`;
  if (/^(?:上年同期|上期发生额|上期金额)$/u.test(w)) return `${rp.year - 1}年${span}`;
  return w;
}

/** Runs of ≥ 2 period words with nothing but other header words between them. */
function headersOf(text: string): Header[] {
  const out: Header[] = [];
  const hits = [...text.matchAll(PERIOD)];
  let i = 0;
  while (i < hits.length) {
    let j = i;
    while (j + 1 < hits.length && /^[^\d\n]{0,16}$/u.test(text.slice(hits[j]!.index + hits[j]![0].length, hits[j + 1]!.index))) j++;
    if (j > i) {
      const end = hits[j]!.index + hits[j]![0].length;
      const tail = /^[^\s\d]*(?:\s*\(%\))?(?:\s+[^\s\d]*(?:增减|变动率|变动幅度)[^\s\d]*(?:\(%\))?)?/u.exec(text.slice(end))![0];
      const columns: Column[] = [];
      // Period words first (2025 年 1-3 月 is one column), then any other word; a column whose
      // words hold a change (本报告期比上年同期增减(%)) is a change column.
      const words = text.slice(hits[i]!.index, end + tail.length);
      const parts = [...words.matchAll(new RegExp(`(?:${PERIOD.source})\\S*|\\S+`, 'gu'))].map((x) => x[0]);
      for (const part of parts) {
        if (CHANGE.test(part)) columns.push({ kind: 'change', word: part, percent: /\(%\)|百分点/u.test(part) });
        else if (new RegExp(PERIOD.source, 'u').test(part)) columns.push({ kind: 'period', word: part.replace(/\s+/gu, '') });
      }
      const reasons = /^\s*(?:变动原因|变动说明|原因)/u.test(text.slice(end + tail.length, end + tail.length + 12));
      if (columns.filter((c) => c.kind === 'period').length >= 2) out.push({ at: hits[i]!.index, columns, ...(reasons ? { reasons } : {}) });
    } else if (/(?:^|\n)(?:项目|科目名称|科目)?\s*$/u.test(text.slice(Math.max(0, hits[i]!.index - 8), hits[i]!.index))) {
      // One period column at a line start (项目 本报告期金额 说明): a one-column table.
      out.push({ at: hits[i]!.index, columns: [{ kind: 'period', word: hits[i]![0].replace(/\s+/gu, '') }] });
    }
    i = j + 1;
  }
  return out;
}

/** 一、营业总收入 / 其中:营业收入 / 减:所得税费用 / …所致预付款项 → the item's own name. */
export function cleanLabel(raw: string): { label: string; unit?: string } | undefined {
  let s = raw.replace(/\s+/gu, '');
  s = s.split(/所致|。|;|；/u).pop()!;
  s = s.replace(/^(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|\d+[.、]|其中[:：]|加[:：]|减[:：]|变动原因|变动率|说明|科目名称|项目)+/u, '');
  let unit: string | undefined;
  const u = /\((元|万元|亿元|元\/股|%|股|户)\)$/u.exec(s);
  if (u) { unit = u[1]; s = s.slice(0, u.index); }
  s = s.replace(/\((?:[^()]*填列|经重述|注\d*)\)$/u, '').replace(/[:：]$/u, '');
  if (!/^\p{Script=Han}[\p{Script=Han}、()]{1,24}$/u.test(s) || /[()]$/u.test(s) && !/\([^()]+\)$/u.test(s)) return undefined;
  if (/报告期|单位|项目|科目|名称|金额|说明|合计$|总计$/u.test(s) && !/合计$|总计$/u.test(s)) return undefined;
  return { label: s, unit };
}

/** Page texts rebuilt from chunks (chunk offsets are page offsets), per document, in page order. */
export function pagesOf(chunks: ChunkRecord[]): Array<{ doc: string; page: number; text: string; chunks: ChunkRecord[] }> {
  const byPage = new Map<string, ChunkRecord[]>();
  for (const c of chunks) {
    const k = `${c.docSha256}\u0000${String(c.page).padStart(6, '0')}`;
    byPage.set(k, [...(byPage.get(k) ?? []), c]);
  }
  return [...byPage.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([k, cs]) => {
    const sorted = [...cs].sort((a, b) => a.start - b.start);
    const len = Math.max(...sorted.map((c) => c.end));
    const chars: string[] = Array.from({ length: len }, () => ' ');
    for (const c of sorted) for (let i = 0; i < c.text.length; i++) chars[c.start + i] = c.text[i]!;
    return { doc: k.split('\u0000')[0]!, page: sorted[0]!.page, text: chars.join(''), chunks: sorted };
  });
}

/** pagesOf the original chunks (no duplicates), grouped per document in page order. */
export function pagesPerDocument(chunks: ChunkRecord[]): Map<string, ReturnType<typeof pagesOf>> {
  const perDoc = new Map<string, ReturnType<typeof pagesOf>>();
  for (const p of pagesOf(chunks.filter((c) => !c.duplicateOf))) perDoc.set(p.doc, [...(perDoc.get(p.doc) ?? []), p]);
  return perDoc;
}

export interface FinancialOptions {
  /** The company a document reports on, by document sha256 (its first company name, usually). */
  issuerOf: (docSha256: string) => string | undefined;
}

/**
 * What a customer's adapter is taught from a financial report (issue 14; chosen on the real-text dev
 * split, see `npm run bench:graph`). Every row stays in the graph for browsing; the confidence decides
 * which rows are above TRAINING_MIN_CONFIDENCE (0.75) and become training pairs:
 * - the highlights table (主要会计数据和财务指标: period columns and a change column, no reason
 *   column) is the report's own summary: every period cell is taught, and the change rate of the
 *   headline lines (revenue, profit, net cash flow), the growth figures a reader asks about;
 * - the changes table (…发生变动的情况及原因: a reason column) explains items that moved: their
 *   reported-period value is taught, the prior-period value and the rate are not (the rate is
 *   derived, the prior value is the prior report's figure, read here through a relative header);
 * - full statements (balance sheet, income and cash-flow statements): the main lines of the reported
 *   period (revenue, costs, profit, total assets/liabilities/equity, net cash flows, EPS) are taught;
 *   detail lines, sub-totals (流动资产合计) and the comparative column are not;
 * - a zero cell (优先股股东总数 0) says "none" and is not taught.
 * The confidences below the threshold are set from how often such rows are facts the gold labels
 * (dev: detail rows ≈ 5 %, comparative columns ≈ 20 %) so that the reliability table stays honest.
 */
const CONF_TAUGHT = 0.9;
const CONF_COMPARATIVE = 0.3;
const CONF_DERIVED = 0.3;
const CONF_DETAIL = 0.1;
/** Main lines of a statement: revenue, costs, profit, totals, net cash flows, earnings per share. */
const MAIN_LINE = /(?:营业总?收入|营业总?成本|营业利润|利润总额|净利润|合计|总计|现金流量净额|每股收益|综合收益总额)$/u;
const NOT_MAIN = /^(?:其他|少数股东|归属于少数|持续经营|终止经营|非?流动|.*现金流[入出]小计)/u;
/** Lines whose change rate is a headline figure: revenue, profit, net cash flow. */
const HEADLINE = /(?:营业总?收入|净利润|现金流量净额)$/u;
const NOT_HEADLINE = /扣除非经常性损益/u;

/**
 * A row whose printed change disagrees with its own two values (本报告期 120 上年同期 100 增减 35%) was
 * read across columns or rows (a wrapped cell, a value from the next row): none of its cells is taught.
 */
const CONF_MISREAD = 0.3;

const num = (v: string) => Number(v.replace(/[,%]/gu, ''));

/** Whether the row's change cell equals the change between its first two period cells (relative %, or points for a rate). */
export function changeAgrees(values: string[], columns: Column[]): boolean {
  const periods = columns.map((c, i) => (c.kind === 'period' ? i : -1)).filter((i) => i >= 0 && i < values.length);
  const change = columns.findIndex((c, i) => c.kind === 'change' && i < values.length);
  if (periods.length < 2 || change < 0) return true;
  const [cur, prev, stated] = [num(values[periods[0]!]!), num(values[periods[1]!]!), num(values[change]!)];
  if (![cur, prev, stated].every(Number.isFinite) || prev === 0) return true;
  // Reports divide by |prior| or by the signed prior (a loss that shrank: -23.7 vs -326.4 is -92.74 %).
  const tolerance = Math.max(0.02, Math.abs(stated) * 0.005);
  return [((cur - prev) / Math.abs(prev)) * 100, ((cur - prev) / prev) * 100, cur - prev].some((x) => Math.abs(x - stated) <= tolerance);
}

export type TableKind = 'highlights' | 'changes' | 'statement';

function tableKind(header: Header): TableKind {
  if (!header.columns.some((c) => c.kind === 'change')) return 'statement';
  return header.reasons ? 'changes' : 'highlights';
}

export function rowConfidence(kind: TableKind, column: 'current' | 'comparative' | 'change', label: string, value: string): number {
  if (/^-?0(?:\.0+)?%?$/u.test(value.replace(/,/gu, ''))) return CONF_DETAIL;
  if (kind === 'highlights') return column !== 'change' || (HEADLINE.test(label) && !NOT_HEADLINE.test(label)) ? CONF_TAUGHT : CONF_DERIVED;
  if (kind === 'changes') return column === 'current' ? CONF_TAUGHT : column === 'change' ? CONF_DERIVED : CONF_COMPARATIVE;
  if (!MAIN_LINE.test(label) || NOT_MAIN.test(label)) return CONF_DETAIL;
  return column === 'current' ? CONF_TAUGHT : CONF_COMPARATIVE;
}

/** Attribute facts from the financial tables of all documents of `chunks`. */
export function extractFinancialFacts(chunks: ChunkRecord[], opts: FinancialOptions): RawFact[] {
  const out: RawFact[] = [];
  for (const [doc, list] of pagesPerDocument(chunks)) {
    // One figure per (item, period): the highlights table comes first, a statement repeating it adds nothing.
    const seen = new Set<string>();
    const issuer = opts.issuerOf(doc);
    if (!issuer) continue;
    const rp = reportPeriod(list.slice(0, 2).map((p) => p.text).join('\n'));
    let header: Header | undefined;
    let unit: string | undefined;
    for (const page of list) {
      const headers = headersOf(page.text);
      const units = [...page.text.matchAll(UNIT_LINE)].map((m) => ({ at: m.index, unit: m.groups!.unit! }));
      for (const m of page.text.matchAll(ROW)) {
        const valStart = m.index + m[0].length - m.groups!.vals!.length;
        // The header in force is the last one before the values (本报告期末 上年度末 … may directly precede 总资产(元)).
        for (const h of headers) if (h.at < valStart) header = h;
        for (const u of units) if (u.at < valStart) unit = u.unit;
        // The item's name is the last run without spaces before the values.
        const label = m.groups!.label!.trimEnd();
        const tail = /\S+$/u.exec(label);
        if (!header || !tail) continue;
        const cl = cleanLabel(tail[0]);
        if (!cl) continue;
        const tailStart = m.index + label.length - tail[0].length;
        const rowStart = tailStart + Math.max(0, tail[0].indexOf(cl.label));
        const rowEnd = m.index + m[0].length;
        const chunk = page.chunks.find((c) => c.start <= rowStart && c.end >= rowEnd);
        if (!chunk) continue;
        const ctx = spanCtx(chunk, rowStart - chunk.start, rowEnd - chunk.start);
        const firstPeriod = header.columns.find((c) => c.kind === 'period')!;
        const values = m.groups!.vals!.trim().split(/\s+/u);
        // Fewer values than the header has periods: another table's row (股东性质 持股比例 …), not this header's.
        if (values.length < header.columns.filter((c) => c.kind === 'period').length) continue;
        const misread = !changeAgrees(values, header.columns);
        values.forEach((v0, i) => {
          let v = v0;
          const col = header!.columns[i];
          if (!col) return;
          // A change column holds percentages (bare when its header says (%)); a count (户, 股) is no amount.
          if (col.kind === 'change' && !v.endsWith('%') && col.percent && /\.\d+$/u.test(v)) v = `${v}%`;
          const isPct = v.endsWith('%');
          if (col.kind === 'change' && !isPct) return;
          const period = periodName(col.kind === 'period' ? col.word : firstPeriod.word, rp);
          const name = col.kind === 'period' ? `${period}${cl.label}` : `${period}${cl.label}增减`;
          const u = isPct ? '' : (cl.unit ?? unit ?? '');
          if (seen.has(name)) return;
          seen.add(name);
          out.push({
            subject: { text: issuer, type: 'Organization' },
            predicate: `ATTR:${name}`,
            object: { text: `${v}${u === '%' ? '' : u}`, type: 'Text', literal: true },
            sentence: ctx,
            confidence: Math.min(misread ? CONF_MISREAD : 1, rowConfidence(tableKind(header!), col.kind === 'change' ? 'change' : col === firstPeriod ? 'current' : 'comparative', cl.label, v)),
            via: 'table',
          });
        });
      }
    }
  }
  return out;
}
