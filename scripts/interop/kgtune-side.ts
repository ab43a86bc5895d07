/**
 * kgtune side of the interop check (used by test/interop/interop.test.ts and scripts/interop/run.sh):
 * for every architecture reference.py made, compare kgtune's logits with transformers' (base) and
 * with PEFT's (PEFT adapter loaded by kgtune), and save a kgtune adapter + its logits for PEFT to load.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, createAdapter, disposeAdapter, LoraConfigSchema, loadAdapter, saveAdapter, loadModel, type LlamaModel, forwardLogits } from '../../training/index.js';
import type { LoraAdapter } from '../../training/index.js';

export const TOL = 1e-4;

export interface KgtuneSideResult {
  kind: string;
  /** max |Δlogit| kgtune vs transformers on the base model. */
  base: number;
  /** max |Δlogit| of a PEFT-saved adapter loaded into kgtune vs PEFT. */
  peftInKgtune: number;
}

function logits(model: LlamaModel, ids: number[][], lora?: LoraAdapter): number[][][] {
  return tf.tidy(() => forwardLogits(model, tf.tensor2d(ids, [ids.length, ids[0]!.length], 'int32'), { lora }).arraySync());
}

export function maxDiff(a: number[][][], b: number[][][]): number {
  const x = a.flat(2);
  const y = b.flat(2);
  if (x.length !== y.length) return Infinity;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

const readJson = async <T>(f: string): Promise<T> => JSON.parse(await readFile(f, 'utf8')) as T;

export async function runKgtuneSide(root: string): Promise<KgtuneSideResult[]> {
  const ids = await readJson<number[][]>(path.join(root, 'ids.json'));
  const out: KgtuneSideResult[] = [];
  for (const kind of await readJson<string[]>(path.join(root, 'kinds.json'))) {
    const dir = path.join(root, kind);
    const model = await loadModel(path.join(dir, 'base'));
    try {
      const base = maxDiff(logits(model, ids), await readJson(path.join(dir, 'base_logits.json')));
      const peft = await loadAdapter(path.join(dir, 'peft_adapter'), model.config);
      const peftInKgtune = maxDiff(logits(model, ids, peft), await readJson(path.join(dir, 'peft_logits.json')));
      disposeAdapter(peft);
      const mine = createAdapter(model.config, LoraConfigSchema.parse({ rank: 4, alpha: 8, dropout: 0, rsLora: kind === 'qwen2' }), 3);
      for (const m of mine.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.2, 'float32', 17));
      await saveAdapter(mine, path.join(dir, 'kgtune_adapter'), { baseModel: 'tiny-random', name: `interop-${kind}` });
      await writeFile(path.join(dir, 'kgtune_adapter_logits.json'), JSON.stringify(logits(model, ids, mine)));
      disposeAdapter(mine);
      out.push({ kind, base, peftInKgtune });
    } finally {
      model.dispose();
    }
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = process.argv[2];
  if (!root) throw new Error('usage: kgtune-side.ts <interop dir>');
  const backend = await selectBackend();
  let ok = true;
  for (const r of await runKgtuneSide(root)) {
    for (const [label, d] of [['kgtune vs transformers', r.base], ['PEFT adapter in kgtune', r.peftInKgtune]] as const) {
      ok &&= d <= TOL;
      console.log(`${r.kind}: ${label} (${backend.name}), max |Δlogit| = ${d.toExponential(2)} ${d <= TOL ? 'PASS' : 'FAIL'}`);
    }
  }
  if (!ok) process.exit(1);
}
