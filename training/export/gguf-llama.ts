/**
 * A LLaMA-family model (HF names and layout) → a GGUF file llama.cpp loads: architecture `llama`
 * (LLaMA, Llama 3.x, Mistral without a window), `qwen2` or `qwen3`.
 *
 * The inverse of training/bases/gguf-to-hf.ts: HF names become ggml names. For `llama` the rows of
 * every q/k projection (and bias) are permuted back into llama.cpp's rotary layout (HF rotates
 * [first half | second half] of a head, ggml pairs (2j, 2j+1)); `qwen2`/`qwen3` use llama.cpp's NEOX
 * rotation, which is HF's layout, so their rows stay. Llama 3.x rope_scaling becomes the
 * `rope_freqs.weight` tensor (one divisor per frequency), as llama.cpp's converter writes it.
 * Tokenizer metadata comes from the source GGUF when the base was converted from one (copied key by
 * key, with its types), else from tokenizer.json.
 */
import { gguf } from '@huggingface/gguf';
import type { ModelConfig } from '../model/config.js';
import { TrainingError } from '../errors.js';
import { type GgmlWriteType, GGML_TYPE, type GgufEntry, type GgufTensorSpec, kv, writeGguf } from './gguf-writer.js';
import { reorderQkRows } from '../internal/qk-rows.js';
import { ropeInvFreq } from '../model/layers.js';

const LAYER = /^model\.layers\.(\d+)\.(.+)$/;
const LAYER_NAMES: Record<string, string> = {
  'input_layernorm.weight': 'attn_norm.weight',
  'post_attention_layernorm.weight': 'ffn_norm.weight',
  'self_attn.q_proj.weight': 'attn_q.weight',
  'self_attn.k_proj.weight': 'attn_k.weight',
  'self_attn.v_proj.weight': 'attn_v.weight',
  'self_attn.o_proj.weight': 'attn_output.weight',
  'self_attn.q_proj.bias': 'attn_q.bias',
  'self_attn.k_proj.bias': 'attn_k.bias',
  'self_attn.v_proj.bias': 'attn_v.bias',
  'self_attn.o_proj.bias': 'attn_output.bias',
  'self_attn.q_norm.weight': 'attn_q_norm.weight',
  'self_attn.k_norm.weight': 'attn_k_norm.weight',
  'mlp.gate_proj.weight': 'ffn_gate.weight',
  'mlp.up_proj.weight': 'ffn_up.weight',
  'mlp.down_proj.weight': 'ffn_down.weight',
};

/** ggml name of an HF llama tensor. */
export function ggufName(hf: string): string {
  if (hf === 'model.embed_tokens.weight') return 'token_embd.weight';
  if (hf === 'model.norm.weight') return 'output_norm.weight';
  if (hf === 'lm_head.weight') return 'output.weight';
  const m = LAYER.exec(hf);
  const rest = m ? LAYER_NAMES[m[2]!] : undefined;
  if (!m || !rest) throw new TrainingError('InvalidModelConfig', `GGUF export: tensor ${hf} has no llama.cpp name`);
  return `blk.${m[1]}.${rest}`;
}

/**
 * llama.cpp's q/k row permutation on a [rows, cols] matrix of `heads` heads (the inverse of
 * `unpermuteRows`): GGUF row h·d + 2j + t takes HF row h·d + t·d/2 + j.
 */
export function permuteRows(values: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const out = reorderQkRows(values, rows, cols, heads, true);
  if (!out) throw new TrainingError('InvalidModelConfig', `cannot permute ${rows} rows into ${heads} heads of even size`);
  return out;
}

/** How a model is written for llama.cpp: its architecture name, and whether q/k rows are permuted. */
export interface GgufArchitecture {
  name: 'llama' | 'qwen2' | 'qwen3';
  permuteQk: boolean;
}

/** llama.cpp's architecture for a model config, or why it has none (one line naming the way out). */
export function ggufArchitecture(c: ModelConfig): GgufArchitecture | { why: string } {
  if (c.slidingWindow !== undefined && c.slidingWindow < c.maxPositions) return { why: `sliding-window attention (window ${c.slidingWindow}), which llama.cpp's llama architecture does not apply` };
  const type = c.hf.model_type;
  if (type === 'qwen2' || type === 'qwen3') {
    if (c.ropeScaling.kind !== 'default') return { why: `rope_scaling ${c.ropeScaling.kind} on ${type}` };
    if (type === 'qwen3' && c.qkvBias) return { why: 'attention biases on qwen3' };
    return { name: type, permuteQk: false };
  }
  return { name: 'llama', permuteQk: true };
}

/** Why a model cannot be written as a GGUF, or undefined when it can. */
export function ggufUnsupported(c: ModelConfig): string | undefined {
  const a = ggufArchitecture(c);
  return 'why' in a ? a.why : undefined;
}

/** The architecture, or a one-line refusal naming the formats that do hold the model. */
export function requireGgufArchitecture(c: ModelConfig, instead: string): GgufArchitecture {
  const a = ggufArchitecture(c);
  if ('why' in a) throw new TrainingError('InvalidModelConfig', `GGUF export: this base has ${a.why} — export --format ${instead} instead`);
  return a;
}

/**
 * llama.cpp's per-frequency RoPE divisors (`rope_freqs.weight`) for Llama 3.x / linear rope_scaling:
 * llama.cpp divides each default frequency by its factor, so the factor is default / scaled.
 */
export function ropeFreqFactors(c: ModelConfig): Float32Array | undefined {
  if (c.ropeScaling.kind === 'default') return undefined;
  const plain = ropeInvFreq(c.headDim, c.ropeTheta);
  const scaled = ropeInvFreq(c.headDim, c.ropeTheta, c.ropeScaling);
  return Float32Array.from(plain, (x, i) => x / scaled[i]!);
}

interface TokenizerJson {
  added_tokens?: { id: number; content: string; special?: boolean }[];
  pre_tokenizer?: unknown;
  decoder?: unknown;
  model: { type?: string; vocab: Record<string, number>; merges?: (string | [string, string])[] };
}
interface TokenizerConfigJson {
  bos_token?: unknown;
  eos_token?: unknown;
  pad_token?: unknown;
  unk_token?: unknown;
  add_bos_token?: boolean;
  chat_template?: unknown;
}

const tokenContent = (t: unknown): string | undefined => (typeof t === 'string' ? t : t && typeof t === 'object' && typeof (t as { content?: unknown }).content === 'string' ? (t as { content: string }).content : undefined);

/** Split regexes of the byte-level BPE pre-tokenizers llama.cpp knows by name (its llama-vocab.cpp holds the same regexes). */
const SPLIT_PRE_TOKENIZERS: Record<string, string> = {
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'qwen2',
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": 'llama-bpe',
};

/**
 * llama.cpp's name (`tokenizer.ggml.pre`) for the pre-tokenizer of a byte-level BPE tokenizer.json,
 * for the shapes kgtune's bases have; undefined for any other.
 */
export function llamaCppPreTokenizer(pre: unknown): string | undefined {
  const p = pre as { type?: string; use_regex?: boolean; pretokenizers?: { type?: string; individual_digits?: boolean; use_regex?: boolean; pattern?: { Regex?: string } }[] } | null;
  if (p?.type === 'ByteLevel' && p.use_regex !== false) return 'gpt-2';
  const seq = p?.type === 'Sequence' ? p.pretokenizers ?? [] : [];
  if (seq.length === 2 && seq[0]?.type === 'Digits' && seq[0].individual_digits === true && seq[1]?.type === 'ByteLevel' && seq[1].use_regex !== false) return 'smollm';
  // Qwen2/2.5/3 and Llama 3: one Split regex, then ByteLevel without its own regex; they differ in digits (1 vs 1–3)
  const split = seq.length === 2 && seq[0]?.type === 'Split' && seq[1]?.type === 'ByteLevel' && seq[1].use_regex === false ? seq[0].pattern?.Regex : undefined;
  return split === undefined ? undefined : SPLIT_PRE_TOKENIZERS[split];
}

/** `tokenizer.*` metadata for llama.cpp from tokenizer.json + tokenizer_config.json (byte-level BPE only). */
export function tokenizerMetadata(json: unknown, config: unknown, vocabSize: number): Record<string, GgufEntry> {
  const t = json as TokenizerJson;
  const cfg = (config ?? {}) as TokenizerConfigJson;
  const byteLevel = JSON.stringify([t.pre_tokenizer ?? null, t.decoder ?? null]).includes('"ByteLevel"');
  if (t.model?.type !== 'BPE' || !byteLevel) throw new TrainingError('TokenizerError', 'GGUF export needs a byte-level BPE tokenizer (GPT-2 style: SmolLM2, Llama 3, Qwen); this base\'s tokenizer has no llama.cpp equivalent — export --format merged-hf or peft instead');
  const pre = llamaCppPreTokenizer(t.pre_tokenizer);
  if (!pre) throw new TrainingError('TokenizerError', `GGUF export: pre-tokenizer ${JSON.stringify(t.pre_tokenizer).slice(0, 120)} has no llama.cpp name kgtune knows (gpt-2, smollm, qwen2, llama-bpe)`);
  const tokens = new Array<string>(vocabSize);
  const types = new Array<number>(vocabSize).fill(1); // llama.cpp token types: 1 normal, 3 control, 4 user-defined, 5 unused
  for (const [s, id] of Object.entries(t.model.vocab)) if (id < vocabSize) tokens[id] = s;
  for (const a of t.added_tokens ?? []) {
    if (a.id >= vocabSize) throw new TrainingError('TokenizerError', `GGUF export: added token ${a.content} (id ${a.id}) is beyond vocab_size ${vocabSize}`);
    tokens[a.id] = a.content;
    types[a.id] = a.special ? 3 : 4;
  }
  for (let i = 0; i < vocabSize; i++) {
    if (tokens[i] === undefined) {
      tokens[i] = `[PAD${i}]`;
      types[i] = 5;
    }
  }
  const merges = (t.model.merges ?? []).map((m) => (typeof m === 'string' ? m : m.join(' ')));
  const id = (v: unknown): number | undefined => {
    const s = tokenContent(v);
    const i = s === undefined ? -1 : tokens.indexOf(s);
    return i < 0 ? undefined : i;
  };
  const out: Record<string, GgufEntry> = {
    'tokenizer.ggml.model': kv.str('gpt2'),
    'tokenizer.ggml.pre': kv.str(pre),
    'tokenizer.ggml.tokens': kv.strs(tokens),
    'tokenizer.ggml.token_type': kv.i32s(types),
    'tokenizer.ggml.merges': kv.strs(merges),
  };
  const ids: [string, unknown][] = [['bos_token_id', cfg.bos_token], ['eos_token_id', cfg.eos_token], ['unknown_token_id', cfg.unk_token], ['padding_token_id', cfg.pad_token]];
  for (const [key, v] of ids) {
    const i = id(v);
    if (i !== undefined) out[`tokenizer.ggml.${key}`] = kv.u32(i);
  }
  out['tokenizer.ggml.add_bos_token'] = kv.bool(cfg.add_bos_token === true);
  const tpl = cfg.chat_template;
  const template = typeof tpl === 'string' ? tpl : Array.isArray(tpl) ? (tpl.find((x: { name?: string }) => x.name === 'default') ?? tpl[0])?.template : undefined;
  if (typeof template === 'string') out['tokenizer.chat_template'] = kv.str(template);
  return out;
}

/** The `tokenizer.*` keys of a GGUF file, with their types, to copy into an export of a model converted from it. */
export async function tokenizerMetadataFromGguf(file: string, vocabSize: number): Promise<Record<string, GgufEntry>> {
  const parsed = await gguf(file, { allowLocalFile: true, typedMetadata: true });
  const out: Record<string, GgufEntry> = {};
  for (const [k, v] of Object.entries(parsed.typedMetadata)) {
    if (k.startsWith('tokenizer.')) out[k] = v as GgufEntry;
  }
  const tokens = out['tokenizer.ggml.tokens']?.value;
  if (!Array.isArray(tokens) || tokens.length !== vocabSize) throw new TrainingError('TokenizerError', `${file}: its ${Array.isArray(tokens) ? tokens.length : 0} tokens do not match vocab_size ${vocabSize}`);
  return out;
}

/** `general.*` and `<architecture>.*` metadata for a model config. */
export function modelMetadata(c: ModelConfig, arch: GgufArchitecture['name'], name: string, fileType: 0 | 1): Record<string, GgufEntry> {
  const out: Record<string, GgufEntry> = {
    'general.architecture': kv.str(arch),
    'general.name': kv.str(name),
    'general.file_type': kv.u32(fileType), // 0 all F32, 1 mostly F16 (norms stay F32)
    [`${arch}.vocab_size`]: kv.u32(c.vocabSize),
    [`${arch}.context_length`]: kv.u32(c.maxPositions),
    [`${arch}.embedding_length`]: kv.u32(c.hidden),
    [`${arch}.block_count`]: kv.u32(c.layers),
    [`${arch}.feed_forward_length`]: kv.u32(c.intermediate),
    [`${arch}.rope.dimension_count`]: kv.u32(c.headDim),
    [`${arch}.attention.head_count`]: kv.u32(c.heads),
    [`${arch}.attention.head_count_kv`]: kv.u32(c.kvHeads),
    [`${arch}.attention.layer_norm_rms_epsilon`]: kv.f32(c.rmsEps),
    [`${arch}.rope.freq_base`]: kv.f32(c.ropeTheta),
  };
  if (c.headDim * c.heads !== c.hidden) {
    out[`${arch}.attention.key_length`] = kv.u32(c.headDim);
    out[`${arch}.attention.value_length`] = kv.u32(c.headDim);
  }
  return out;
}

export interface ModelGgufInput {
  config: ModelConfig;
  /** HF-named tensors in HF layout ([out, in] for linear weights), read one at a time. */
  names: string[];
  shapeOf: (hfName: string) => number[];
  valuesOf: (hfName: string) => Float32Array;
  tokenizer: Record<string, GgufEntry>;
  name: string;
  dtype: 'f32' | 'f16';
}

const ROPE_FREQS = 'rope_freqs.weight';

/** q/k output rows in llama.cpp's layout for `arch` (weights [out, in], LoRA B [out, r], biases [out]). */
export function ggufRows(arch: GgufArchitecture, ggmlName: string, v: Float32Array, rows: number, cols: number, c: ModelConfig): Float32Array {
  if (!arch.permuteQk) return v;
  if (/attn_q\.(weight|bias)/.test(ggmlName)) return permuteRows(v, rows, cols, c.heads);
  if (/attn_k\.(weight|bias)/.test(ggmlName)) return permuteRows(v, rows, cols, c.kvHeads);
  return v;
}

/** Write a model GGUF: metadata, then the tensors (q/k rows in llama.cpp's layout; 1-D tensors always F32). */
export async function writeModelGguf(file: string, o: ModelGgufInput): Promise<void> {
  const arch = requireGgufArchitecture(o.config, 'merged-hf or peft');
  const byGguf = new Map<string, string>();
  const specs: GgufTensorSpec[] = o.names.map((hf) => {
    const shape = o.shapeOf(hf);
    const type: GgmlWriteType = o.dtype === 'f16' && shape.length > 1 ? GGML_TYPE.F16 : GGML_TYPE.F32;
    const name = ggufName(hf);
    byGguf.set(name, hf);
    return { name, shape, type };
  });
  const factors = ropeFreqFactors(o.config);
  if (factors) specs.push({ name: ROPE_FREQS, shape: [factors.length], type: GGML_TYPE.F32 });
  const metadata = { ...modelMetadata(o.config, arch.name, o.name, o.dtype === 'f16' ? 1 : 0), ...o.tokenizer };
  await writeGguf(file, metadata, specs, (s) => {
    if (s.name === ROPE_FREQS) return factors!;
    const v = o.valuesOf(byGguf.get(s.name)!);
    return ggufRows(arch, s.name, v, s.shape[0]!, s.shape[1] ?? 1, o.config);
  });
}
