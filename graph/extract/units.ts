/**
 * A unit named right after the organization it belongs to: 美国宇航局约翰逊航天中心 (the mention
 * detector splits agency and unit, mentions.ts) → 约翰逊航天中心 PART_OF 美国宇航局. Only adjacent
 * names, the first an agency, the second a unit (中心, 实验室, 研究院/所, 分公司 …).
 */
import type { RawFact, SentenceCtx } from './types.js';

const AGENCY_END = /(?:航天局|宇航局|管理局|委员会|部)$/u;
const UNIT_END = /(?:中心|实验室|研究院|研究所|分公司|事业部|分局|办公室)$/u;
const CONF_UNIT = 0.85;

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
