/**
 * Gradient checkpointing (training.gradientCheckpointing) side by side with the plain step, at SmolLM2-135M-Instruct's
 * shape (30 layers, d=576, ff 1536, 9/3 heads, vocab 49,152, tied; random weights — memory and speed do not depend on
 * the values), LoRA r=8 on all 7 projections with dropout 0.05: per batch size, the peak bytes tfjs holds during one
 * gradient step (tf.profile's peakBytes, minus what was held before), the step time of full training steps (AdamW
 * and all, after that profiled warm-up step; the fastest, least disturbed by other processes), the process's peak RSS, and the ratio with / without. The estimate
 * (training/gpu-memory.ts, the step's part: activations + loss + backward weight copies) is printed next to the
 * measured peak. Each run is a child process of its own, so its peak RSS is its own; a run that does not fit (the
 * wasm backend has a 4 GB heap) is reported as such.
 *
 * `nice -n 10 npx tsx bench/checkpointing.ts [--backend wasm|cpu|tensorflow] [--batches 1,4] [--steps 3] [--seq 128]`
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {
  adapterVariables, batchLoss, createAdapter, initParams, LlamaModel, LoraConfigSchema, resolveConfig, runTraining, selectBackend,
  stepActivationBytes, tinyHfConfig, TrainerConfigSchema, type BackendName, type BatchSource,
} from '../training/index.js';
import { syntheticBatches } from './synthetic-batches.js';

const { values: args } = parseArgs({
  options: { backend: { type: 'string', default: 'wasm' }, batches: { type: 'string', default: '1,4' }, steps: { type: 'string', default: '3' }, seq: { type: 'string', default: '128' }, child: { type: 'string' } },
  strict: false, allowPositionals: true,
});
const backend = String(args.backend) as BackendName;
const T = Number(args.seq);
const STEPS = Math.max(1, Number(args.steps));
const HF = tinyHfConfig(49_152, { hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, head_dim: 64, rope_theta: 100_000, rms_norm_eps: 1e-5, max_position_embeddings: 8192, tie_word_embeddings: true });
const GiB = 2 ** 30;

interface Row { batch: number; checkpointing: boolean; peakGiB: number; estimateGiB: number; msPerStep: number; tokensPerSec: number; peakRssGiB: number }

function source(B: number, vocab: number): BatchSource {
  return syntheticBatches(B, T, vocab);
}

/** One run in this (child) process: a profiled warm-up gradient step, then STEPS timed training steps; one JSON line. */
async function child(batch: number, gradientCheckpointing: boolean): Promise<void> {
  await selectBackend(backend);
  const mc = resolveConfig(HF);
  const model = new LlamaModel(mc, initParams(mc, 1));
  const adapter = createAdapter(mc, LoraConfigSchema.parse({ rank: 8, alpha: 16, dropout: 0.05 }), 1);
  const src = source(batch, mc.vocabSize);
  const before = tf.memory().numBytes;
  const prof = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => batchLoss(model, src.batch(999), { lora: adapter, dropoutSeed: 1, gradientCheckpointing }), adapterVariables(adapter));
    tf.dispose([value, ...Object.values(grads)]);
  });
  const step = stepActivationBytes(mc, { batchSize: batch, seqLen: T, gradientCheckpointing });
  const trainables = new Map(adapterVariables(adapter).map((v, i) => [`p${i}`, v]));
  const config = TrainerConfigSchema.parse({ steps: STEPS, batchSize: batch, seqLen: T, gradientCheckpointing });
  const times: number[] = [];
  let t0 = performance.now();
  const onStep = (): void => {
    times.push(performance.now() - t0);
    t0 = performance.now();
  };
  await runTraining({ trainables, source: src, loss: (b, seed) => batchLoss(model, b, { lora: adapter, dropoutSeed: seed, gradientCheckpointing: config.gradientCheckpointing }) }, { config, onStep });
  // the fastest step: the one least slowed down by other processes on a shared machine
  const ms = Math.min(...times);
  const row: Row = {
    batch, checkpointing: gradientCheckpointing, peakGiB: (prof.peakBytes - before) / GiB, estimateGiB: (step.activations + step.logits + step.backwardCopies) / GiB,
    msPerStep: ms, tokensPerSec: (batch * T) / (ms / 1000), peakRssGiB: (process.resourceUsage().maxRSS * 1024) / GiB,
  };
  console.log(JSON.stringify(row));
}

if (typeof args.child === 'string') {
  const [b, ck] = args.child.split(':');
  await child(Number(b), ck === 'on');
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const rows: Row[] = [];
const failed = new Map<string, string>();
const batches = String(args.batches).split(',').map(Number).filter((n) => n > 0);
for (const batch of batches) {
  for (const ck of [false, true]) {
    const key = `${batch}:${ck ? 'on' : 'off'}`;
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', key, '--backend', backend, '--steps', String(STEPS), '--seq', String(T)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      const text = `${r.stderr ?? ''}${r.stdout ?? ''}`;
      const last = (text.split('\n').filter((l) => /Error|Aborted/.test(l)).at(-1) ?? `exit ${r.status}`).trim().slice(0, 200);
      // wasm: XNNPACK reports xnn_status_out_of_memory (6) and the module aborts when its 4 GB heap is full
      const oom = /memory access out of bounds|Cannot enlarge memory|XNN status .* Got status 6|out of memory/i.test(text);
      const why = oom ? `out of memory (the wasm heap is 4 GB): ${last}` : last;
      failed.set(key, why);
      console.log(`batch ${batch} × ${T}, checkpointing ${ck ? 'on' : 'off'}: failed — ${why}`);
      continue;
    }
    const row = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Row;
    rows.push(row);
    console.log(`batch ${batch} × ${T}, checkpointing ${ck ? 'on' : 'off'}: peak ${row.peakGiB.toFixed(2)} GiB, ${row.msPerStep.toFixed(0)} ms/step`);
  }
}

console.log(`\nSmolLM2-135M shape, LoRA r=8 on 7 projections (dropout 0.05), tfjs-${backend}, ${T} tokens per row, peak = tf.profile peak bytes of one gradient step, time = fastest of ${STEPS} full training steps`);
console.log('| batch × seq | checkpointing | tfjs peak GiB | estimate GiB | ms/step | tokens/s | peak RSS GiB |');
console.log('|---|---|--:|--:|--:|--:|--:|');
for (const batch of batches) {
  for (const ck of [false, true]) {
    const r = rows.find((x) => x.batch === batch && x.checkpointing === ck);
    const why = failed.get(`${batch}:${ck ? 'on' : 'off'}`);
    if (!r) console.log(`| ${batch} × ${T} | ${ck ? 'on' : 'off'} | ${why ?? 'not run'} | | | | |`);
    else console.log(`| ${batch} × ${T} | ${ck ? 'on' : 'off'} | ${r.peakGiB.toFixed(2)} | ${r.estimateGiB.toFixed(2)} | ${r.msPerStep.toFixed(0)} | ${r.tokensPerSec.toFixed(1)} | ${r.peakRssGiB.toFixed(2)} |`);
  }
  const off = rows.find((x) => x.batch === batch && !x.checkpointing);
  const on = rows.find((x) => x.batch === batch && x.checkpointing);
  if (off && on) console.log(`| ${batch} × ${T} | on / off | **${(on.peakGiB / off.peakGiB).toFixed(2)}×** | | **${(on.msPerStep / off.msPerStep).toFixed(2)}×** | | ${(on.peakRssGiB / off.peakRssGiB).toFixed(2)}× |`);
}
