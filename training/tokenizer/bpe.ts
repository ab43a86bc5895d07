import { z } from 'zod';
import { TrainingError } from '../errors.js';
import { GPT2_PATTERN, bytesToUnicode, toJsPattern, unicodeToBytes } from './byte-level.js';

/**
 * kgtune's own BPE encoder. It builds the built-in tokenizer of the tiny base (see train-bpe.ts),
 * stored as a Hugging Face `tokenizer.json`: normalizer " " → "▁"; a Split pre-tokenizer (words,
 * single digits, CJK runs, other single chars); a BPE model with byte fallback (`<0x00>`…`<0xFF>`),
 * so every string encodes without <unk>. It also reads HF byte-level BPE files (GPT-2, Qwen2,
 * LLaMA-3 without a Digits pre-tokenizer). Models load tokenizers through `Tokenizer`
 * (tokenizer.ts, @huggingface/tokenizers); this class stays for training the built-in vocabulary
 * and as the peer in bench/tokenizer.ts.
 */
export const SPACE = '\u2581'; // ▁
/** Pre-token pattern. Also valid Oniguruma, so HF `tokenizers` reads the same file. */
export const PRETOKEN_PATTERN = `${SPACE}?[A-Za-z]+|[0-9]|[\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF]+|${SPACE}+|.`;
export const SPECIAL_TOKENS = ['<pad>', '<s>', '</s>', '<unk>', '<|user|>', '<|assistant|>'] as const;

const AddedTokenSchema = z.looseObject({ id: z.number().int(), content: z.string(), special: z.boolean().default(true) });
const TokenizerJsonSchema = z.looseObject({
  added_tokens: z.array(AddedTokenSchema).default([]),
  normalizer: z.unknown().nullable().optional(),
  pre_tokenizer: z.unknown().nullable().optional(),
  model: z.looseObject({
    type: z.literal('BPE'),
    byte_fallback: z.boolean().default(false),
    unk_token: z.string().nullable().optional(),
    vocab: z.record(z.string(), z.number().int()),
    merges: z.array(z.union([z.string(), z.tuple([z.string(), z.string()])])),
  }),
});

export interface TokenizerSpec {
  vocab: Map<string, number>;
  merges: [string, string][];
  specials: string[];
  /** null: no pre-tokenizer (the whole normalised string is one BPE word). */
  pattern: string | null;
  /**
   * 'builtin': kgtune's tokenizer (" " → "▁", byte fallback tokens). 'byte-level': HF byte-level BPE
   * (GPT-2, Qwen2, LLaMA-3): bytes mapped to printable characters before BPE.
   */
  mode?: 'builtin' | 'byte-level';
  /** NFC normalizer (Qwen2). */
  nfc?: boolean;
  /** LLaMA-3: a pre-token already in the vocabulary is taken whole. */
  ignoreMerges?: boolean;
  /** Original tokenizer.json, written back unchanged by toJSON for byte-level tokenizers. */
  raw?: unknown;
}

export class BpeEncoder {
  readonly vocab: Map<string, number>;
  readonly idToToken: string[];
  readonly specials: string[];
  private readonly ranks = new Map<string, number>();
  private readonly regex: RegExp | null;
  private readonly specialSplit: RegExp | null;
  private readonly cache = new Map<string, number[]>();
  readonly pattern: string | null;
  readonly merges: [string, string][];
  readonly mode: 'builtin' | 'byte-level';
  private readonly spec: TokenizerSpec;

  constructor(spec: TokenizerSpec) {
    this.spec = spec;
    this.mode = spec.mode ?? 'builtin';
    this.vocab = spec.vocab;
    this.merges = spec.merges;
    this.specials = spec.specials;
    this.pattern = spec.pattern;
    this.idToToken = [];
    for (const [tok, id] of spec.vocab) this.idToToken[id] = tok;
    spec.merges.forEach(([a, b], i) => this.ranks.set(`${a} ${b}`, i));
    this.regex = spec.pattern === null ? null : new RegExp(toJsPattern(spec.pattern), 'gu');
    const esc = spec.specials.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.specialSplit = esc.length ? new RegExp(`(${esc.join('|')})`, 'g') : null;
    if (this.mode === 'builtin') for (const b of ['<pad>', '<s>', '</s>']) if (!this.vocab.has(b)) throw new TrainingError('TokenizerError', `tokenizer lacks special token ${b}`);
  }

  get size(): number {
    return this.idToToken.length;
  }
  id(token: string): number {
    const v = this.vocab.get(token);
    if (v === undefined) throw new TrainingError('TokenizerError', `token ${JSON.stringify(token)} not in vocabulary`);
    return v;
  }
  get padId(): number { return this.id('<pad>'); }
  get bosId(): number { return this.id('<s>'); }
  get eosId(): number { return this.id('</s>'); }

  /** Text → ids. Special-token strings in the text become their ids (HF added_tokens behaviour). */
  encode(text: string): number[] {
    const out: number[] = [];
    const parts = this.specialSplit ? text.split(this.specialSplit) : [text];
    for (const part of parts) {
      if (part === '') continue;
      const sid = this.specials.includes(part) ? this.vocab.get(part) : undefined;
      if (sid !== undefined) {
        out.push(sid);
        continue;
      }
      if (this.mode === 'byte-level') {
        const norm = this.spec.nfc ? part.normalize('NFC') : part;
        for (const piece of this.preTokenize(norm)) out.push(...this.bpe(bytesToUnicode(piece)));
      } else for (const piece of this.preTokenize(part.replaceAll(' ', SPACE))) out.push(...this.bpe(piece));
    }
    return out;
  }

  /** Split with "Isolated" behaviour: matches and the gaps between them are all pieces. */
  private preTokenize(s: string): string[] {
    if (!this.regex) return [s];
    const pieces: string[] = [];
    let last = 0;
    for (const m of s.matchAll(this.regex)) {
      if (m.index > last) pieces.push(s.slice(last, m.index));
      if (m[0].length) pieces.push(m[0]);
      last = m.index + m[0].length;
    }
    if (last < s.length) pieces.push(s.slice(last));
    return pieces;
  }

  private bpe(word: string): number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const whole = this.spec.ignoreMerges ? this.vocab.get(word) : undefined;
    if (whole !== undefined) return [whole];
    let syms = Array.from(word);
    while (syms.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < syms.length - 1; i++) {
        const r = this.ranks.get(`${syms[i]} ${syms[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) break;
      syms = [...syms.slice(0, best), syms[best]! + syms[best + 1]!, ...syms.slice(best + 2)];
    }
    const ids: number[] = [];
    for (const s of syms) {
      const id = this.vocab.get(s);
      if (id !== undefined) ids.push(id);
      else if (this.mode === 'byte-level') throw new TrainingError('TokenizerError', `byte-level symbol ${JSON.stringify(s)} not in vocabulary`);
      else for (const b of new TextEncoder().encode(s)) ids.push(this.id(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
    }
    if (this.cache.size < 100_000) this.cache.set(word, ids);
    return ids;
  }

  /** ids → text; special tokens dropped unless keepSpecial. Byte tokens are fused and UTF-8 decoded. */
  decode(ids: number[], keepSpecial = false): string {
    if (this.mode === 'byte-level') {
      let text = '';
      let run = '';
      const flushRun = () => {
        text += new TextDecoder().decode(unicodeToBytes(run));
        run = '';
      };
      for (const id of ids) {
        const tok = this.idToToken[id];
        if (tok === undefined) continue;
        if (this.specials.includes(tok)) {
          flushRun();
          if (keepSpecial) text += tok;
        } else run += tok;
      }
      flushRun();
      return text;
    }
    const bytes: number[] = [];
    let out = '';
    const flush = () => {
      if (bytes.length) out += new TextDecoder().decode(new Uint8Array(bytes));
      bytes.length = 0;
    };
    for (const id of ids) {
      const tok = this.idToToken[id];
      if (tok === undefined) continue;
      const byte = /^<0x([0-9A-F]{2})>$/.exec(tok);
      if (byte) {
        bytes.push(parseInt(byte[1]!, 16));
        continue;
      }
      flush();
      if (this.specials.includes(tok)) {
        if (keepSpecial) out += tok;
        continue;
      }
      out += tok;
    }
    flush();
    return out.replaceAll(SPACE, ' ');
  }

  toJSON(): unknown {
    if (this.mode === 'byte-level') return this.spec.raw;
    const added = this.specials.map((content) => ({ id: this.id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: added,
      normalizer: { type: 'Replace', pattern: { String: ' ' }, content: SPACE },
      pre_tokenizer: this.pattern === null ? null : { type: 'Split', pattern: { Regex: this.pattern }, behavior: 'Isolated', invert: false },
      post_processor: null,
      decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: SPACE }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }] },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: true,
        byte_fallback: true,
        ignore_merges: false,
        vocab: Object.fromEntries(this.vocab),
        merges: this.merges,
      },
    };
  }

  /** Load a tokenizer.json of the shape `toJSON` writes (BPE + byte fallback, Split or no pre-tokenizer). */
  static fromJSON(raw: unknown): BpeEncoder {
    const parsed = TokenizerJsonSchema.safeParse(raw);
    if (!parsed.success) throw new TrainingError('TokenizerError', `tokenizer.json: only BPE models are supported (${parsed.error.issues[0]?.message})`);
    const j = parsed.data;
    type Pre = { type?: string; pattern?: { Regex?: string; String?: string }; use_regex?: boolean; pretokenizers?: Pre[]; add_prefix_space?: boolean };
    const pre = j.pre_tokenizer as Pre | null | undefined;
    const vocab = new Map(Object.entries(j.model.vocab));
    for (const a of j.added_tokens) vocab.set(a.content, a.id);
    const merges = j.model.merges.map((m) => (typeof m === 'string' ? (m.split(' ') as [string, string]) : m));
    const specials = j.added_tokens.filter((a) => a.special).map((a) => a.content);
    const unsupported = (what: string) => new TrainingError('TokenizerError', `tokenizer.json ${what} is not supported (kgtune reads its own BPE tokenizer and HF byte-level BPE: GPT-2, Qwen2, LLaMA-3)`);
    const parts: Pre[] = pre?.type === 'Sequence' ? (pre.pretokenizers ?? []) : pre ? [pre] : [];
    const byteLevel = parts.find((p) => p.type === 'ByteLevel');
    if (byteLevel) {
      if (byteLevel.add_prefix_space) throw unsupported('ByteLevel add_prefix_space=true');
      let pattern: string | null = byteLevel.use_regex === false ? null : GPT2_PATTERN;
      for (const p of parts) {
        if (p.type === 'ByteLevel') continue;
        if (p.type !== 'Split' || !p.pattern?.Regex || pattern !== null) throw unsupported(`pre_tokenizer ${p.type}`);
        pattern = p.pattern.Regex;
      }
      const norm = j.normalizer as { type?: string } | null | undefined;
      if (norm && norm.type !== 'NFC') throw unsupported(`normalizer ${norm.type}`);
      return new BpeEncoder({ vocab, merges, specials, pattern, mode: 'byte-level', nfc: norm?.type === 'NFC', ignoreMerges: Boolean(j.model.ignore_merges), raw });
    }
    let pattern: string | null = null;
    if (pre) {
      if (pre.type !== 'Split' || !pre.pattern?.Regex) throw unsupported(`pre_tokenizer ${pre.type}`);
      pattern = pre.pattern.Regex;
    }
    return new BpeEncoder({ vocab, merges, specials, pattern });
  }
}
