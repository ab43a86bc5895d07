/**
 * Serving-export parity on a real base: base + LoRA adapter exported as a merged GGUF (F32 and F16,
 * tokenizer metadata from tokenizer.json and, when the base was pulled from a GGUF, copied from it),
 * run by llama.cpp (node-llama-cpp), against kgtune's own greedy generation, token by token.
 * Not part of `npm run bench` (minutes on a 2-core machine).
 *
 * `npx tsx bench/export-gguf.ts [--base smollm2-135m-instruct|DIR] [--adapter PEFT_DIR] [--max-new 32]`
 * Without --adapter a random LoRA adapter (r 8, alpha 16, all linear layers, B ~ N(0, 0.02²), seed 1)
 * stands in for a trained one: it moves every merged weight, which is what the export must carry.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { loadEnv } from '../configs/env.js';
import { selectBackend, generateIds, createAdapter, disposeAdapter, LoraConfigSchema, loadAdapter, saveAdapter, loadModel, Tokenizer, renderChat } from '../training/index.js';
import { getId, PULLABLE, pullCacheDir, resolveBase } from '../training/bases/index.js';
import { exportLoraGguf, exportMergedGguf, llamaCppGreedy } from '../training/export/index.js';

const { values: args } = parseArgs({ options: { base: { type: 'string', default: 'smollm2-135m-instruct' }, adapter: { type: 'string' }, 'max-new': { type: 'string', default: '32' } }, strict: false });
const QUESTIONS = [
  'What is the capital of France?',
  'Write a short poem about the sea.',
  'Explain what a knowledge graph is in one sentence.',
  'List three uses of a drill.',
  '深圳在哪里？',
];
const maxNew = Number(args['max-new']);
const env = loadEnv();
const backend = await selectBackend();
const base = await resolveBase({ home: env.home }, String(args.base), { cacheDir: path.join(env.home, 'cache') });
const work = await mkdtemp(path.join(os.tmpdir(), 'kgtune-export-bench-'));
try {
  const model = await loadModel(base.dir);
  const tok = await Tokenizer.load(path.join(base.dir, 'tokenizer.json'));
  let adapterDir = args.adapter as string | undefined;
  if (!adapterDir) {
    adapterDir = path.join(work, 'adapter');
    const a = createAdapter(model.config, LoraConfigSchema.parse({ rank: 8, alpha: 16, dropout: 0 }), 1);
    let k = 0;
    for (const m of a.modules.values()) m.B.assign(tf.randomNormal(m.B.shape, 0, 0.02, 'float32', 1000 + k++));
    await saveAdapter(a, adapterDir, { baseModel: base.id, name: 'random-bench' });
    disposeAdapter(a);
  }
  const adapter = await loadAdapter(adapterDir, model.config);
  const prompts = QUESTIONS.map((q) => renderChat(tok, [{ role: 'user', content: q }], true));
  let t0 = Date.now();
  const ours = prompts.map((p) => generateIds({ model, tokenizer: tok, adapter }, [p], { maxNewTokens: maxNew, greedy: true }));
  const kgtuneSec = (Date.now() - t0) / 1000;
  disposeAdapter(adapter);
  model.dispose();
  const entry = await getId(env.home, base.id);
  const src = entry && PULLABLE[base.id] ? path.join(pullCacheDir(env.home), 'gguf', path.basename(PULLABLE[base.id]!.member)) : undefined;
  const sourceGguf = src && (await stat(src).then(() => true, () => false)) ? src : undefined;
  console.log(`base ${base.id} (${base.sha256.slice(0, 12)}), backend ${backend.name}, ${prompts.length} chat prompts × ≤${maxNew} greedy tokens; kgtune generation ${kgtuneSec.toFixed(1)} s`);
  console.log('| GGUF | tokenizer metadata | size MB | export s | prompts tokenized identically | generated tokens equal (before first difference) / compared | outputs identical |');
  console.log('|---|---|---|---|---|---|---|');
  const variants: { dtype: 'f32' | 'f16'; from: string; sourceGguf?: string; lora?: boolean }[] = [
    { dtype: 'f32', from: 'tokenizer.json' },
    { dtype: 'f16', from: 'tokenizer.json' },
    ...(sourceGguf ? [{ dtype: 'f32' as const, from: 'source GGUF', sourceGguf }] : []),
    { dtype: 'f32', from: 'tokenizer.json', lora: true },
  ];
  for (const v of variants) {
    const file = path.join(work, `merged-${v.dtype}.gguf`);
    const loraFile = v.lora ? path.join(work, 'adapter.gguf') : undefined;
    t0 = Date.now();
    await exportMergedGguf({ baseDir: base.dir, adapterDir: v.lora ? undefined : adapterDir, outFile: file, dtype: v.dtype, sourceGguf: v.sourceGguf });
    if (loraFile) await exportLoraGguf({ adapterDir, config: (await loadModel(base.dir).then((m) => { const c = m.config; m.dispose(); return c; })), outFile: loraFile, name: 'bench adapter' });
    const exportSec = (Date.now() - t0) / 1000;
    const theirs = await llamaCppGreedy(file, prompts.map((text, i) => ({ text, ids: ours[i]!.prompts[0]! })), { maxNewTokens: maxNew, vocabSize: tok.size, lora: loraFile });
    let agreed = 0;
    let compared = 0;
    let identical = 0;
    let tokenized = 0;
    prompts.forEach((p, i) => {
      const cut = ours[i]!.generated[0]!.findIndex((t) => theirs.eog.has(t));
      const a = cut < 0 ? ours[i]!.generated[0]! : ours[i]!.generated[0]!.slice(0, cut);
      const b = theirs.generated[i]!;
      let d = 0;
      while (d < Math.min(a.length, b.length) && a[d] === b[d]) d++;
      agreed += d;
      compared += Math.min(a.length, b.length);
      if (a.join() === b.join()) identical++;
      if (tok.encode(p).join() === theirs.tokenized[i]!.join()) tokenized++;
      if (a.join() !== b.join()) console.error(`  differs (${v.dtype}, ${v.from}) on "${QUESTIONS[i]}" at token ${d}: kgtune ${JSON.stringify(tok.decode(a))} | llama.cpp ${JSON.stringify(tok.decode(b))}`);
    });
    const size = ((await stat(file)).size + (loraFile ? (await stat(loraFile)).size : 0)) / 1e6;
    console.log(`| ${v.lora ? `base ${v.dtype} + LoRA adapter GGUF` : `merged ${v.dtype}`} | ${v.from} | ${size.toFixed(0)} | ${exportSec.toFixed(1)} | ${tokenized}/${prompts.length} | ${agreed}/${compared} | ${identical}/${prompts.length} |`);
    await rm(file, { force: true });
  }
  console.log('answers (kgtune):');
  ours.forEach((o, i) => console.log(`  ${QUESTIONS[i]} → ${JSON.stringify(tok.decode(o.generated[0]!))}`));
} finally {
  await rm(work, { recursive: true, force: true });
}
