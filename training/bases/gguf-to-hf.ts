/**
 * GGUF (llama architecture) → Hugging Face folder: config.json, model.safetensors (fp32),
 * tokenizer.json, tokenizer_config.json, generation_config.json.
 *
 * llama.cpp's converter interleaves the rotary halves of every q/k head (HF rotates
 * [first half | second half], ggml pairs (2j, 2j+1)); `unpermuteRows` puts the rows back.
 */
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BaseError } from './errors.js';
import { type GgufFile, type GgufValue, readGgufHeader, readGgufTensors } from './gguf.js';
import { reorderQkRows } from '../internal/qk-rows.js';

export type Progress = (line: string) => void;

const LAYER = /^blk\.(\d+)\.(.+)$/;
const LAYER_NAMES: Record<string, string> = {
  'attn_norm.weight': 'input_layernorm.weight',
  'ffn_norm.weight': 'post_attention_layernorm.weight',
  'attn_q.weight': 'self_attn.q_proj.weight',
  'attn_k.weight': 'self_attn.k_proj.weight',
  'attn_v.weight': 'self_attn.v_proj.weight',
  'attn_output.weight': 'self_attn.o_proj.weight',
  'ffn_gate.weight': 'mlp.gate_proj.weight',
  'ffn_up.weight': 'mlp.up_proj.weight',
  'ffn_down.weight': 'mlp.down_proj.weight',
};

/** HF tensor name of a llama GGUF tensor, or undefined for one HF does not store. */
export function hfName(gguf: string): string | undefined {
  if (gguf === 'token_embd.weight') return 'model.embed_tokens.weight';
  if (gguf === 'output_norm.weight') return 'model.norm.weight';
  if (gguf === 'output.weight') return 'lm_head.weight';
  if (gguf === 'rope_freqs.weight') return undefined; // llama3 rope factors: carried by config.rope_scaling instead
  const m = LAYER.exec(gguf);
  const rest = m ? LAYER_NAMES[m[2]!] : undefined;
  if (!m || !rest) throw new BaseError('InvalidGguf', `tensor ${gguf} has no Hugging Face llama name`);
  return `model.layers.${m[1]}.${rest}`;
}

/**
 * Undo llama.cpp's q/k row permutation on a [rows, cols] matrix of `heads` heads:
 * GGUF row h·d + 2j + t holds HF row h·d + t·d/2 + j (d = head dim, j < d/2, t ∈ {0, 1}).
 */
export function unpermuteRows(values: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const out = reorderQkRows(values, rows, cols, heads, false);
  if (!out) throw new BaseError('InvalidGguf', `cannot unpermute ${rows} rows into ${heads} heads of even size`);
  return out;
}

const num = (m: Record<string, GgufValue>, key: string): number => {
  const v = m[key];
  if (typeof v !== 'number' && typeof v !== 'bigint') throw new BaseError('InvalidGguf', `GGUF metadata ${key} is missing or not a number`);
  return Number(v);
};
const optNum = (m: Record<string, GgufValue>, key: string): number | undefined => (m[key] === undefined ? undefined : num(m, key));
/** Metadata floats are f32: print them as the decimal they were written from (9.99999975e-06 → 1e-05). */
const f32 = (x: number): number => Number(x.toPrecision(7));

export interface HfFiles {
  config: Record<string, unknown>;
  tokenizer: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  generationConfig: Record<string, unknown>;
}

/** Everything but the weights, from the GGUF metadata. */
export function hfFilesFromGguf(g: GgufFile): HfFiles {
  const m = g.metadata;
  const arch = m['general.architecture'];
  if (arch !== 'llama') throw new BaseError('InvalidGguf', `${g.file}: architecture "${String(arch)}" — only llama GGUF files are converted`);
  if (m['tokenizer.ggml.model'] !== 'gpt2') throw new BaseError('InvalidGguf', `${g.file}: tokenizer "${String(m['tokenizer.ggml.model'])}" — only byte-level BPE (gpt2) tokenizers are converted`);
  const tokens = m['tokenizer.ggml.tokens'];
  const merges = m['tokenizer.ggml.merges'];
  const types = (m['tokenizer.ggml.token_type'] ?? []) as GgufValue[];
  if (!Array.isArray(tokens) || !Array.isArray(merges)) throw new BaseError('InvalidGguf', `${g.file}: tokenizer tokens or merges missing`);
  const heads = num(m, 'llama.attention.head_count');
  const hidden = num(m, 'llama.embedding_length');
  const vocab = optNum(m, 'llama.vocab_size') ?? tokens.length;
  const bos = optNum(m, 'tokenizer.ggml.bos_token_id');
  const eos = optNum(m, 'tokenizer.ggml.eos_token_id');
  const pad = optNum(m, 'tokenizer.ggml.padding_token_id') ?? eos;
  const unk = optNum(m, 'tokenizer.ggml.unknown_token_id');
  const tied = !g.tensors.some((t) => t.name === 'output.weight');
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: vocab,
    hidden_size: hidden,
    intermediate_size: num(m, 'llama.feed_forward_length'),
    num_hidden_layers: num(m, 'llama.block_count'),
    num_attention_heads: heads,
    num_key_value_heads: optNum(m, 'llama.attention.head_count_kv') ?? heads,
    head_dim: optNum(m, 'llama.rope.dimension_count') ?? hidden / heads,
    rope_theta: f32(optNum(m, 'llama.rope.freq_base') ?? 10000),
    rms_norm_eps: f32(num(m, 'llama.attention.layer_norm_rms_epsilon')),
    max_position_embeddings: num(m, 'llama.context_length'),
    tie_word_embeddings: tied,
    attention_bias: false,
    mlp_bias: false,
    hidden_act: 'silu',
    rope_scaling: null,
    initializer_range: 0.02,
    pretraining_tp: 1,
    use_cache: true,
    ...(bos !== undefined ? { bos_token_id: bos } : {}),
    ...(eos !== undefined ? { eos_token_id: eos } : {}),
    ...(pad !== undefined ? { pad_token_id: pad } : {}),
    torch_dtype: 'float32',
  };
  const tokenStrings = tokens.map(String);
  // token types (llama.cpp): 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte
  const added = tokenStrings.flatMap((content, id) => {
    const t = Number(types[id] ?? 1);
    if (t !== 3 && t !== 4) return [];
    return [{ id, content, single_word: false, lstrip: false, rstrip: false, normalized: t === 4, special: t === 3 }];
  });
  const byteLevel = { type: 'ByteLevel', add_prefix_space: m['tokenizer.ggml.add_space_prefix'] === true, trim_offsets: true, use_regex: true };
  const pre = String(m['tokenizer.ggml.pre'] ?? 'default');
  // llama.cpp's "smollm" (and starcoder, refact …) pre-tokenizer splits every digit before the GPT-2 regex
  const digitsFirst = ['smollm', 'starcoder', 'refact', 'command-r', 'codeshell', 'exaone', 'minerva-7b'].includes(pre);
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: digitsFirst ? { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, byteLevel] } : byteLevel,
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE', dropout: null, unk_token: unk !== undefined ? tokenStrings[unk] : null, continuing_subword_prefix: null, end_of_word_suffix: null,
      fuse_unk: false, byte_fallback: false, ignore_merges: false,
      vocab: Object.fromEntries(tokenStrings.map((t, i) => [t, i])),
      merges: merges.map(String),
    },
  };
  const chatTemplate = m['tokenizer.chat_template'];
  const name = (id: number | undefined): string | null => (id === undefined ? null : tokenStrings[id] ?? null);
  const tokenizerConfig = {
    add_bos_token: m['tokenizer.ggml.add_bos_token'] === true,
    add_eos_token: m['tokenizer.ggml.add_eos_token'] === true,
    add_prefix_space: m['tokenizer.ggml.add_space_prefix'] === true,
    added_tokens_decoder: Object.fromEntries(added.map((a) => [String(a.id), { content: a.content, lstrip: false, normalized: a.normalized, rstrip: false, single_word: false, special: a.special }])),
    bos_token: name(bos),
    eos_token: name(eos),
    pad_token: name(pad),
    unk_token: name(unk),
    ...(typeof chatTemplate === 'string' ? { chat_template: chatTemplate } : {}),
    clean_up_tokenization_spaces: false,
    model_max_length: config.max_position_embeddings,
    tokenizer_class: 'GPT2Tokenizer',
  };
  const generationConfig = {
    ...(bos !== undefined ? { bos_token_id: bos } : {}),
    ...(eos !== undefined ? { eos_token_id: eos } : {}),
    ...(pad !== undefined ? { pad_token_id: pad } : {}),
  };
  return { config, tokenizer, tokenizerConfig, generationConfig };
}

/** Convert a llama GGUF file into an HF folder at `outDir` (created); weights dequantised to fp32. */
export async function convertGgufToHf(ggufFile: string, outDir: string, progress: Progress = () => {}): Promise<HfFiles> {
  const g = await readGgufHeader(ggufFile);
  const files = hfFilesFromGguf(g);
  const heads = files.config.num_attention_heads as number;
  const kvHeads = files.config.num_key_value_heads as number;
  await mkdir(outDir, { recursive: true });
  // safetensors: u64 header length, JSON header, then each tensor's fp32 bytes at its offset
  const kept = g.tensors.flatMap((t) => {
    const name = hfName(t.name);
    return name ? [{ t, name, shape: [...t.dims].reverse(), bytes: t.dims.reduce((a, b) => a * b, 1) * 4 }] : [];
  });
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', source: path.basename(ggufFile) } };
  let offset = 0;
  for (const k of kept) {
    header[k.name] = { dtype: 'F32', shape: k.shape, data_offsets: [offset, offset + k.bytes] };
    offset += k.bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const head = Buffer.from(json);
  const lenBytes = Buffer.alloc(8);
  lenBytes.writeBigUInt64LE(BigInt(head.byteLength));
  const fh = await open(path.join(outDir, 'model.safetensors'), 'w');
  try {
    await fh.write(lenBytes);
    await fh.write(head);
    const byName = new Map(kept.map((k) => [k.t.name, k]));
    let done = 0;
    for await (const { info, values } of readGgufTensors({ ...g, tensors: kept.map((k) => k.t) })) {
      const k = byName.get(info.name)!;
      const [rows, cols] = [k.shape[0]!, k.shape[1] ?? 1];
      const v = info.name.endsWith('attn_q.weight') ? unpermuteRows(values, rows, cols, heads) : info.name.endsWith('attn_k.weight') ? unpermuteRows(values, rows, cols, kvHeads) : values;
      await fh.write(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      done++;
      if (done % 25 === 0 || done === kept.length) progress(`dequantised ${done}/${kept.length} tensors`);
    }
  } finally {
    await fh.close();
  }
  await writeFile(path.join(outDir, 'config.json'), JSON.stringify(files.config, null, 2));
  await writeFile(path.join(outDir, 'tokenizer.json'), JSON.stringify(files.tokenizer));
  await writeFile(path.join(outDir, 'tokenizer_config.json'), JSON.stringify(files.tokenizerConfig, null, 2));
  await writeFile(path.join(outDir, 'generation_config.json'), JSON.stringify(files.generationConfig, null, 2));
  return files;
}
