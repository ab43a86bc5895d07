import { isAsciiLetter, isCjkLike, isDigit, isLatinLetter, isWhitespace } from './internal/chars.js';

/** Tokens per English word: BPE vocabularies split ~1 word in 3 into two pieces. */
export const TOKENS_PER_WORD = 1.3;

/**
 * Rough token count of text[start, end): a CJK character is one token, a Latin word 1.3 (a
 * long run of letters one per 4),
 * a digit run one per 3 digits, any other non-space symbol one.
 */
export function estimateTokens(text: string, start = 0, end = text.length): number {
  let t = 0;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isWhitespace(c)) {
      i++;
    } else if (isLatinLetter(c)) {
      const s = i;
      while (i < end && (isLatinLetter(text.charCodeAt(i)) || text.charCodeAt(i) === 39)) i++;
      // A BPE splits a long run into pieces of ~4 letters: a 100 KB "word" is ~25 k tokens, not 1.3.
      t += Math.max(TOKENS_PER_WORD, (i - s) / 4);
    } else if (isDigit(c)) {
      const s = i;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
      t += Math.ceil((i - s) / 3);
    } else {
      t += isCjkLike(c) || !isAsciiLetter(c) ? 1 : 0;
      i++;
    }
  }
  return t;
}
