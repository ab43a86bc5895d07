/**
 * Figures a named source reports (issue 14): "Studies from the Ponemon Institute revealed that the
 * average cost of a data breach increased in 2013 by 15% globally and resulted in a brand equity loss
 * of $9.4 million per attack. The average cost … increased more than 9% to $145 per record." The
 * figures are the source's statements: each becomes an attribute of the organisation named as the
 * source ("Studies/A study/A report from|by ORG revealed|showed|found|reported that …"), named by the
 * noun phrase it measures. The next sentence goes on with the same source when it names no
 * organisation and opens with "The"; a sentence after it does not.
 */
import type { Mention, RawFact, SentenceCtx } from './types.js';

const SOURCE = /^\s*(?:Studies|A study|Research|A report|Reports|A survey|Surveys|Data)\s+(?:from|by|of)\s+(?:the\s+)?$/u;
const VERB = /^\s*(?:\d{1,2}\s+)?(?:revealed|showed|shows|found|finds|reported|reports|indicated|indicates)\s+that\b/u;
/** "the average cost of a data breach increased (in 2013) by 15%" / "…increased more than 9% to $145 per record". */
const RISE = /(?:^|\b(?:that|and|The|the)\s+)(?<what>[a-z][a-z ]{3,100}?)\s+(?<dir>increased|decreased|rose|fell|grew|dropped)\s+(?:in\s+(?:19|20)\d{2}\s+)?(?:by\s+|more than\s+|over\s+|about\s+)?(?<pct>\d+(?:\.\d+)?)%(?:\s+(?!to\b)[a-z]+)?(?:\s+to\s+(?<to>\$\s?\d+(?:\.\d+)?(?:\s+(?:million|billion))?)(?:\s+per\s+(?<per>[a-z]+))?)?/gu;
/** "a brand equity loss of $9.4 million per attack". */
const AMOUNT_OF = /\b(?:a|an)\s+(?<what>[a-z][a-z ]{3,40}?)\s+of\s+(?<v>\$\s?\d+(?:\.\d+)?(?:\s+(?:million|billion))?)(?:\s+per\s+(?<per>[a-z]+))?/gu;
const CONF_FINDING = 0.8;

function sourceOf(ctx: SentenceCtx): Mention | undefined {
  for (const m of ctx.mentions) {
    if (m.type !== 'Organization' || !SOURCE.test(ctx.match.slice(0, m.start))) continue;
    if (VERB.test(ctx.match.slice(m.end))) return m;
  }
  return undefined;
}

function figures(ctx: SentenceCtx, source: Mention, from: number): RawFact[] {
  const out: RawFact[] = [];
  const fact = (attr: string, value: string): RawFact => ({
    subject: { text: source.text, type: 'Organization' },
    // The store keeps attribute keys of at most 128 characters.
    predicate: `ATTR:${attr.replace(/\s+/gu, ' ').trim().slice(0, 120).trim()}`,
    object: { text: value, type: 'Text', literal: true },
    sentence: ctx,
    confidence: CONF_FINDING,
    via: 'pattern',
  });
  const claim = ctx.match.slice(from);
  for (const m of claim.matchAll(RISE)) {
    const what = m.groups!.what!.replace(/^the\s+/u, '');
    const dir = /^(?:increased|rose|grew)$/u.test(m.groups!.dir!) ? 'increase' : 'decrease';
    out.push(fact(`${dir} in ${what}`, `${m.groups!.pct}%`));
    if (m.groups!.to) out.push(fact(`${what}${m.groups!.per ? ` per ${m.groups!.per}` : ''}`, m.groups!.to.replace(/\s+/gu, ' ')));
  }
  for (const m of claim.matchAll(AMOUNT_OF)) out.push(fact(`${m.groups!.what}${m.groups!.per ? ` per ${m.groups!.per}` : ''}`, m.groups!.v!.replace(/\s+/gu, ' ')));
  return out;
}

/** The figures of `ctx`, and of the sentence before when `ctx` goes on with its source. */
export function extractFindingFacts(ctx: SentenceCtx, prev?: SentenceCtx): RawFact[] {
  const source = sourceOf(ctx);
  if (source) return figures(ctx, source, source.end);
  const before = prev && sourceOf(prev);
  if (!before || !/^\s*The\s/u.test(ctx.match) || ctx.mentions.some((m) => m.type === 'Organization')) return [];
  return figures(ctx, before, 0);
}
