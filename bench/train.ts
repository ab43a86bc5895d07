/**
 * Training throughput: LoRA and full-parameter steps of the tiny config, per tfjs backend, next to
 * PyTorch (+PEFT) on CPU when the interop venv exists (scripts/interop/run.sh creates it).
 * Short by design: 1 warm-up + 3 timed steps per row. `npm run bench:train [-- --cpu]`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { type BackendName, selectBackend } from '../training/backend.js';
import { adapterVariables, createAdapter, disposeAdapter } from '../training/lora/adapter.js';
import { LoraConfigSchema } from '../training/lora/config.js';
import { resolveConfig, tinyHfConfig } from '../training/model/config.js';
import { LlamaModel } from '../training/model/llama.js';
import { batchLoss } from '../training/model/loss.js';
import { initParams } from '../training/model/weights.js';
import { runTraining } from '../training/trainer.js';
import { TrainerConfigSchema } from '../training/trainer/config.js';
import type { BatchSource } from '../training/trainer/data.js';

const B = 8;
const T = 128;
const VOCAB = 3000;
const STEPS = 4; // the first is warm-up
const backends: BackendName[] = ['wasm', ...(process.argv.includes('--cpu') ? (['cpu'] as const) : [])];

function source(): BatchSource {
  const row = (k: number, b: number) => Array.from({ length: T + 1 }, (_, i) => ((k * 31 + b * 7 + i * 13) % (VOCAB - 10)) + 6);
  return {
    batchesPerEpoch: 1000,
    batch(k) {
      const rows = Array.from({ length: B }, (_, b) => row(k, b));
      return { inputs: rows.map((r) => r.slice(0, T)), targets: rows.map((r) => r.slice(1)), mask: rows.map(() => Array<number>(T).fill(1)), tokens: B * T };
    },
  };
}

function matmulPeak(): number {
  const n = 512;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  tf.matMul(a, b).dispose();
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) tf.matMul(a, b).dataSync();
  const s = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (5 * 2 * n ** 3) / s / 1e9;
}

interface Row { impl: string; mode: string; tokensPerSec: number; msPerStep: number; mfu?: number }
const rows: Row[] = [];

for (const name of backends) {
  await selectBackend(name);
  const peak = matmulPeak();
  for (const mode of ['lora', 'full'] as const) {
    const mc = resolveConfig(tinyHfConfig(VOCAB));
    const model = new LlamaModel(mc, initParams(mc, 1));
    const adapter = mode === 'lora' ? createAdapter(mc, LoraConfigSchema.parse({ r: 8, dropout: 0.05 }), 1) : undefined;
    const trainables = adapter ? new Map(adapterVariables(adapter).map((v, i) => [`p${i}`, v])) : model.params;
    const times: number[] = [];
    let t0 = performance.now();
    await runTraining(
      { trainables, source: source(), loss: (b, seed) => batchLoss(model, b, { lora: adapter, trainBase: !adapter, dropoutSeed: seed }), afterUpdate: () => model.invalidateCaches() },
      { config: TrainerConfigSchema.parse({ steps: STEPS, batchSize: B, seqLen: T }), onStep: () => { times.push(performance.now() - t0); t0 = performance.now(); } },
    );
    const ms = times.slice(1).reduce((a, b) => a + b, 0) / (times.length - 1);
    const tps = (B * T) / (ms / 1000);
    // training FLOPs ≈ 6·N·tokens for full training (N without the embedding lookup); LoRA ≈ 4·N (no weight gradients)
    const n = model.parameterCount();
    const flops = (mode === 'full' ? 6 : 4) * n * tps;
    rows.push({ impl: `tfjs-${name}`, mode, tokensPerSec: tps, msPerStep: ms, mfu: flops / (peak * 1e9) });
    if (adapter) disposeAdapter(adapter);
    model.dispose();
  }
  console.log(`${name}: matMul 512³ peak ${peak.toFixed(1)} GFLOP/s`);
}

const py = '.kgtune/venv/bin/python';
if (existsSync(py)) {
  try {
    const out = execFileSync(py, ['scripts/interop/bench_torch.py', String(B), String(T), String(VOCAB), String(STEPS)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    for (const r of JSON.parse(out.trim().split('\n').at(-1)!) as Row[]) rows.push(r);
  } catch (err) {
    console.log(`pytorch peer failed: ${(err as Error).message.split('\n')[0]}`);
  }
} else console.log('pytorch peer skipped: run scripts/interop/run.sh once to create .kgtune/venv');

console.log(`\ntiny config (d=128, 4 layers, vocab ${VOCAB}), batch ${B} × ${T} tokens, ${STEPS - 1} timed steps`);
console.log('| impl | mode | tokens/s | ms/step | MFU | vs torch |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) {
  const torch = rows.find((x) => x.impl === 'torch-cpu' && x.mode === r.mode);
  const ratio = torch ? (r.tokensPerSec / torch.tokensPerSec).toFixed(2) + '×' : '–';
  console.log(`| ${r.impl} | ${r.mode} | ${r.tokensPerSec.toFixed(0)} | ${r.msPerStep.toFixed(0)} | ${r.mfu !== undefined ? (r.mfu * 100).toFixed(1) + '%' : '–'} | ${ratio} |`);
}
