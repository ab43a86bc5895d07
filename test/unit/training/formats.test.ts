import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSafetensors, readSafetensors, serializeSafetensors, writeSafetensors } from '../../../training/formats/safetensors.js';
import { loadModel, saveModel } from '../../../training/model/io.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { Tokenizer } from '../../../training/tokenizer/tokenizer.js';
import { encodeChat } from '../../../training/tokenizer/chat.js';
import { trainTokenizer } from '../../../training/tokenizer/train-bpe.js';
import { maxAbsDiff, microModel, tmpDir, useWasm } from './helpers.js';

beforeAll(useWasm);

function handMade(dtype: string, shape: number[], bytes: number[]): Uint8Array {
  const header = JSON.stringify({ w: { dtype, shape, data_offsets: [0, bytes.length] } });
  const h = new TextEncoder().encode(header);
  const buf = new Uint8Array(8 + h.length + bytes.length);
  new DataView(buf.buffer).setBigUint64(0, BigInt(h.length), true);
  buf.set(h, 8);
  buf.set(bytes, 8 + h.length);
  return buf;
}

describe('safetensors', () => {
  it('round-trips F32 tensors with metadata, header aligned to 8 bytes', async () => {
    const dir = await tmpDir();
    const t = new Map<string, tf.Tensor>([['b', tf.tensor2d([[1.5, -2], [3, 4e-8]])], ['a', tf.tensor1d([7], 'int32')]]);
    await writeSafetensors(path.join(dir, 'x.safetensors'), t, { format: 'pt' });
    const back = await readSafetensors(path.join(dir, 'x.safetensors'));
    expect(back.metadata).toEqual({ format: 'pt' });
    expect(back.tensors.get('b')!.arraySync()).toEqual(t.get('b')!.arraySync());
    expect(back.tensors.get('a')!.dtype).toBe('int32');
    const raw = await serializeSafetensors(t);
    expect(Number(new DataView(raw.buffer).getBigUint64(0, true)) % 8).toBe(0);
  });

  it('reads F16 and BF16 (1.0, -2.0, 0.5)', () => {
    const f16 = parseSafetensors(handMade('F16', [3], [0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38])).tensors.get('w')!;
    expect(Array.from(f16.dataSync())).toEqual([1, -2, 0.5]);
    const bf16 = parseSafetensors(handMade('BF16', [3], [0x80, 0x3f, 0x00, 0xc0, 0x00, 0x3f])).tensors.get('w')!;
    expect(Array.from(bf16.dataSync())).toEqual([1, -2, 0.5]);
  });

  it('rejects a tensor whose byte count does not fit its shape', () => {
    expect(() => parseSafetensors(handMade('F32', [2], [0, 0, 0, 0]))).toThrow(/needs 8/);
  });

  it('model save/load keeps HF names, [out, in] layout and the logits', async () => {
    const m = microModel({ tie_word_embeddings: false });
    const dir = await tmpDir();
    await saveModel(m, dir);
    const st = await readSafetensors(path.join(dir, 'model.safetensors'));
    expect(st.tensors.get('model.layers.0.self_attn.k_proj.weight')!.shape).toEqual([8, 16]); // [kv·hs, d]
    expect(st.tensors.get('model.layers.1.mlp.down_proj.weight')!.shape).toEqual([16, 24]);
    const m2 = await loadModel(dir);
    const ids = tf.tensor2d([[1, 5, 7]], [1, 3], 'int32');
    const a = tf.tidy(() => forwardLogits(m, ids).dataSync());
    const b = tf.tidy(() => forwardLogits(m2, ids).dataSync());
    expect(maxAbsDiff(a, b)).toBe(0);
    m.dispose();
    m2.dispose();
  });
});

describe('built-in tokenizer', () => {
  const texts = ['今天天气很好，我们去公园散步。', 'The weather is nice today and we walk in the park.', '公司的总部在杭州。The company is in Hangzhou.'];

  it('round-trips Chinese, English, digits, newlines and unseen characters (byte fallback)', () => {
    const tok = trainTokenizer(texts, { merges: 50, minFrequency: 2 });
    for (const s of [...texts, 'Emoji 😀 and 龘 unseen\nnew line 2024', '  two  spaces ']) expect(tok.decode(tok.encode(s))).toBe(s);
    expect(tok.encode('龘').length).toBe(3); // three UTF-8 bytes
    expect(tok.encode('the').length).toBeLessThan(3); // a learned merge
  });

  it('saves a tokenizer.json in HF layout and loads it back identically', async () => {
    const tok = trainTokenizer(texts, { merges: 50, minFrequency: 2 });
    const dir = await tmpDir();
    await tok.save(path.join(dir, 'tokenizer.json'));
    const back = await Tokenizer.load(path.join(dir, 'tokenizer.json'));
    const j = tok.toJSON() as { model: { type: string; byte_fallback: boolean }; added_tokens: { content: string }[] };
    expect(j.model.type).toBe('BPE');
    expect(j.model.byte_fallback).toBe(true);
    expect(j.added_tokens.map((a) => a.content)).toContain('<|assistant|>');
    for (const s of texts) expect(back.encode(s)).toEqual(tok.encode(s));
    expect(back.size).toBe(tok.size);
  });

  it('chat template: special tokens are single ids and the loss covers only the response + </s>', () => {
    const tok = trainTokenizer(texts, { merges: 20 });
    const ex = encodeChat(tok, { instruction: '总部在哪里？', output: '杭州' }, 100);
    expect(ex.ids).toContain(tok.id('<|assistant|>'));
    const first = ex.lossMask.indexOf(1);
    expect(tok.decode(ex.ids.slice(first))).toBe('杭州');
    expect(ex.ids.at(-1)).toBe(tok.eosId);
    expect(ex.lossMask.slice(0, first).every((m) => m === 0)).toBe(true);
    expect(tok.decode(ex.ids.slice(0, first), true)).toBe('<s><|user|>\n总部在哪里？\n<|assistant|>\n');
  });
});

describe('HF byte-level BPE (GPT-2 / Qwen2 / LLaMA-3 tokenizer.json)', () => {
  it('maps bytes to printable characters and back', async () => {
    const { bytesToUnicode, unicodeToBytes } = await import('../../../training/tokenizer/byte-level.js');
    expect(bytesToUnicode(' hi')).toBe('Ġhi'); // GPT-2 maps the space byte to Ġ
    expect(new TextDecoder().decode(unicodeToBytes(bytesToUnicode('你好 😀')))).toBe('你好 😀');
  });

  it('translates Oniguruma (?i:…) groups to JavaScript', async () => {
    const { toJsPattern } = await import('../../../training/tokenizer/byte-level.js');
    const re = new RegExp(toJsPattern("(?i:'s|'ll)|\\p{L}+"), 'gu');
    expect("IT'S we'LL".match(re)).toEqual(['IT', "'S", 'we', "'LL"]);
  });

  it('loads a minimal byte-level tokenizer.json and applies merges', () => {
    const tok = Tokenizer.fromJSON({
      added_tokens: [{ id: 5, content: '<|endoftext|>', special: true }],
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true },
      model: { type: 'BPE', vocab: { h: 0, i: 1, Ġ: 2, hi: 3, Ġhi: 4 }, merges: ['h i', 'Ġ hi'] },
      decoder: { type: 'ByteLevel' },
    }, { eos_token: '<|endoftext|>' });
    expect(tok.encode('hi hi<|endoftext|>')).toEqual([3, 4, 5]);
    expect(tok.decode([3, 4, 5], true)).toBe('hi hi<|endoftext|>');
  });
});
