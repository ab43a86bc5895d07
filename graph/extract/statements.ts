/**
 * Facts stated plainly in one clause between detected names (GUIDELINE §3): IS_A ("X是美国第一座空间站",
 * "X is a Fortune 500 company"), PART_OF ("A的全球创新中心", "X, a division of A") and DEVELOPED
 * ("Y 由 X 开发/写就", "X developed Y", "Y was developed by X"). Precision first: the subject (and for
 * PART_OF / DEVELOPED both ends) must be recognised names, the category must end in a known head noun, and
 * nothing but the stated words may stand between them.
 */
import { looksLikeChineseName } from './internal/names.js';
import type { Mention, RawFact, SentenceCtx } from './types.js';

const CONF_STATED = 0.85;
const NAMED = new Set(['Organization', 'Product', 'Person', 'Location']);
const PAREN = String.raw`(?:\s*[(（][^()（）]{1,30}[)）])?`;

/** A Chinese category ends in one of these heads, right before the clause ends. */
const ZH_HEAD = /(?:空间站|公司|企业|集团|组织|机构|大学|银行|交易所|发行版|操作系统|运营商|制造商|供应商|开发商)$/u;
const ZH_IS = new RegExp(String.raw`^${PAREN}\s*是\s*(?<obj>[\p{Script=Han}A-Za-z0-9 ]{2,16}?)(?=[,。;!?:]|$)`, 'u');
const ZH_ARTICLE = /^一[家座个所款种]/u;
/** An English category: up to four words before a head noun, ended by punctuation or a clause word. */
const EN_IS = new RegExp(
  String.raw`^${PAREN}\s+is\s+an?\s+(?<obj>(?:[A-Za-z0-9][\w&-]*\s+){0,4}?(?:company|corporation|conglomerate|organization|organisation|firm|bank|university|agency|manufacturer|foundation|charity|distribution|operating system))(?=\s+(?:based|headquartered|founded|that|which|with|in|and)\b|\s*[,.;:)]|$)`,
  'u',
);
const EN_SKIP_ADJ = /^(?:(?:leading|global|major|large|well-known)\s+)+/u;
const EN_NOT_CATEGORY = /^(?:the|this|that|such|any|no|not|member|part|subsidiary|unit|division|holding)\b/iu;

/** A unit of an organization named after 的: at least five characters, ending in a unit word. */
const ZH_UNIT = new RegExp(String.raw`^${PAREN}\s*的(?<unit>[\p{Script=Han}]{3,8}?(?:中心|研究院|研究所|实验室|管理局|分局|分公司|事业部))`, 'u');
const ZH_NOT_UNIT = /^(?:数据|客服|运营|物流|配送|购物|营销|服务|销售|该|其|这|此|各|多|新|一)/u;
const EN_DIVISION = /^\s*(?:,\s*|\s+is\s+)(?:a|an|the)\s+(?:[A-Za-z-]+\s+){0,2}?(?:division|unit|department|bureau|branch|laboratory|institute|office|programme|program|component)\s+of\s+(?:the\s+)?$/u;
const EN_UNIT_NAME = /\b(?:Center|Centre|Laboratory|Laboratories|Institute|Division|Bureau|Office)$/u;

const EN_DEVELOPED = /^\s+(?:(?:has|had)\s+)?(?:developed|created|wrote|designed)\s+(?:the\s+)?$/u;
const EN_DEVELOPED_BY = /^\s+(?:was|were|is|has\s+been)\s+(?:(?:originally|first|jointly|initially)\s+)?(?:developed|created|written|designed)\s+by\s+(?:the\s+)?$/u;
const ZH_BY = /^\s*(?:是)?由\s*$/u;
const ZH_DEVELOP_AFTER = /^(?:\s*(?:以及|和|与|及|、)[^,。;:!?]{0,24}?)?\s*(?:共同|联合|独立)?(?:开发|研发|编写|写就|设计|创建)/u;

const fact = (ctx: SentenceCtx, s: Mention | { text: string; type: string }, predicate: string, o: { text: string; type: string; inferred?: boolean }): RawFact => ({
  subject: { text: s.text, type: s.type },
  predicate,
  object: { text: o.text, type: o.type, literal: false, ...(o.inferred ? { inferred: true } : {}) },
  sentence: ctx,
  confidence: CONF_STATED,
  via: 'pattern',
});

export function extractIsAFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  for (const m of ctx.mentions) {
    if (!m.type || !NAMED.has(m.type) || m.type === 'Location') continue;
    const rest = ctx.match.slice(m.end);
    const zh = ZH_IS.exec(rest);
    if (zh) {
      const off = m.end + zh.index + zh[0].length - zh.groups!.obj!.length;
      const cat = ctx.surface.slice(off, off + zh.groups!.obj!.length).trim().replace(ZH_ARTICLE, '');
      // The category is a plain noun phrase: no other name, no 的-clause, no hedge.
      if (ZH_HEAD.test(cat) && cat.length >= 4 && !/[的之否不]/u.test(cat) && !ctx.mentions.some((x) => x.start >= off && x.end <= off + zh.groups!.obj!.length && x.type !== undefined && x.type !== 'Location')) {
        out.push(fact(ctx, { text: m.text, type: m.type }, 'IS_A', { text: cat, type: 'Concept' }));
      }
      continue;
    }
    const en = EN_IS.exec(rest);
    if (en) {
      const cat = en.groups!.obj!.replace(EN_SKIP_ADJ, '').trim();
      if (!EN_NOT_CATEGORY.test(cat) && cat.split(/\s+/u).length >= 2) out.push(fact(ctx, { text: m.text, type: m.type }, 'IS_A', { text: cat, type: 'Concept' }));
    }
  }
  return out;
}

export function extractPartOfFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const orgs = ctx.mentions.filter((m) => m.type === 'Organization');
  for (const a of orgs) {
    // A的B中心: the unit is the mention there, else the shortest phrase ending in a unit word.
    const zh = ZH_UNIT.exec(ctx.match.slice(a.end));
    if (zh) {
      const off = a.end + zh[0].length - zh.groups!.unit!.length;
      const named = ctx.mentions.find((x) => x.start === off && x.type === 'Organization');
      const unit = named?.text ?? ctx.surface.slice(off, off + zh.groups!.unit!.length);
      const clash = !named && ctx.mentions.some((x) => x.start < off + unit.length && x.end > off);
      if (unit.length >= 5 && !ZH_NOT_UNIT.test(unit) && !clash) out.push(fact(ctx, { text: unit, type: 'Organization' }, 'PART_OF', { text: a.text, type: 'Organization' }));
    }
  }
  for (const x of orgs) {
    for (const a of orgs) {
      if (a.start <= x.end) continue;
      const between = ctx.match.slice(x.end, a.start);
      // "X, a division of A"; "the Johnson Space Center of NASA".
      if (EN_DIVISION.test(between) || (EN_UNIT_NAME.test(x.text) && /^\s+of\s+(?:the\s+)?$/u.test(between))) out.push(fact(ctx, x, 'PART_OF', { text: a.text, type: 'Organization' }));
    }
  }
  return out;
}

const isMaker = (m: Mention) => m.type === 'Organization' || m.type === 'Person';
const isWork = (m: Mention) => m.type === undefined || m.type === 'Product';
/** After "由" or "developed by", an unrecognised name in the shape of a personal name is the author (Linus Torvalds). */
const PERSON_EN = /^[A-Z][a-z]+(?: [A-Z]\.?)?(?: [A-Z][a-z]+){1,2}$/u;
const authorAfterBy = (m: Mention): { text: string; type: string; inferred?: boolean } | undefined =>
  isMaker(m) ? { text: m.text, type: m.type! } : m.type === undefined && (PERSON_EN.test(m.text) || looksLikeChineseName(m.text)) ? { text: m.text, type: 'Person', inferred: true } : undefined;

export function extractDevelopedFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const ms = ctx.mentions;
  const product = (m: Mention) => ({ text: m.text, type: 'Product', inferred: m.type === undefined });
  for (const x of ms) {
    for (const y of ms) {
      if (x === y) continue;
      if (isMaker(x) && isWork(y) && y.start > x.end && EN_DEVELOPED.test(ctx.match.slice(x.end, y.start))) out.push(fact(ctx, x, 'DEVELOPED', product(y)));
      const author = x.start > y.end && isWork(y) ? authorAfterBy(x) : undefined;
      if (author) {
        const between = ctx.match.slice(y.end, x.start);
        if (EN_DEVELOPED_BY.test(between) || (ZH_BY.test(between) && ZH_DEVELOP_AFTER.test(ctx.match.slice(x.end)))) out.push({ ...fact(ctx, author, 'DEVELOPED', product(y)), subject: author });
      }
    }
  }
  return out;
}
