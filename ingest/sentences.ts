import { isCjkLike, isHan, isWhitespace } from './internal/chars.js';

/** A sentence as [start, end) offsets into the text it was split from. */
export type Span = [number, number];

export interface SentenceOptions {
  /** Longer sentences are cut (at a space or comma when one is near) so no span exceeds this. */
  maxSentenceChars?: number;
}

/** Chinese terminators (and their NFKC half-width forms, ! ? ;). */
const ZH_END = new Set(['。', '！', '？', '；', '…', '｡']);
const CLOSERS = new Set(['"', "'", '”', '’', '」', '』', ')', '）', ']', '》', '】']);
const ABBREV = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'inc', 'ltd', 'co', 'corp', 'no', 'fig',
  'figs', 'eq', 'vol', 'pp', 'p', 'ch', 'sec', 'approx', 'dept', 'est', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug',
  'sep', 'sept', 'oct', 'nov', 'dec', 'u.s', 'u.k', 'a.m', 'p.m', 'al', 'cf', 'ref', 'refs', 'art', 'ed', 'rev', 'gen',
]);

/**
 * Splits text into sentences: Chinese 。！？；… (also their half-width forms after a Han
 * character), English . ! ? followed by a space (abbreviations and initials excepted), and
 * every line break. Spans exclude surrounding whitespace; closing quotes stay with their sentence.
 * Linear in the text length.
 */
export function splitSentences(text: string, options: SentenceOptions = {}): Span[] {
  const maxChars = options.maxSentenceChars ?? 1000;
  const spans: Span[] = [];
  const n = text.length;
  let start = 0;
  const emit = (s: number, e: number): void => {
    while (s < e && isWhitespace(text.charCodeAt(s))) s++;
    while (e > s && isWhitespace(text.charCodeAt(e - 1))) e--;
    if (e <= s) return;
    if (e - s <= maxChars) spans.push([s, e]);
    else cutLong(text, s, e, maxChars, spans);
  };
  let i = 0;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === '\n') {
      emit(start, i);
      start = i + 1;
      i++;
      continue;
    }
    let end = -1;
    if (ZH_END.has(ch)) {
      end = i + 1;
    } else if (ch === '!' || ch === '?' || ch === ';' || ch === '.') {
      end = englishOrHalfWidthEnd(text, i);
    }
    if (end > 0) {
      // absorb repeated terminators (?!, ……, ...) and closing quotes/brackets
      while (end < n && (ZH_END.has(text[end] as string) || text[end] === '!' || text[end] === '?' || text[end] === '.')) end++;
      while (end < n && CLOSERS.has(text[end] as string)) end++;
      emit(start, end);
      start = end;
      i = end;
      continue;
    }
    i++;
  }
  emit(start, n);
  return spans;
}

/** End offset when the half-width mark at i ends a sentence, else -1. */
function englishOrHalfWidthEnd(text: string, i: number): number {
  const ch = text[i] as string;
  const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
  let j = i + 1;
  while (j < text.length && (text[j] === ch || text[j] === '.' || text[j] === '!' || text[j] === '?')) j++;
  while (j < text.length && CLOSERS.has(text[j] as string)) j++;
  const next = j < text.length ? text.charCodeAt(j) : -1;
  const afterHan = isHan(prev) || CLOSERS.has(text[i - 1] ?? '');
  if (ch === ';') return isCjkLike(prev) || (next >= 0 && isHan(next)) ? i + 1 : -1;
  // After a Han character, ! ? (and . only in "。"-less text followed by Han) end the sentence.
  if (afterHan && ch !== '.') return i + 1;
  if (next === -1 || isWhitespace(next) || isHan(next)) {
    if (ch === '.' && j === i + 1 && isAbbreviation(text, i)) return -1;
    if (ch === '.' && next !== -1 && !isWhitespace(next) && !afterHan) return -1;
    return i + 1;
  }
  return -1;
}

function isAbbreviation(text: string, dot: number): boolean {
  let s = dot;
  while (s > 0 && /[A-Za-z.]/.test(text[s - 1] as string)) s--;
  const word = text.slice(s, dot);
  if (word.length === 0) return false;
  if (word.length === 1 && /[A-Z]/.test(word)) return true; // initial: "J. Smith"
  return ABBREV.has(word.toLowerCase());
}

/** Cuts an over-long span into pieces of at most maxChars, preferring a space or comma near the end. */
function cutLong(text: string, s: number, e: number, maxChars: number, out: Span[]): void {
  while (e - s > maxChars) {
    let cut = s + maxChars;
    for (let k = cut; k > s + maxChars * 0.7; k--) {
      const c = text[k - 1] as string;
      if (c === ' ' || c === ',' || c === '，' || c === '、') {
        cut = k;
        break;
      }
    }
    // never split a UTF-16 surrogate pair
    const cc = text.charCodeAt(cut - 1);
    if (cc >= 0xd800 && cc <= 0xdbff) cut--;
    let pe = cut;
    while (pe > s && isWhitespace(text.charCodeAt(pe - 1))) pe--;
    if (pe > s) out.push([s, pe]);
    s = cut;
    while (s < e && isWhitespace(text.charCodeAt(s))) s++;
  }
  if (e > s) out.push([s, e]);
}
