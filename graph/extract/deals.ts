/**
 * Money in deals stated in news prose (issue 14): 微软向OpenAI投资了130亿美元 (INVESTED_IN and the
 * amount), xAI完成了60亿美元的B轮融资 (the round's amount), 谷歌以27亿美元收购了X (ACQUIRED and the
 * price), the valuation stated right after the round (…融资，估值达1570亿美元), and a unit named
 * after 旗下 (SUBSIDIARY_OF). Both ends must be
 * recognised organizations next to the verb; an amount needs a currency.
 */
import type { Mention, RawFact, SentenceCtx } from './types.js';

const NUM = String.raw`\d+(?:,\d{3})*(?:\.\d+)?`;
const AMOUNT = `(?<amount>${NUM}\\s*(?:万亿|千亿|百亿|亿|千万|百万|万)?\\s*(?:美元|元人民币|人民币|元|港元|欧元|日元|英镑))`;
const CONF_DEAL = 0.85;
const isOrg = (m: Mention | undefined): m is Mention => m?.type === 'Organization';

/** INVESTOR 向/对 TARGET (追加)投资(了) AMOUNT: what follows the investor. */
const INVEST = new RegExp(`^\\s*(?:已|曾|再次|再度)?(?:向|对)\\s*$`, 'u');
const INVEST_AFTER = new RegExp(`^\\s*(?:追加|再次|额外)?投资了?\\s*(?:约|超过|近)?\\s*${AMOUNT}`, 'u');
/** ORG 完成/获得(了)(新一轮) AMOUNT 的 (B轮)融资. */
const ROUND = new RegExp(`^\\s*(?:已|近日|日前|宣布)?(?:完成|获得|宣布完成)了?\\s*(?:新一轮|一笔)?\\s*(?:约|超过|近)?\\s*${AMOUNT}\\s*的?\\s*(?<round>(?:[A-Z][+]?|天使|种子|Pre-[A-Z]|战略|新一轮))?\\s*轮?融资`, 'u');
/** ORG 以/斥资 AMOUNT 收购(了) TARGET. */
const ACQUIRE = new RegExp(`^\\s*(?:以|斥资|出资)\\s*(?:约|超过|近)?\\s*${AMOUNT}\\s*(?:的价格)?\\s*(?:收购|并购)了?\\s*$`, 'u');
/** ，估值达/为 AMOUNT right after a round: the round's company is valued. */
const VALUATION = new RegExp(`^\\s*[,，]\\s*(?:公司)?(?:投后)?估值(?:达到?|为|约为|超过|升至)?\\s*(?:约)?\\s*${AMOUNT}`, 'u');

function attr(ctx: SentenceCtx, s: Mention, key: string, value: string): RawFact {
  return { subject: { text: s.text, type: 'Organization' }, predicate: `ATTR:${key}`, object: { text: value.replace(/\s+/gu, ''), type: 'Text', literal: true }, sentence: ctx, confidence: CONF_DEAL, via: 'pattern' };
}

function rel(ctx: SentenceCtx, s: Mention, predicate: string, o: Mention): RawFact {
  return { subject: { text: s.text, type: 'Organization' }, predicate, object: { text: o.text, type: 'Organization', literal: false }, sentence: ctx, confidence: CONF_DEAL, via: 'pattern' };
}

export function extractDealFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const ms = ctx.mentions;
  for (let i = 0; i < ms.length; i++) {
    const s = ms[i]!;
    if (!isOrg(s)) continue;
    const next = ms[i + 1];
    if (isOrg(next) && INVEST.test(ctx.match.slice(s.end, next.start))) {
      const m = INVEST_AFTER.exec(ctx.match.slice(next.end));
      if (m) out.push(rel(ctx, s, 'INVESTED_IN', next), attr(ctx, s, `对${next.text}投资金额`, m.groups!.amount!));
    }
    if (isOrg(next) && ACQUIRE.test(ctx.match.slice(s.end, next.start))) {
      const m = ACQUIRE.exec(ctx.match.slice(s.end, next.start))!;
      out.push(rel(ctx, s, 'ACQUIRED', next), attr(ctx, s, `收购${next.text}金额`, m.groups!.amount!));
    }
    // 字节跳动旗下(的)火山引擎: the unit is a subsidiary of the parent.
    if (isOrg(next) && /^\s*旗下(?:的)?\s*$/u.test(ctx.match.slice(s.end, next.start))) out.push(rel(ctx, next, 'SUBSIDIARY_OF', s));
    const r = ROUND.exec(ctx.match.slice(s.end));
    if (r) {
      out.push(attr(ctx, s, `${r.groups!.round ?? ''}${r.groups!.round && !/新一轮|战略/u.test(r.groups!.round) ? '轮' : ''}融资金额`, r.groups!.amount!));
      const v = VALUATION.exec(ctx.match.slice(s.end + r[0].length));
      if (v) out.push(attr(ctx, s, '估值', v.groups!.amount!));
    }
  }
  return out;
}
