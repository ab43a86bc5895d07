/** kgtune side of the interop check: compare logits with transformers/PEFT and write a kgtune adapter. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../training/backend.js';
import { createAdapter } from '../../training/lora/adapter.js';
import type { LoraAdapter } from '../../training/lora/adapter.js';
import { LoraConfigSchema } from '../../training/lora/config.js';
import { loadAdapter, saveAdapter } from '../../training/lora/peft.js';
import { loadModel } from '../../training/model/io.js';
import { BpeEncoder as Tokenizer } from '../../training/tokenizer/bpe.js';
import { type LlamaModel, forwardLogits } from '../../training/model/llama.js';

const TOL = 1e-4;
const root = process.argv[2];
if (!root) throw new Error('usage: kgtune-side.ts <interop dir>');

function logits(model: LlamaModel, ids: number[][], lora?: LoraAdapter): number[][][] {
  return tf.tidy(() => forwardLogits(model, tf.tensor2d(ids, [ids.length, ids[0]!.length], 'int32'), { lora }).arraySync());
}

function maxDiff(a: number[][][], b: number[][][]): number {
  const x = a.flat(2);
  const y = b.flat(2);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return x.length === y.length ? m : Infinity;
}

const backend = await selectBackend();
const ids = JSON.parse(await readFile(path.join(root, 'ids.json'), 'utf8')) as number[][];
let ok = true;
const report = (label: string, d: number) => {
  const pass = d <= TOL;
  ok &&= pass;
  console.log(`${label}, max |Δlogit| = ${d.toExponential(2)} ${pass ? 'PASS' : 'FAIL'}`);
};
for (const kind of ['llama', 'qwen2']) {
  const dir = path.join(root, kind);
  const model = await loadModel(path.join(dir, 'base'));
  const ref = JSON.parse(await readFile(path.join(dir, 'base_logits.json'), 'utf8')) as number[][][];
  report(`(a) ${kind}: kgtune (${backend.name}) vs transformers`, maxDiff(logits(model, ids), ref));

  const peft = await loadAdapter(path.join(dir, 'peft_adapter'), model.config);
  const refPeft = JSON.parse(await readFile(path.join(dir, 'peft_logits.json'), 'utf8')) as number[][][];
  report(`(c) ${kind}: PEFT adapter in kgtune`, maxDiff(logits(model, ids, peft), refPeft));

  const mine = createAdapter(model.config, LoraConfigSchema.parse({ r: 4, alpha: 8, dropout: 0, rsLora: kind === 'qwen2' }), 3);
  for (const m of mine.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.2, 'float32', 17));
  await saveAdapter(mine, path.join(dir, 'kgtune_adapter'), { baseModel: 'tiny-random', name: `interop-${kind}` });
  await writeFile(path.join(dir, 'kgtune_adapter_logits.json'), JSON.stringify(logits(model, ids, mine)));
}
const cases = JSON.parse(await readFile(path.join(root, 'tokenizer_cases.json'), 'utf8')) as Record<string, { text: string; ids: number[] }[]>;
for (const [name, list] of Object.entries(cases)) {
  const tok = await Tokenizer.load(path.join(root, `tokenizer-${name}.json`));
  const same = list.filter((c) => JSON.stringify(tok.encode(c.text)) === JSON.stringify(c.ids)).length;
  const roundTrip = list.filter((c) => tok.decode(tok.encode(c.text), true) === c.text).length;
  const pass = same === list.length && roundTrip === list.length;
  ok &&= pass;
  console.log(`(t) ${name} byte-level tokenizer.json: ${same}/${list.length} encodings identical to HF tokenizers, ${roundTrip}/${list.length} round trips ${pass ? 'PASS' : 'FAIL'}`);
}
if (!ok) process.exit(1);
