/**
 * A company's results stated in prose (issue 14): "上半年,龙湖实现合约销售金额1056.2亿元,同比增长8.8%;
 * 营业额385.7亿元,同比增长42.2%;归属于股东的净利润为63.1亿元". Every amount names its metric (a
 * financial line: 营业收入, 营业额, 合约销售金额, 归属于…的净利润, 核心溢利 …) and a currency unit; a growth
 * rate right after the amount (同比增长8.8%) is the metric's change. The subject is the one company the
 * sentence names before the amount: a sentence naming two companies before it, or a person, place or
 * product in the amount's own clause, states nothing clear enough and gives no fact.
 *
 * Short names: a company named with its suffix (龙湖集团) and then, in the same document, again and
 * again by its brand alone (龙湖) is the same company (`shortNameLinks`).
 */
import { isPlaceName } from './internal/names.js';
import type { AliasLink, Mention, RawFact, SentenceCtx } from './types.js';

/** Financial lines a results sentence reports (longest first inside each family). */
const METRIC = [
  '合约销售金额', '合同销售金额', '合约销售额', '合同销售额', '合约销售', '合同销售', '销售金额',
  '营业总收入', '营业收入', '营业额', '营收',
  '归属于(?:上市公司|母公司)?(?:股东|母公司股东|母公司所有者|普通股股东)的净利润', '归母净利润', '扣非归母净利润', '扣非净利润', '净利润',
  '核心溢利', '核心净利润', '毛利润', '毛利', '营业支出', '营业成本', '经营活动产生的现金流量净额',
].join('|');
const LINK = '(?:为|达到?了?|约为|约|共计|合计|高达|实现)?';
const VALUE = String.raw`(?<value>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?<unit>万亿元|亿元|万元|元|亿美元|万美元|美元|亿港元|港元)`;
const ITEM = new RegExp(`(?<metric>${METRIC})\\s*${LINK}\\s*${VALUE}`, 'gu');
/** ,同比增长8.8% / ,同比增长率高达61.6%: the change of the amount just stated. */
const GROWTH = /^\s*[,，]?\s*(?<cmp>同比|环比|较上年同期|较去年同期|较上年)(?<dir>增长|下降|增加|减少|上升)(?<rate>率)?了?\s*(?:高达|达到?|约为?|超过|近|逾|为)?\s*(?<pct>\d+(?:\.\d+)?)\s*%/u;
/** 2016年至2018年间,…营业支出分别为34.5亿元、50.9亿元和85.9亿元: one amount per year of the span, in order. */
const YEARS = /(?<from>(?:19|20)\d{2})\s*年?\s*(?:至|到|-|—|~)\s*(?<to>(?:19|20)\d{2})\s*年/u;
const AMOUNT = String.raw`\d+(?:,\d{3})*(?:\.\d+)?\s*(?:万亿元|亿元|万元|元|亿美元|万美元|美元|亿港元|港元)`;
const EACH = new RegExp(`(?<metric>${METRIC})\\s*分别(?:为|是|达)\\s*(?<list>${AMOUNT}(?:\\s*[、,，和及]\\s*${AMOUNT}){1,9})`, 'gu');
/** What may stand right before a metric: a verb or separator, never a longer word ending in the metric. */
const BEFORE_METRIC = /[现为的至,，;；:：和及]/u;
const CONF_RESULT = 0.85;
const OTHER_NAMED = new Set(['Person', 'Location', 'Product', 'Organization']);

/** The company a result at `at` belongs to: the only organisation named before it in the sentence. */
function companyBefore(ctx: SentenceCtx, at: number): Mention | undefined {
  const orgs = ctx.mentions.filter((m) => m.type === 'Organization' && m.end <= at);
  if (orgs.length === 0 || new Set(orgs.map((m) => m.text)).size > 1) return undefined;
  const subject = orgs[orgs.length - 1]!;
  // The amount's own clause (after the last ；/; before it) names nobody else.
  const clauseStart = Math.max(subject.end, ...[...ctx.match.slice(0, at).matchAll(/[；;]/gu)].map((m) => m.index + 1));
  if (ctx.mentions.some((m) => m !== subject && m.start >= clauseStart && m.end <= at && m.type !== undefined && OTHER_NAMED.has(m.type))) return undefined;
  return subject;
}

/**
 * The company of the clauses before, when this sentence goes on after a ；(the splitter cuts there) and
 * names nobody before `at`: the nearest of up to three preceding sentences, each ending in ；, that
 * names one company.
 */
function continued(ctx: SentenceCtx, before: SentenceCtx[], at: number): Mention | undefined {
  if (ctx.mentions.some((m) => m.end <= at && m.type !== undefined && OTHER_NAMED.has(m.type))) return undefined;
  for (let i = before.length - 1; i >= Math.max(0, before.length - 3); i--) {
    const p = before[i]!;
    if (!/[；;]\s*$/u.test(p.match)) return undefined;
    const company = companyBefore(p, p.match.length);
    if (company) return company;
    if (p.mentions.some((m) => m.type !== undefined && OTHER_NAMED.has(m.type))) return undefined;
  }
  return undefined;
}

/**
 * The results of `ctx`; `before` are the sentences before it in the chunk, nearest last: a sentence
 * cut at ；("…同比增长8.8%;" | "营业额385.7亿元…") goes on with the company of the clauses before.
 */
export function extractCompanyResultFacts(ctx: SentenceCtx, before: SentenceCtx[] = []): RawFact[] {
  const out: RawFact[] = [];
  const fact = (subject: Mention, attr: string, value: string): RawFact => ({
    subject: { text: subject.text, type: 'Organization' },
    predicate: `ATTR:${attr}`,
    object: { text: value, type: 'Text', literal: true },
    sentence: ctx,
    confidence: CONF_RESULT,
    via: 'pattern',
  });
  for (const m of ctx.match.matchAll(ITEM)) {
    // 销售额 inside a longer word is no metric of its own.
    const prevChar = ctx.match[m.index - 1] ?? '';
    if (/\p{Script=Han}/u.test(prevChar) && !BEFORE_METRIC.test(prevChar)) continue;
    const subject = companyBefore(ctx, m.index) ?? continued(ctx, before, m.index);
    if (!subject) continue;
    const metric = m.groups!.metric!;
    const end = m.index + m[0].length;
    const valueAt = m.index + m[0].lastIndexOf(m.groups!.value!);
    out.push(fact(subject, metric, ctx.surface.slice(valueAt, end).replace(/\s+/gu, '')));
    const g = GROWTH.exec(ctx.match.slice(end));
    if (g) out.push(fact(subject, `${metric}${g.groups!.cmp!}${g.groups!.dir!}${g.groups!.rate ?? ''}`, `${g.groups!.pct!}%`));
  }
  for (const m of ctx.match.matchAll(EACH)) {
    const prevChar = ctx.match[m.index - 1] ?? '';
    if (/\p{Script=Han}/u.test(prevChar) && !BEFORE_METRIC.test(prevChar)) continue;
    const span = YEARS.exec(ctx.match.slice(0, m.index));
    const subject = span && companyBefore(ctx, m.index);
    if (!span || !subject) continue;
    const from = Number(span.groups!.from);
    const amounts = [...m.groups!.list!.matchAll(new RegExp(AMOUNT, 'gu'))].map((a) => a[0].replace(/\s+/gu, ''));
    // As many amounts as years, else the list is not one amount per year.
    if (amounts.length !== Number(span.groups!.to) - from + 1) continue;
    amounts.forEach((a, i) => out.push(fact(subject, `${from + i}年${m.groups!.metric!}`, a)));
  }
  return out;
}

const SUFFIX = /(?:集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团|控股|公司)$/u;

/**
 * 龙湖集团 … 龙湖实现…, 龙湖方面…: a company named with its suffix whose brand (the name without the
 * suffix, two to six Han characters, not a place) stands alone at least three times in the same
 * document is called by that short name. One link per company and document.
 */
export function shortNameLinks(sentences: SentenceCtx[]): AliasLink[] {
  const out: AliasLink[] = [];
  const textOf = new Map<string, string>();
  for (const s of sentences) textOf.set(s.chunk.docSha256, `${textOf.get(s.chunk.docSha256) ?? ''}\n${s.match}`);
  const seen = new Set<string>();
  for (const s of sentences) {
    for (const m of s.mentions) {
      if (m.type !== 'Organization' || m.source !== 'pattern') continue;
      const suffix = SUFFIX.exec(m.text);
      if (!suffix) continue;
      const brand = m.text.slice(0, suffix.index);
      const key = `${s.chunk.docSha256}\u0000${brand}`;
      if (seen.has(key) || !/^\p{Script=Han}{2,6}$/u.test(brand) || isPlaceName(brand)) continue;
      seen.add(key);
      const text = textOf.get(s.chunk.docSha256) ?? '';
      const alone = [...text.matchAll(new RegExp(brand, 'gu'))].filter((x) => !text.startsWith(suffix[0], x.index + brand.length)).length;
      if (alone >= 3) out.push({ full: m.text, short: brand, type: 'Organization', rule: 'short-name', sentence: s });
    }
  }
  return out;
}
