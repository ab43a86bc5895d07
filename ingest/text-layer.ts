import { isDigit, isHan, isLatinLetter } from './internal/chars.js';

/** Below this many letters/digits/Han characters a page counts as having no text layer. */
export const MIN_TEXT_CHARS_PER_PAGE = 20;

function meaningfulChars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHan(c) || isLatinLetter(c) || isDigit(c)) n++;
  }
  return n;
}

/**
 * Share of Latin tokens that look like words: letters only (an apostrophe or a trailing
 * punctuation mark allowed), a vowel, no case flips inside. Garbled OCR fails this.
 */
export function wordlikeShare(text: string): { tokens: number; share: number } {
  const tokens = text.split(/\s+/).map((t) => t.replace(/^[("'[]+|[)"'\],.;:!?]+$/g, '')).filter((t) => /[A-Za-z]/.test(t) && t.length >= 2);
  if (tokens.length === 0) return { tokens: 0, share: 1 };
  let ok = 0;
  for (const t of tokens) {
    if (/^[A-Za-z][a-z]*('[a-z]+)?$|^[A-Z]+s?$|^[A-Z][a-z]+-[A-Za-z][a-z]+$/.test(t) && (/[aeiouyAEIOUY]/.test(t) || t.length <= 3)) ok++;
  }
  return { tokens: tokens.length, share: ok / tokens.length };
}

/** Share of whitespace-separated tokens that are a lone letter other than a/A/I: letter-spaced OCR output. */
export function singleLetterShare(text: string): number {
  const toks = text.split(/\s+/).filter(Boolean);
  if (toks.length === 0) return 0;
  let n = 0;
  for (const t of toks) if (/^[B-HJ-Zb-z]$/.test(t)) n++;
  return n / toks.length;
}

/**
 * Returns a reason when a PDF's text layer is unusable (so the document needs OCR), else undefined.
 * No usable text on every page → scanned or glyphs without a Unicode mapping; mostly non-words in a
 * Latin-script layer → a bad OCR layer.
 */
export function judgeTextLayer(pages: string[]): string | undefined {
  if (pages.length === 0) return 'PDF has no pages';
  const counts = pages.map(meaningfulChars);
  if (counts.every((n) => n < MIN_TEXT_CHARS_PER_PAGE)) {
    return `no text layer: every page has fewer than ${MIN_TEXT_CHARS_PER_PAGE} letters/digits (max ${Math.max(...counts)}); scanned or fonts without Unicode mapping`;
  }
  const all = pages.join('\n');
  let han = 0;
  for (let i = 0; i < all.length; i++) if (isHan(all.charCodeAt(i))) han++;
  const { tokens, share } = wordlikeShare(all);
  if (han < tokens && tokens >= 40) {
    if (share < 0.6) return `text layer looks garbled (only ${(share * 100).toFixed(0)}% of ${tokens} Latin tokens look like words): likely bad OCR`;
    const single = singleLetterShare(all);
    if (single > 0.12) return `text layer looks garbled (${(single * 100).toFixed(0)}% of tokens are stray single letters, as in "l e t t e r"): likely bad OCR`;
  }
  return undefined;
}
