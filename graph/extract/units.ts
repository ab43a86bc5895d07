/**
 * A unit named right after the organization it belongs to: 美国宇航局约翰逊航天中心 (the mention
 * detector splits agency and unit, mentions.ts) → 约翰逊航天中心 PART_OF 美国宇航局. Only adjacent
 * names, the first an agency, the second a unit (中心, 实验室, 研究院/所, 分公司 …).
 */
import type { RawFact, SentenceCtx } from './types.js';

const AGENCY_END = /(?:航天局|宇航局|管理局|委员会|部)$/u;
const UNIT_END = /(?:中心|实验室|研究院|研究所|分公司|事业部|分局|办公室)$/u;
const CONF_UNIT = 0.85;
/** A trade descriptor between a place and a company name (酿酒商, 芯片巨头, 初创企业). */
const DESCRIPTOR_ONLY = /^\p{Script=Han}{1,4}?(?:制造商|开发商|运营商|供应商|服务商|厂商|巨头|初创公司|初创企业|企业|商)$/u;

export function extractUnitFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const ms = ctx.mentions;
  for (let i = 1; i < ms.length; i++) {
    const a = ms[i - 1]!;
    const b = ms[i]!;
    if (a.type !== 'Organization' || b.type !== 'Organization' || a.end !== b.start) continue;
    if (!AGENCY_END.test(a.text) || !UNIT_END.test(b.text)) continue;
    out.push({ subject: { text: b.text, type: 'Organization' }, predicate: 'PART_OF', object: { text: a.text, type: 'Organization', literal: false }, sentence: ctx, confidence: CONF_UNIT, via: 'pattern' });
  }
  return out;
}

/**
 * A company introduced by its country and trade in news (日本酿酒商三得利, 美国芯片巨头英伟达):
 * the company LOCATED_IN the place. Both must be recognised names of their type, adjacent to the descriptor.
 */
export function extractDescriptorFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  for (const org of ctx.mentions.filter((m) => m.type === 'Organization')) {
    // The descriptor may hold a recognised word of its own (芯片 in 芯片巨头).
    const place = ctx.mentions.find((p) => p.type === 'Location' && p.end < org.start && DESCRIPTOR_ONLY.test(ctx.match.slice(p.end, org.start)));
    if (!place) continue;
    out.push({ subject: { text: org.text, type: 'Organization' }, predicate: 'LOCATED_IN', object: { text: place.text, type: 'Location', literal: false }, sentence: ctx, confidence: CONF_UNIT, via: 'pattern' });
  }
  return out;
}

/** A category right before a name (人工智能公司DeepMind, 电动车企业比亚迪): the name IS_A the category. */
const CATEGORY = /(?<cat>\p{Script=Han}{2,8}(?:公司|企业))$/u;
const NOT_CATEGORY = /^(?:.*[子母分总本该其此这那][公企]|上市公司|控股公司|投资公司|关联公司|公司|企业)/u;

export function extractCategoryFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  for (const m of ctx.mentions) {
    if (m.type !== 'Organization' && m.type !== 'Product') continue;
    const before = ctx.match.slice(Math.max(0, m.start - 10), m.start);
    const c = CATEGORY.exec(before);
    if (!c) continue;
    // The category starts after the last function word or name before it (收购的|人工智能公司).
    const cat = c.groups!.cat!.split(/[的了是在和与及将对]/u).pop()!;
    const catStart = m.start - cat.length;
    if (cat.length < 4 || NOT_CATEGORY.test(cat) || ctx.mentions.some((x) => x !== m && x.end > catStart && x.start < m.start)) continue;
    out.push({ subject: { text: m.text, type: m.type }, predicate: 'IS_A', object: { text: cat, type: 'Concept', literal: false }, sentence: ctx, confidence: CONF_UNIT, via: 'pattern' });
  }
  return out;
}
