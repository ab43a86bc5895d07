import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { ChunkRecord } from '../../../ingest/index.js';
import { foldWidth, simplify } from '../../internal/normalize.js';
import type { SentenceCtx, Token } from '../types.js';
import { WELL_KNOWN_ORGANIZATIONS } from './gazetteer.js';

/**
 * The well-known Chinese company names are one segment each (月之暗面 is otherwise 月/之/暗面, and a
 * company name before 科技有限公司 would start inside it), tagged as organization names.
 */
const GAZETTEER_DICT = new TextEncoder().encode(WELL_KNOWN_ORGANIZATIONS.filter((n) => /^\p{Script=Han}{2,}$/u.test(n)).map((n) => `${n} 20000 nt`).join('\n'));

let jieba: Jieba | undefined;
function tagger(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(GAZETTEER_DICT);
  }
  return jieba;
}

/** jieba POS tags with offsets; tokens are realigned if jieba drops characters. */
export function tagSentence(text: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (const { word, tag } of tagger().tag(text, true)) {
    const at = text.startsWith(word, pos) ? pos : text.indexOf(word, pos);
    if (at < 0) continue;
    out.push({ word, tag, start: at, end: at + word.length });
    pos = at + word.length;
  }
  return out;
}

/** Ends a sentence: CJK/ASCII terminators, or a period before space/end that does not close an abbreviation. */
const FALLBACK_END = /[。！？!?；;\n]|(?<!\b(?:Inc|Ltd|Co|Corp|No|Dr|Mr|Ms|Mrs|St|vs|etc|e\.g|i\.e))\.(?=\s|$)/gu;

function sentenceSpans(chunk: ChunkRecord): Array<[number, number]> {
  if (chunk.sentences.length > 0) return chunk.sentences.map(([s, e]) => [s, e] as [number, number]);
  const spans: Array<[number, number]> = [];
  let s = 0;
  for (const m of chunk.text.matchAll(FALLBACK_END)) {
    spans.push([s, m.index + m[0].length]);
    s = m.index + m[0].length;
  }
  if (s < chunk.text.length) spans.push([s, chunk.text.length]);
  return spans;
}

/** A context for any span of a chunk (attribute lines, table rows). */
export function spanCtx(chunk: ChunkRecord, s: number, e: number): SentenceCtx {
  const raw = chunk.text.slice(s, e);
  const surface = foldWidth(raw);
  const simplified = simplify(surface);
  const match = simplified.length === surface.length ? simplified : surface;
  return { chunk, start: s, end: e, raw, surface, match, tokens: tagSentence(match), mentions: [] };
}

/** Sentences of a chunk, trimmed, with folded/simplified views of identical length. */
export function sentencesOf(chunk: ChunkRecord): SentenceCtx[] {
  const out: SentenceCtx[] = [];
  for (const [s0, e0] of sentenceSpans(chunk)) {
    let s = Math.max(0, s0);
    let e = Math.min(chunk.text.length, e0);
    while (s < e && /\s/.test(chunk.text[s]!)) s++;
    while (e > s && /\s/.test(chunk.text[e - 1]!)) e--;
    if (e - s < 2) continue;
    out.push(spanCtx(chunk, s, e));
  }
  return out;
}

/** jieba's verb tags (not vn, the verbal noun). */
export const VERB = /^v[dgi]?$/;

/** Tags that never belong inside a name or noun phrase. */
const NON_NOMINAL = /^(?:p|c|u|uj|ul|uz|ug|ud|uv|r|rr|rz|d|x|w|m|mq|q|f|y|e|o|ad|zg)$/;

export function isNominal(t: Token, stop: Set<string>): boolean {
  if (stop.has(t.word) || /^\s+$/.test(t.word)) return false;
  if (t.tag === 'm') return /[A-Za-z]/.test(t.word); // bare numbers only inside codes
  // jieba tags HMM-found (unknown) words `x`, like punctuation: keep words, drop punctuation.
  if (t.tag === 'x') return /^(?:[A-Za-z0-9][A-Za-z0-9.-]*|\p{Script=Han}+)$/u.test(t.word);
  return !NON_NOMINAL.test(t.tag);
}

/** The nominal run starting at `from` (zh, by tokens): objects without a detected mention. */
export function phraseForwardZh(ctx: SentenceCtx, from: number, to: number, stop: Set<string>, maxChars = 12): [number, number] | undefined {
  let s = -1;
  let e = -1;
  let head = -1;
  for (const t of ctx.tokens) {
    if (t.end <= from) continue;
    if (t.start >= to) break;
    if (s < 0 && (stop.has(t.word) || !isNominal(t, stop))) {
      if (t.start - from > 2) break;
      continue;
    }
    if (!isNominal(t, stop) || Math.min(t.end, to) - (s < 0 ? t.start : s) > maxChars) break;
    if (s < 0) s = Math.max(t.start, from);
    e = Math.min(t.end, to);
    if (!VERB.test(t.tag)) head = e;
  }
  // A noun phrase ends in a noun: trailing verbs are dropped, a run of verbs alone is no phrase ("负责解释").
  return s >= 0 && head - s >= 2 ? [s, head] : undefined;
}

/** The nominal run ending at `to` (zh, by tokens), walking left. */
export function phraseBackwardZh(ctx: SentenceCtx, from: number, to: number, stop: Set<string>, maxChars = 20, maxTokens = 5): [number, number] | undefined {
  let s = -1;
  let n = 0;
  for (let i = ctx.tokens.length - 1; i >= 0; i--) {
    const t = ctx.tokens[i]!;
    if (t.start >= to) continue;
    if (t.end <= from || !isNominal(t, stop) || to - t.start > maxChars || n >= maxTokens) break;
    s = t.start;
    n++;
  }
  return s >= 0 && to - s >= 2 ? [s, to] : undefined;
}

const EN_FUNCTION = new Set(['a', 'an', 'the', 'its', 'their', 'our', 'his', 'her', 'new', 'and', 'or', 'with', 'to', 'in', 'for', 'by', 'of', 'that', 'which', 'from', 'at', 'on', 'since', 'was', 'is', 'are', 'were', 'has', 'have', 'had', 'as', 'into', 'under', 'over', 'per', 'each', 'etc']);
const EN_LEADING = new Set(['a', 'an', 'the', 'its', 'their', 'our', 'his', 'her', 'new', 'two', 'three', 'four', 'several']);

/** The English noun phrase starting at `from`: leading determiners skipped, stops at function words. */
export function phraseForwardEn(text: string, from: number, to: number, maxWords = 5): [number, number] | undefined {
  const re = /[A-Za-z0-9][A-Za-z0-9&'/-]*/g;
  re.lastIndex = from;
  let s = -1;
  let e = -1;
  let n = 0;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const w = m[0].toLowerCase();
    if (s < 0 && EN_LEADING.has(w)) continue;
    if (EN_FUNCTION.has(w) || n >= maxWords) break;
    if (s >= 0 && /[,;:()]/.test(text.slice(e, m.index))) break;
    if (s < 0) s = m.index;
    e = Math.min(m.index + m[0].length, to);
    n++;
  }
  return s >= 0 && e - s >= 2 ? [s, e] : undefined;
}
