import { InvalidIngestOptionsError } from './errors.js';
import { sha256Hex } from '../configs/hash.js';
import { isWhitespace } from './internal/chars.js';
import type { Span } from './sentences.js';
import { estimateTokens } from './tokens.js';

export interface ChunkOptions {
  /** Token budget of a chunk (CJK char = 1, English word ≈ 1.3). 256 fits a 512-token context with room for a question. */
  maxTokens?: number;
  /** Sentences repeated at the start of the next chunk, so a fact split across a boundary is seen whole once. */
  overlapSentences?: number;
}

export interface ChunkSpan {
  start: number;
  end: number;
  /** Sentence spans relative to `start`. */
  sentences: Span[];
  tokens: number;
}

export const CHUNK_DEFAULTS: Required<ChunkOptions> = { maxTokens: 256, overlapSentences: 1 };

/** Stable chunk id: first 32 hex chars of sha256(doc + ':' + page + ':' + start + ':' + end). */
export function chunkId(docSha256: string, page: number, start: number, end: number): string {
  return sha256Hex(`${docSha256}:${page}:${start}:${end}`).slice(0, 32);
}

/**
 * Packs whole sentences into chunks of at most `maxTokens`, repeating the last
 * `overlapSentences` sentences of a chunk at the start of the next. A sentence longer than the
 * budget is first cut into budget-sized pieces (at a space when possible). Offsets are into `text`.
 */
export function chunkSentences(text: string, sentences: Span[], options: ChunkOptions = {}): ChunkSpan[] {
  const { maxTokens, overlapSentences } = { ...CHUNK_DEFAULTS, ...options };
  if (!(maxTokens >= 8)) throw new InvalidIngestOptionsError(`chunk.maxTokens must be >= 8, got ${maxTokens}`);
  if (!(overlapSentences >= 0)) throw new InvalidIngestOptionsError(`chunk.overlapSentences must be >= 0, got ${overlapSentences}`);
  const spans: Span[] = [];
  const tokens: number[] = [];
  for (const s of sentences) {
    const t = estimateTokens(text, s[0], s[1]);
    if (t <= maxTokens) {
      spans.push(s);
      tokens.push(t);
    } else {
      for (const piece of cutByTokens(text, s, maxTokens)) {
        spans.push(piece);
        tokens.push(estimateTokens(text, piece[0], piece[1]));
      }
    }
  }
  const chunks: ChunkSpan[] = [];
  let i = 0;
  while (i < spans.length) {
    let j = i;
    let sum = 0;
    while (j < spans.length && (j === i || sum + (tokens[j] as number) <= maxTokens)) {
      sum += tokens[j] as number;
      j++;
    }
    const start = (spans[i] as Span)[0];
    const end = (spans[j - 1] as Span)[1];
    chunks.push({ start, end, tokens: sum, sentences: spans.slice(i, j).map(([s, e]) => [s - start, e - start] as Span) });
    if (j >= spans.length) break;
    // overlap: step back, but keep the overlap within half the budget and always move forward
    let back = 0;
    let backTokens = 0;
    while (back < overlapSentences && j - back - 1 > i && backTokens + (tokens[j - back - 1] as number) <= maxTokens / 2) {
      backTokens += tokens[j - back - 1] as number;
      back++;
    }
    i = j - back;
  }
  return chunks;
}

/** Cuts one sentence span into pieces of at most maxTokens each. */
function cutByTokens(text: string, [s, e]: Span, maxTokens: number): Span[] {
  const out: Span[] = [];
  let start = s;
  while (start < e) {
    // grow a window by characters until the budget is hit (estimate per char is ≥ 0, monotone)
    let lo = start + 1;
    let hi = e;
    if (estimateTokens(text, start, hi) <= maxTokens) {
      out.push([start, hi]);
      break;
    }
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (estimateTokens(text, start, mid) <= maxTokens) lo = mid;
      else hi = mid - 1;
    }
    let cut = lo;
    for (let k = lo; k > start + (lo - start) * 0.7; k--) {
      if (isWhitespace(text.charCodeAt(k))) {
        cut = k;
        break;
      }
    }
    const cc = text.charCodeAt(cut - 1);
    if (cc >= 0xd800 && cc <= 0xdbff && cut - 1 > start) cut--;
    let pe = cut;
    while (pe > start && isWhitespace(text.charCodeAt(pe - 1))) pe--;
    out.push([start, pe]);
    start = cut;
    while (start < e && isWhitespace(text.charCodeAt(start))) start++;
  }
  return out;
}
