/**
 * Counts stated without an attribute word (issue 14): "Debian 目前包含了超过 59100 个软件包",
 * "零一万物拥有300名员工", "The foundation has 1,012 volunteers". The counted noun names the
 * attribute (软件包数量, 员工人数, number of volunteers). Precision first: the subject is the name
 * right before the verb of having (only adverbs between), the counted noun closes the clause, and
 * nothing looser (a subject in another clause, a pronoun, a noun followed by a relative clause) is
 * extracted.
 */
import { dateBefore } from './quantities.js';
import type { Mention, RawFact, SentenceCtx } from './types.js';

const NUM = String.raw`\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?`;
/** SUBJECT (adverbs) 拥有/包含/有 (超过/约) N (万/亿) 名/个/家 NOUN, the noun ending the clause. */
const ZH_COUNT = new RegExp(
  `(?<adv>(?:目前|现在|如今|现已|已经|已|也|共|总共|一共)*)\\s*(?:拥有|共有|包含|包括|含有|聘有|雇有|汇聚|有)了?\\s*(?:超过|约|大约|近|逾|将近|多达|共|总计|合计)?\\s*(?<num>${NUM})\\s*(?:(?<scale>万|亿)\\s*(?:多|余)?\\s*(?<cls>名|个|家|位|款|项|座|所|台)?|(?:多|余)?\\s*(?<cls2>名|个|家|位|款|项|座|所|台))\\s*(?<noun>\\p{Script=Han}{2,5}?)(?=\\s*(?:[,，。;；、:：)）]|$))`,
  'gu',
);
/** Nouns that are units of time or ranks, not things counted (3个月, 5个百分点). */
const NOT_COUNTED = /^(?:月|小时|星期|季度|百分点|工作日|年头|方面|原因|问题|步骤|阶段|部分|版本)/u;
/** SUBJECT (now) has/employs/includes (over) N (million) NOUNS, the noun phrase ending the clause. */
const EN_COUNT = new RegExp(
  String.raw`^\s*(?:now |currently |today )?(?:has|have|employs|includes|contains|comprises|hosts|counts)\s+(?:over |about |more than |nearly |approximately |some |around |almost )?(?<num>${NUM})(?:\s+(?<scale>thousand|million|billion))?\s+(?<noun>(?:[a-z]+ )?(?:[a-z]+s|people|staff))(?=\s*(?:[.,;:)]|$|\s(?:and|in|across|worldwide|around|who|that|from)\b))`,
  'u',
);
const EN_NOT_COUNTED = /\b(?:years|months|weeks|days|hours|minutes|seconds|times|pages|percent)$/u;
const SUBJECT_TYPES = new Set(['Organization', 'Product', 'Location']);
const CONF_COUNT = 0.85;
const PRONOUN = /^(?:It|He|She|They|We|This|That|These|Those|Our|Its|Their|You|I)$/u;

/** A named subject ending exactly at `end` (whitespace allowed): an organization, product or place, or an untyped Latin name. */
function subjectEndingAt(ctx: SentenceCtx, end: number): Mention | undefined {
  let e = end;
  while (e > 0 && /\s/u.test(ctx.match[e - 1]!)) e--;
  const m = ctx.mentions.find((x) => x.end === e);
  if (!m || PRONOUN.test(m.text)) return undefined;
  if (m.type !== undefined) return SUBJECT_TYPES.has(m.type) ? m : undefined;
  return /^[A-Z]/u.test(m.text) ? m : undefined;
}

function fact(ctx: SentenceCtx, subject: Mention, attr: string, value: string): RawFact {
  return {
    subject: { text: subject.text, ...(subject.type ? { type: subject.type } : {}) },
    predicate: `ATTR:${dateBefore(ctx, subject.start)}${attr}`,
    object: { text: value, type: 'Text', literal: true },
    sentence: ctx,
    confidence: CONF_COUNT,
    via: 'pattern',
  };
}

export function extractCountFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  for (const m of ctx.match.matchAll(ZH_COUNT)) {
    const g = m.groups!;
    if (NOT_COUNTED.test(g.noun!)) continue;
    const subject = subjectEndingAt(ctx, m.index);
    if (!subject) continue;
    const cls = g.cls ?? g.cls2 ?? '';
    const person = cls === '名' || cls === '位' || /(?:用户|员工|会员|成员|志愿者|开发者)$/u.test(g.noun!);
    out.push(fact(ctx, subject, `${g.noun}${person ? '人数' : '数量'}`, `${g.num}${g.scale ?? ''}${cls}`));
  }
  for (const subject of ctx.mentions) {
    if (!/^[A-Z]/u.test(subject.text)) continue;
    const m = EN_COUNT.exec(ctx.match.slice(subject.end));
    if (!m || EN_NOT_COUNTED.test(m.groups!.noun!)) continue;
    const named = subjectEndingAt(ctx, subject.end);
    if (!named) continue;
    out.push(fact(ctx, named, `number of ${m.groups!.noun}`, `${m.groups!.num}${m.groups!.scale ? ` ${m.groups!.scale}` : ''}`));
  }
  return out;
}
