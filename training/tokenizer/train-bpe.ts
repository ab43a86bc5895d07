import { BpeEncoder, PRETOKEN_PATTERN, SPACE, SPECIAL_TOKENS } from './bpe.js';
import { Tokenizer, builtinTokenizerConfig } from './tokenizer.js';

export interface TrainTokenizerOptions {
  /** Single characters beyond ASCII kept as tokens (most frequent first); the rest use byte fallback. */
  maxChars?: number;
  /** BPE merges learned from the text (words, frequent CJK pairs). */
  merges?: number;
  /** Merges need at least this many occurrences: rarer pairs are noise at this corpus size. */
  minFrequency?: number;
}

/**
 * Build the built-in tokenizer from base text: specials, 256 byte tokens, ASCII and the most frequent
 * other characters, then greedy BPE merges by pair frequency within pre-tokens. Deterministic
 * (ties broken by string order).
 */
export function trainTokenizer(texts: string[], opts: TrainTokenizerOptions = {}): Tokenizer {
  const maxChars = opts.maxChars ?? 2000;
  const nMerges = opts.merges ?? 1500;
  const minFreq = opts.minFrequency ?? 3;
  const vocab = new Map<string, number>();
  const add = (t: string) => {
    if (!vocab.has(t)) vocab.set(t, vocab.size);
  };
  for (const s of SPECIAL_TOKENS) add(s);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  add(SPACE);
  add('\n');
  for (let c = 0x21; c < 0x7f; c++) add(String.fromCharCode(c));

  const re = new RegExp(PRETOKEN_PATTERN, 'gu');
  const wordFreq = new Map<string, number>();
  const charFreq = new Map<string, number>();
  for (const text of texts) {
    const norm = text.replaceAll(' ', SPACE);
    for (const m of norm.matchAll(re)) wordFreq.set(m[0], (wordFreq.get(m[0]) ?? 0) + 1);
    for (const ch of norm) charFreq.set(ch, (charFreq.get(ch) ?? 0) + 1);
  }
  const chars = [...charFreq.entries()].filter(([c]) => !vocab.has(c) && c.codePointAt(0)! > 0x7f).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [c] of chars.slice(0, maxChars)) add(c);

  // words as symbol arrays; symbols absent from the vocabulary block merges across them
  const words = [...wordFreq.entries()].filter(([w]) => Array.from(w).length > 1).map(([w, f]) => ({ syms: Array.from(w), f }));
  const merges: [string, string][] = [];
  // incremental pair counts: only words containing the merged pair are recounted
  const counts = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const account = (w: number, sign: 1 | -1) => {
    const { syms, f } = words[w]!;
    for (let i = 0; i < syms.length - 1; i++) {
      if (!vocab.has(syms[i]!) || !vocab.has(syms[i + 1]!)) continue;
      const key = `${syms[i]} ${syms[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + sign * f);
      if (sign > 0) {
        let set = where.get(key);
        if (!set) where.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  words.forEach((_, w) => account(w, 1));
  for (let k = 0; k < nMerges; k++) {
    let best = '';
    let bestN = 0;
    for (const [key, n] of counts) if (n > bestN || (n === bestN && n > 0 && key < best)) [best, bestN] = [key, n];
    if (bestN < minFreq) break;
    const [a, b] = best.split(' ') as [string, string];
    merges.push([a, b]);
    add(a + b);
    for (const w of where.get(best) ?? []) {
      const s = words[w]!.syms;
      account(w, -1);
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i < s.length - 1 && s[i] === a && s[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(s[i]!);
      }
      words[w]!.syms = out;
      account(w, 1);
    }
    counts.delete(best);
    where.delete(best);
  }
  const encoder = new BpeEncoder({ vocab, merges, specials: [...SPECIAL_TOKENS], pattern: PRETOKEN_PATTERN });
  return Tokenizer.fromJSON(encoder.toJSON(), builtinTokenizerConfig());
}

