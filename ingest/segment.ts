import { Jieba, type TaggedWord } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { InvalidIngestOptionsError } from './errors.js';
import { dictStats } from './internal/jieba-dict.js';

export type { TaggedWord };

/** A user-dictionary entry: the word, an optional frequency (else one that makes it win) and POS tag. */
export interface UserTerm {
  term: string;
  freq?: number;
  tag?: string;
}

/** Default POS tag of user and discovered terms: jieba's "other proper noun". */
export const USER_TERM_TAG = 'nz';

/**
 * @node-rs/jieba with the stock dictionary plus user terms. Each Segmenter owns its jieba
 * instance (user terms of one tenant never leak into another's); the stock dictionary bytes are
 * shared. `sharedSegmenter()` is the stock-only instance, created once and never mutated.
 */
export class Segmenter {
  private readonly jieba: Jieba;
  private readonly frozen: boolean;
  private readonly added = new Set<string>();

  private constructor(frozen: boolean) {
    this.jieba = Jieba.withDict(dict);
    this.frozen = frozen;
  }

  static create(terms: UserTerm[] = []): Segmenter {
    const s = new Segmenter(false);
    s.addTerms(terms);
    return s;
  }

  /** @internal */
  static createFrozen(): Segmenter {
    return new Segmenter(true);
  }

  /** Words of `text`; HMM on finds unknown words the dictionary lacks. */
  cut(text: string, hmm = true): string[] {
    return this.jieba.cut(text, hmm);
  }

  /** Words with POS tags (jieba's ICTCLAS-style tag set: n, v, nr, ns, nz, eng, x …). */
  tag(text: string, hmm = true): TaggedWord[] {
    return this.jieba.tag(text, hmm);
  }

  /** Terms added to this segmenter beyond the stock dictionary. */
  userTerms(): string[] {
    return [...this.added];
  }

  /**
   * Adds terms so they come out whole. Without a frequency, each gets the smallest one that
   * beats its best split in the stock dictionary (jieba's "suggest_freq"). Returns how many were added.
   */
  addTerms(terms: UserTerm[]): number {
    if (this.frozen) throw new InvalidIngestOptionsError('the shared segmenter is read-only: use Segmenter.create(terms)');
    const lines: string[] = [];
    for (const t of terms) {
      const term = t.term.trim();
      if (!term || /\s/.test(term)) continue;
      const tag = (t.tag ?? USER_TERM_TAG).trim() || USER_TERM_TAG;
      const freq = Math.max(Math.floor(t.freq ?? 0), this.suggestFreq(term));
      lines.push(`${term} ${freq} ${tag}`);
      this.added.add(term);
    }
    if (lines.length) this.jieba.loadDict(Buffer.from(lines.join('\n') + '\n', 'utf8'));
    return lines.length;
  }

  /** Smallest frequency that makes `term` outscore the product of its current pieces. */
  suggestFreq(term: string): number {
    const { freq, total } = dictStats();
    const pieces = this.jieba.cut(term, false);
    if (pieces.length <= 1) return Math.max(freq.get(term) ?? 1, 1);
    let p = 1;
    for (const w of pieces) p *= (freq.get(w) ?? 1) / total;
    return Math.max(Math.ceil(p * total) + 1, freq.get(term) ?? 1, 3);
  }
}

let shared: Segmenter | undefined;

/** The stock-dictionary segmenter, loaded once per process. */
export function sharedSegmenter(): Segmenter {
  shared ??= Segmenter.createFrozen();
  return shared;
}

/** Parses a user dictionary file: one `term [freq] [tag]` per line, `#` comments. */
export function parseUserDict(text: string): UserTerm[] {
  const out: UserTerm[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) continue;
    const [term, a, b] = line.split(/\s+/);
    if (!term) continue;
    const freq = a !== undefined && /^\d+$/.test(a) ? Number(a) : undefined;
    const tag = freq === undefined ? a : b;
    out.push({ term, ...(freq !== undefined ? { freq } : {}), ...(tag ? { tag } : {}) });
  }
  return out;
}
