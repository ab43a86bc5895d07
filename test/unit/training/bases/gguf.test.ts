import { describe, expect, it } from 'vitest';
import { dequantize, GGML, hfFilesFromGguf, hfName, unpermuteRows } from '../../../../training/bases/index.js';
import type { GgufFile } from '../../../../training/bases/gguf.js';

/** float → IEEE half bits (values used here are exact in f16). */
function f16bits(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0]!;
  const sign = (u >> 16) & 0x8000;
  const exp = ((u >> 23) & 0xff) - 127 + 15;
  const mant = (u >> 13) & 0x3ff;
  return x === 0 ? 0 : sign | (exp << 10) | mant;
}

describe('GGUF dequantisation', () => {
  it('Q4_1: d·q + m, low nibbles are values 0..15, high nibbles 16..31', () => {
    const block = new Uint8Array(20);
    const dv = new DataView(block.buffer);
    dv.setUint16(0, f16bits(0.5), true);
    dv.setUint16(2, f16bits(-1), true);
    for (let j = 0; j < 16; j++) block[4 + j] = (j & 0xf) | ((15 - j) << 4);
    const v = dequantize(GGML.Q4_1, block, 32);
    for (let j = 0; j < 16; j++) {
      expect(v[j]).toBe(0.5 * j - 1);
      expect(v[j + 16]).toBe(0.5 * (15 - j) - 1);
    }
  });

  it('Q8_0: d·q with signed bytes; Q4_0: d·(q − 8)', () => {
    const q8 = new Uint8Array(34);
    new DataView(q8.buffer).setUint16(0, f16bits(0.25), true);
    for (let j = 0; j < 32; j++) new DataView(q8.buffer).setInt8(2 + j, j - 16);
    expect(Array.from(dequantize(GGML.Q8_0, q8, 32))).toEqual(Array.from({ length: 32 }, (_, j) => 0.25 * (j - 16)));
    const q4 = new Uint8Array(18);
    new DataView(q4.buffer).setUint16(0, f16bits(2), true);
    q4.fill(0x3c, 2); // low 12, high 3
    const v = dequantize(GGML.Q4_0, q4, 32);
    expect(v[0]).toBe(8);
    expect(v[16]).toBe(-10);
  });

  it('refuses unsupported types and short buffers with the tensor name', () => {
    expect(() => dequantize(12, new Uint8Array(144), 256, 'blk.0.ffn_up.weight')).toThrow(/blk\.0\.ffn_up\.weight: ggml type 12 is not supported/);
    expect(() => dequantize(GGML.Q8_0, new Uint8Array(10), 32, 'x')).toThrow(/x: 10 bytes/);
  });
});

describe('llama.cpp q/k row permutation', () => {
  /** What llama.cpp's converter does: rows of each head reshaped (2, d/2) → swapped to (d/2, 2). */
  function permute(w: Float32Array, rows: number, cols: number, heads: number): Float32Array {
    const d = rows / heads;
    const out = new Float32Array(w.length);
    for (let h = 0; h < heads; h++) for (let t = 0; t < 2; t++) for (let j = 0; j < d / 2; j++) {
      const src = (h * d + t * (d / 2) + j) * cols;
      const dst = (h * d + 2 * j + t) * cols;
      out.set(w.subarray(src, src + cols), dst);
    }
    return out;
  }

  it('unpermuteRows inverts it for GQA-shaped q and k', () => {
    for (const [rows, heads] of [[24, 3], [8, 1], [32, 4]] as const) {
      const w = Float32Array.from({ length: rows * 5 }, (_, i) => i);
      const back = unpermuteRows(permute(w, rows, 5, heads), rows, 5, heads);
      expect(Array.from(back)).toEqual(Array.from(w));
      expect(Array.from(permute(w, rows, 5, heads))).not.toEqual(Array.from(w));
    }
  });
});

describe('GGUF → HF names and files', () => {
  it('maps llama tensor names and refuses unknown ones', () => {
    expect(hfName('token_embd.weight')).toBe('model.embed_tokens.weight');
    expect(hfName('blk.12.attn_q.weight')).toBe('model.layers.12.self_attn.q_proj.weight');
    expect(hfName('blk.0.ffn_norm.weight')).toBe('model.layers.0.post_attention_layernorm.weight');
    expect(hfName('rope_freqs.weight')).toBeUndefined();
    expect(() => hfName('blk.0.attn_qkv.weight')).toThrow(/no Hugging Face llama name/);
  });

  const meta = {
    'general.architecture': 'llama', 'llama.block_count': 2, 'llama.context_length': 512, 'llama.embedding_length': 16, 'llama.feed_forward_length': 32,
    'llama.attention.head_count': 4, 'llama.attention.head_count_kv': 2, 'llama.rope.freq_base': 100000, 'llama.attention.layer_norm_rms_epsilon': 0.000009999999747378752,
    'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.pre': 'smollm', 'tokenizer.ggml.tokens': ['<|endoftext|>', '<|im_start|>', '<|im_end|>', 'a', 'b', 'ab'],
    'tokenizer.ggml.token_type': [3, 3, 3, 1, 1, 1], 'tokenizer.ggml.merges': ['a b'], 'tokenizer.ggml.bos_token_id': 1, 'tokenizer.ggml.eos_token_id': 2,
    'tokenizer.ggml.padding_token_id': 2, 'tokenizer.ggml.unknown_token_id': 0, 'tokenizer.chat_template': '{{ messages }}',
  };
  const file = (tensors: string[], m: Record<string, unknown> = meta): GgufFile => ({ file: 'x.gguf', metadata: m as GgufFile['metadata'], tensors: tensors.map((name) => ({ name, dims: [16], type: 0, offset: 0 })) });

  it('writes config, tokenizer and chat template from the metadata (tied when there is no output tensor)', () => {
    const f = hfFilesFromGguf(file(['token_embd.weight']));
    expect(f.config).toMatchObject({ model_type: 'llama', vocab_size: 6, num_key_value_heads: 2, head_dim: 4, rope_theta: 100000, rms_norm_eps: 1e-5, tie_word_embeddings: true, bos_token_id: 1, eos_token_id: 2, pad_token_id: 2 });
    expect(hfFilesFromGguf(file(['token_embd.weight', 'output.weight'])).config.tie_word_embeddings).toBe(false);
    expect(f.tokenizer).toMatchObject({ pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, { type: 'ByteLevel' }] }, model: { type: 'BPE', merges: ['a b'], vocab: { ab: 5 } } });
    expect((f.tokenizer.added_tokens as { id: number; special: boolean }[]).map((a) => [a.id, a.special])).toEqual([[0, true], [1, true], [2, true]]);
    expect(f.tokenizerConfig).toMatchObject({ bos_token: '<|im_start|>', eos_token: '<|im_end|>', pad_token: '<|im_end|>', unk_token: '<|endoftext|>', chat_template: '{{ messages }}' });
    expect(f.generationConfig).toEqual({ bos_token_id: 1, eos_token_id: 2, pad_token_id: 2 });
  });

  it('refuses other architectures and tokenizers in one line', () => {
    expect(() => hfFilesFromGguf(file([], { ...meta, 'general.architecture': 'qwen2' }))).toThrow(/architecture "qwen2" — only llama/);
    expect(() => hfFilesFromGguf(file([], { ...meta, 'tokenizer.ggml.model': 'llama' }))).toThrow(/only byte-level BPE/);
  });
});
