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
import { compareGreedy, exportLoraGguf, exportMergedGguf, exportMergedHf, GGML_TYPE, kv, permuteRows, toHalfBits, tokenizerMetadataFromGguf, writeGguf } from '../../../training/export/index.js';
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

  it('refuses what llama.cpp\'s llama architecture cannot hold, in one line naming the way out', async () => {
    const other = await tinyBaseAndAdapter(path.join(dir, 'builtin'), { tokenizerDir: BUILTIN_TOK });
    await expect(exportMergedGguf({ ...other, outFile: path.join(dir, 'x.gguf') })).rejects.toThrow(/byte-level BPE tokenizer .* export --format merged-hf or peft instead/);
    const qwen = await tinyBaseAndAdapter(path.join(dir, 'qwen3'), { config: { model_type: 'qwen3', head_dim: 16 } });
    await expect(exportMergedGguf({ ...qwen, outFile: path.join(dir, 'y.gguf') })).rejects.toThrow(/q\/k norms \(Qwen3\)/);
  });
});
