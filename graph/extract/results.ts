/**
 * Results compared in prose (issue 14): "DPR outperforms BM25 by a large margin (65.2% vs. 42.9% in
 * Top-5 accuracy)" gives both systems their score; "Qwen2.5-Max在Arena-Hard测试中得分89.4，超过了
 * GPT-4o的85.2" gives the model it beat its score. The first system is the sentence's subject — a
 * name opening the sentence, or "It" standing for the name that opens the previous sentence of the
 * same chunk; the second is the name right after the comparing verb. Anything looser is left out.
 */
import type { Mention, RawFact, SentenceCtx } from './types.js';

const SCORE = String.raw`\d+(?:\.\d+)?%?`;
/** (65.2% vs. 42.9% in Top-5 accuracy) */
const VS = new RegExp(`\\(\\s*(?<x>${SCORE})\\s*(?:vs\\.?|versus)\\s*(?<y>${SCORE})(?:\\s+(?:in|on|for)\\s+(?<metric>[^()]{2,40}?))?\\s*\\)`, 'gu');
/** The verb naming the system compared against, right before its name. */
const AGAINST = /(?:outperforms?|outperformed|beats?|surpass(?:es|ed)?|compared (?:to|with)|improves? (?:over|on)|over|than|versus)\s+(?:the\s+)?$/u;
/** "the end-to-end QA accuracy compared to": the metric before the comparison, when the parentheses name none. */
const METRIC_BEFORE = /(?:on|in) (?:the )?(?<metric>[A-Za-z0-9 -]{3,40}?(?:accuracy|score|F1|recall|precision|EM|BLEU|ROUGE))\b/iu;
const OPENER = /^\s*(?:Our|The|This|Their)?\s*$/u;
const CONF_RESULT = 0.8;

/** The name opening a sentence (after Our/The), if it is a name. */
function opener(ctx: SentenceCtx | undefined): Mention | undefined {
  const m = ctx?.mentions[0];
  return m && OPENER.test(ctx!.match.slice(0, m.start)) && /^[A-Z]/u.test(m.text) ? m : undefined;
}

function score(ctx: SentenceCtx, subject: Mention, metric: string, value: string): RawFact {
  return {
    // A system scored on a benchmark is a product (a model, a retriever) unless its name says otherwise: a weak vote.
    subject: { text: subject.text, ...(subject.type ? { type: subject.type } : { type: 'Product', inferred: true }) },
    predicate: `ATTR:${metric}`,
    object: { text: value, type: 'Text', literal: true },
    sentence: ctx,
    confidence: CONF_RESULT,
    via: 'pattern',
  };
}

export function extractResultFacts(ctx: SentenceCtx, prev?: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  for (const m of ctx.match.matchAll(VS)) {
    const before = ctx.match.slice(0, m.index);
    // The system compared against: a name right after the comparing verb, before the parentheses.
    const b = [...ctx.mentions].reverse().find((x) => x.end <= m.index && AGAINST.test(ctx.match.slice(0, x.start)) && /^[A-Z]/u.test(x.text));
    if (!b) continue;
    const a = /^\s*It\b/u.test(ctx.match) ? opener(prev) : opener(ctx);
    if (!a || a.text === b.text || (a.start >= b.start && !/^\s*It\b/u.test(ctx.match))) continue;
    const metric = m.groups!.metric?.trim() ?? METRIC_BEFORE.exec(before.slice(b.start - 80 > 0 ? b.start - 80 : 0))?.groups!.metric!.trim();
    if (!metric) continue;
    out.push(score(ctx, a, metric, m.groups!.x!), score(ctx, b, metric, m.groups!.y!));
  }
  return out;
}

/** 得分89.4，超过了GPT-4o的85.2: after a benchmark score, the model it beat and that model's score. */
const BEAT = /^\s*(?:分)?\s*[,，]\s*(?:超过|高于|领先于?|优于|击败)了?\s*$/u;
const BEAT_VALUE = /^\s*的?\s*(?:得分)?\s*(?:为)?\s*(?<v>\d+(?:\.\d+)?)\s*(?:分)?(?![\d.%])/u;

/** The beaten model's score, given a score fact that ends at `end` in the sentence. */
export function beatenScore(ctx: SentenceCtx, end: number, attr: string, confidence: number): RawFact | undefined {
  const b = ctx.mentions.find((x) => x.start > end && BEAT.test(ctx.match.slice(end, x.start)) && (x.type === 'Product' || (x.type === undefined && /^[A-Z]/u.test(x.text))));
  const v = b && BEAT_VALUE.exec(ctx.match.slice(b.end));
  if (!b || !v) return undefined;
  return { subject: { text: b.text, ...(b.type ? { type: b.type } : {}) }, predicate: `ATTR:${attr}`, object: { text: v.groups!.v!, type: 'Text', literal: true }, sentence: ctx, confidence, via: 'pattern' };
}
