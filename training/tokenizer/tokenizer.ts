import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { TrainingError } from '../errors.js';
import { BUILTIN_CHAT_TEMPLATE } from './chat.js';

/**
 * A model's tokenizer as Hugging Face folders ship it: `tokenizer.json` (normalizer, pre-tokenizer,
 * BPE model, added/special tokens, decoder) + `tokenizer_config.json` (bos/eos/pad tokens,
 * `chat_template`). Encoding and decoding are @huggingface/tokenizers' (ids identical to the Rust
 * `tokenizers` on byte-level BPE: SmolLM2, Qwen2/3, Llama 3 — test/unit/training/tokenizer.test.ts;
 * its speed beside kgtune's own BPE: bench/tokenizer.ts). The tiny base's built-in tokenizer is
 * saved in the same two files and loads the same way.
 */
export const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';

/** Special tokens in tokenizer_config.json are strings or AddedToken objects ({content, …}). */
const TokenRef = z
  .union([z.string(), z.looseObject({ content: z.string() })])
  .nullable()
  .optional()
  .transform((t) => (t == null ? undefined : typeof t === 'string' ? t : t.content));

export const TokenizerConfigSchema = z.looseObject({
  bos_token: TokenRef,
  eos_token: TokenRef,
  pad_token: TokenRef,
  unk_token: TokenRef,
  chat_template: z.union([z.string(), z.array(z.looseObject({ name: z.string(), template: z.string() }))]).nullable().optional(),
  clean_up_tokenization_spaces: z.boolean().optional(),
});
export type TokenizerConfig = z.output<typeof TokenizerConfigSchema>;

const TokenizerJsonSchema = z.looseObject({
  added_tokens: z.array(z.looseObject({ id: z.number().int(), content: z.string(), special: z.boolean().default(false) })).default([]),
  model: z.looseObject({ type: z.string(), vocab: z.record(z.string(), z.number().int()).optional() }),
});

/** tokenizer_config.json of kgtune's built-in tokenizer; also assumed for tiny bases saved without one. */
export function builtinTokenizerConfig(): Record<string, unknown> {
  return { bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>', clean_up_tokenization_spaces: false, chat_template: BUILTIN_CHAT_TEMPLATE };
}

export interface TokenizerFiles {
  /** tokenizer.json, as parsed JSON. */
  json: unknown;
  /** tokenizer_config.json as parsed JSON (absent: a tiny base saved before it was written — builtinTokenizerConfig()). */
  config?: unknown;
}

export class Tokenizer {
  private readonly hf: HfTokenizer;
  readonly config: TokenizerConfig;
  /** Every special added token (content → id). */
  readonly specials: Map<string, number>;
  /** Every added token (special or not): matched whole in text, before the model. */
  readonly addedTokens: Set<string>;
  /** Byte-level BPE (GPT-2, SmolLM2, Qwen, Llama 3): one vocabulary character per UTF-8 byte. */
  readonly byteLevel: boolean;
  readonly size: number;
  /** Begin-of-sequence id; undefined when the model has none (Qwen2/3). */
  readonly bos: number | undefined;
  readonly eosId: number;
  /** Padding id: pad_token, else eos (Llama 3 has no pad token). */
  readonly padId: number;

  constructor(private readonly files: TokenizerFiles) {
    const parsed = TokenizerJsonSchema.safeParse(files.json);
    if (!parsed.success) throw new TrainingError('TokenizerError', `tokenizer.json: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    const cfg = TokenizerConfigSchema.safeParse(files.config ?? builtinTokenizerConfig());
    if (!cfg.success) throw new TrainingError('TokenizerError', `tokenizer_config.json: ${cfg.error.issues[0]?.path.join('.')}: ${cfg.error.issues[0]?.message}`);
    this.config = cfg.data;
    try {
      // tokenizer.json files written by `tokenizers` always carry these keys; older writers may omit null ones
      const full = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, ...(files.json as object) };
      this.hf = new HfTokenizer(full, (files.config ?? {}) as object);
    } catch (err) {
      throw new TrainingError('TokenizerError', `tokenizer.json cannot be loaded: ${(err as Error).message}`);
    }
    this.specials = new Map(parsed.data.added_tokens.filter((a) => a.special).map((a) => [a.content, a.id]));
    this.addedTokens = new Set(parsed.data.added_tokens.map((a) => a.content));
    this.byteLevel = JSON.stringify([(files.json as { pre_tokenizer?: unknown }).pre_tokenizer ?? null, (files.json as { decoder?: unknown }).decoder ?? null]).includes('"ByteLevel"');
    let max = -1;
    for (const id of Object.values(parsed.data.model.vocab ?? {})) max = Math.max(max, id);
    for (const a of parsed.data.added_tokens) max = Math.max(max, a.id);
    this.size = max + 1;
    const { bos_token: bosToken, eos_token: eosToken, pad_token: padToken } = this.config;
    this.bos = bosToken === undefined ? undefined : this.id(bosToken);
    if (eosToken === undefined) throw new TrainingError('TokenizerError', 'tokenizer_config.json has no eos_token: training needs an end-of-sequence token');
    this.eosId = this.id(eosToken);
    this.padId = padToken === undefined ? this.eosId : this.id(padToken);
  }

  /** The begin-of-sequence id (the built-in tokenizer always has one); throws for models without. */
  get bosId(): number {
    if (this.bos === undefined) throw new TrainingError('TokenizerError', 'this tokenizer has no bos_token');
    return this.bos;
  }

  /** Ids to put before a plain (non-chat) text: [bos] or nothing. */
  get prefixIds(): number[] {
    return this.bos === undefined ? [] : [this.bos];
  }

  id(token: string): number {
    const v = this.hf.token_to_id(token);
    if (v === undefined) throw new TrainingError('TokenizerError', `token ${JSON.stringify(token)} not in vocabulary`);
    return v;
  }

  token(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  /** Text → ids, without post-processor additions (no automatic BOS); special-token strings in the text become their ids. */
  encode(text: string): number[] {
    return this.hf.encode(text, { add_special_tokens: false }).ids;
  }

  /** Text → ids as `tokenizer(text)` in transformers: with the post-processor's additions (Llama 3: BOS). */
  encodeWithSpecials(text: string): number[] {
    return this.hf.encode(text, { add_special_tokens: true }).ids;
  }

  /** ids → text; special tokens dropped unless keepSpecial. */
  decode(ids: number[], keepSpecial = false): string {
    if (ids.length === 0) return '';
    return this.hf.decode(ids, { skip_special_tokens: !keepSpecial });
  }

  /** The Jinja chat template of tokenizer_config.json (the "default" one when several are named). */
  get chatTemplate(): string | undefined {
    const t = this.config.chat_template;
    if (t == null) return undefined;
    if (typeof t === 'string') return t;
    return (t.find((x) => x.name === 'default') ?? t[0])?.template;
  }

  toJSON(): unknown {
    return this.files.json;
  }

  /** Write tokenizer.json to `file` and tokenizer_config.json beside it. */
  async save(file: string): Promise<void> {
    await writeFile(file, JSON.stringify(this.files.json));
    if (this.files.config !== undefined) await writeFile(path.join(path.dirname(file), TOKENIZER_CONFIG_FILE), JSON.stringify(this.files.config, null, 1));
  }

  static fromJSON(json: unknown, config?: unknown): Tokenizer {
    return new Tokenizer({ json, config });
  }

  /** Load `file` (tokenizer.json) and, when present, tokenizer_config.json beside it. */
  static async load(file: string): Promise<Tokenizer> {
    const read = async (f: string, optional: boolean): Promise<unknown> => {
      let text: string;
      try {
        text = await readFile(f, 'utf8');
      } catch (err) {
        if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new TrainingError('TokenizerError', `cannot read ${f}: ${(err as Error).message}`);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new TrainingError('TokenizerError', `${f} is not JSON: ${(err as Error).message}`);
      }
    };
    const json = await read(file, false);
    const config = await read(path.join(path.dirname(file), TOKENIZER_CONFIG_FILE), true);
    return new Tokenizer({ json, config });
  }

  /** Load an HF model folder's tokenizer. */
  static async loadDir(dir: string): Promise<Tokenizer> {
    return Tokenizer.load(path.join(dir, 'tokenizer.json'));
  }
}
