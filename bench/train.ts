/**
 * Training throughput: LoRA and full-parameter steps at the tiny config and at a ~25 M-parameter config,
 * per tfjs backend (wasm; `tensorflow` when `kgtune setup native` has built it; cpu with --cpu), next to
 * PyTorch (+PEFT) on CPU when the interop venv exists (scripts/interop/run.sh creates it) — same model,
 * batch and sequence length, in the same run. Short by design: 1 warm-up step, then 3 timed steps (tiny)
 * or 2 (25 M). MFU is against the machine's matMul peak: the best 512³ matMul any implementation measured
 * in this run at the same thread count.
 *
 * `npm run bench:train [-- --cpu] [--gpu] [--threads N] [--tiny-only]`; --gpu uses the `kgtune setup gpu` build
 * (backend tensorflow-gpu, on the GPU when TensorFlow finds one) in place of the native one. --threads (default 1) applies to torch and
 * the native backend, so every row uses the same cores (wasm is single-threaded in Node).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { type BackendName, selectBackend } from '../training/backend.js';
import { adapterVariables, countParams, createAdapter, disposeAdapter } from '../training/lora/adapter.js';
import { LoraConfigSchema } from '../training/lora/config.js';
import { type HfLlamaConfig, resolveConfig, tinyHfConfig } from '../training/model/config.js';
import { LlamaModel } from '../training/model/llama.js';
import { batchLoss } from '../training/model/loss.js';
import { initParams } from '../training/model/weights.js';
import { nativeAvailable, withCudaLibraryPath } from '../training/native.js';
import { runTraining } from '../training/trainer.js';
import { TrainerConfigSchema } from '../training/trainer/config.js';
import type { BatchSource } from '../training/trainer/data.js';

// Not strict: `npm run bench` passes its arguments to every bench.
const { values: args } = parseArgs({ options: { cpu: { type: 'boolean' }, gpu: { type: 'boolean' }, threads: { type: 'string', default: '1' }, 'tiny-only': { type: 'boolean' } }, strict: false, allowPositionals: true });
// --gpu: the `kgtune setup gpu` build instead of the native one (one TensorFlow per process). The loader reads
// LD_LIBRARY_PATH only at start, so the bench runs itself again with the CUDA folders on it.
if (args.gpu && process.env.KGTUNE_BENCH_CUDA !== '1') {
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, KGTUNE_BENCH_CUDA: '1', LD_LIBRARY_PATH: withCudaLibraryPath(process.env.LD_LIBRARY_PATH) } });
  process.exit(again.status ?? 1);
}
const THREADS = Math.max(1, Number(args.threads) || 1);
// Read by TensorFlow when the native backend creates its context (below, on first use).
process.env.TF_NUM_INTRAOP_THREADS ??= String(THREADS);
process.env.TF_NUM_INTEROP_THREADS ??= '1';

const T = 128;
const VOCAB = 3000;

interface BenchConfig { key: string; label: string; hf: HfLlamaConfig; batch: number; steps: number }
const CONFIGS: BenchConfig[] = [
  { key: 'tiny', label: 'tiny (d=128, 4 layers)', hf: tinyHfConfig(VOCAB), batch: 8, steps: 4 },
  // ~25 M parameters: d=512, 8 layers, 8 query / 4 kv heads of 64, SwiGLU 1376 (≈ 8/3·d), tied embeddings.
  // Batch 4: at batch 8 a step holds ~4.3 GB of live tensors (the tape keeps every intermediate), more than
  // the wasm backend's 4 GB heap ("memory access out of bounds"); batch 4 peaks at ~2.2 GB.
  { key: '25m', label: '25M (d=512, 8 layers)', hf: tinyHfConfig(VOCAB, { hidden_size: 512, intermediate_size: 1376, num_hidden_layers: 8, num_attention_heads: 8, num_key_value_heads: 4 }), batch: 4, steps: 3 },
].filter((c) => !args['tiny-only'] || c.key === 'tiny');
const nativeBackend: BackendName = args.gpu ? 'tensorflow-gpu' : 'tensorflow';
const backends: BackendName[] = ['wasm', ...(nativeAvailable(undefined, args.gpu ? 'gpu' : 'cpu') ? [nativeBackend] : []), ...(args.cpu ? (['cpu'] as const) : [])];

function source(B: number): BatchSource {
  const row = (k: number, b: number) => Array.from({ length: T + 1 }, (_, i) => ((k * 31 + b * 7 + i * 13) % (VOCAB - 10)) + 6);
  return {
    batchesPerEpoch: 1000,
    batch(k) {
      const rows = Array.from({ length: B }, (_, b) => row(k, b));
      return { inputs: rows.map((r) => r.slice(0, T)), targets: rows.map((r) => r.slice(1)), mask: rows.map(() => Array<number>(T).fill(1)), tokens: B * T };
    },
  };
}

/** Best of 5 trials of 4 matMuls 512³ (the best trial is the least disturbed by other processes). */
function matmulPeak(): number {
  const n = 512;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  tf.matMul(a, b).dataSync();
  let best = 0;
  for (let trial = 0; trial < 5; trial++) {
    const t0 = performance.now();
    for (let i = 0; i < 4; i++) tf.matMul(a, b).dataSync();
    best = Math.max(best, (4 * 2 * n ** 3) / ((performance.now() - t0) / 1000) / 1e9);
  }
  tf.dispose([a, b]);
  return best;
}

interface Row { config: string; impl: string; mode: 'lora' | 'full'; tokensPerSec: number; msPerStep: number; params?: number; trainable?: number }
const rows: Row[] = [];
const peaks = new Map<string, number>();
const paramCount = new Map<string, number>();

for (const name of backends) {
  const info = await selectBackend(name);
  const gpu = name === 'tensorflow-gpu' ? ((tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice ? 'GPU' : 'CPU fallback') : '';
  const impl = `tfjs-${name}${name === nativeBackend ? ` (TF ${info.tensorflow ?? '?'}, ${gpu || `${THREADS}t`})` : ''}`;
  peaks.set(impl, matmulPeak());
  for (const c of CONFIGS) {
    for (const mode of ['lora', 'full'] as const) {
      const mc = resolveConfig(c.hf);
      const model = new LlamaModel(mc, initParams(mc, 1));
      const adapter = mode === 'lora' ? createAdapter(mc, LoraConfigSchema.parse({ r: 8, dropout: 0.05 }), 1) : undefined;
      const trainables = adapter ? new Map(adapterVariables(adapter).map((v, i) => [`p${i}`, v])) : model.params;
      const times: number[] = [];
      let t0 = performance.now();
      await runTraining(
        { trainables, source: source(c.batch), loss: (b, seed) => batchLoss(model, b, { lora: adapter, trainBase: !adapter, dropoutSeed: seed }), afterUpdate: () => model.invalidateCaches() },
        { config: TrainerConfigSchema.parse({ steps: c.steps, batchSize: c.batch, seqLen: T }), onStep: () => { times.push(performance.now() - t0); t0 = performance.now(); } },
      );
      const ms = times.slice(1).reduce((a, b) => a + b, 0) / (times.length - 1);
      paramCount.set(c.key, model.parameterCount());
      rows.push({ config: c.key, impl, mode, tokensPerSec: (c.batch * T) / (ms / 1000), msPerStep: ms, params: model.parameterCount(), trainable: countParams(trainables.values()) });
      console.log(`${c.key} ${impl} ${mode}: ${ms.toFixed(0)} ms/step`);
      if (adapter) disposeAdapter(adapter);
      model.dispose();
    }
  }
}

const py = '.kgtune/venv/bin/python';
if (existsSync(py)) {
  try {
    const spec = { T, threads: THREADS, configs: CONFIGS.map((c) => ({ key: c.key, B: c.batch, steps: c.steps, hf: c.hf })) };
    const out = execFileSync(py, ['scripts/interop/bench_torch.py', JSON.stringify(spec)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(THREADS), MKL_NUM_THREADS: String(THREADS) } });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { peakGflops: number; rows: Row[] };
    peaks.set('torch-cpu', r.peakGflops);
    rows.push(...r.rows);
  } catch (err) {
    console.log(`pytorch peer failed: ${(err as Error).message.split('\n')[0]}`);
  }
} else console.log('pytorch peer skipped: run scripts/interop/run.sh once to create .kgtune/venv');

const machinePeak = Math.max(...peaks.values());
console.log(`\nmatMul 512³ peak, GFLOP/s: ${[...peaks].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} → machine peak ${machinePeak.toFixed(1)} (${THREADS} thread${THREADS > 1 ? 's' : ''})`);
console.log('MFU: training FLOPs ≈ 6·N per token for full training, 4·N for LoRA (no weight gradients) over that peak; "own" is over the implementation\'s own matMul peak.');
for (const c of CONFIGS) {
  const n = paramCount.get(c.key) ?? 0;
  console.log(`\n${c.label}, ${(n / 1e6).toFixed(1)} M parameters, vocab ${VOCAB}, batch ${c.batch} × ${T} tokens, ${c.steps - 1} timed steps`);
  console.log('| impl | mode | trainable | tokens/s | ms/step | MFU | MFU own | vs torch |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows.filter((x) => x.config === c.key)) {
    const torch = rows.find((x) => x.config === c.key && x.impl === 'torch-cpu' && x.mode === r.mode);
    const ratio = torch && r !== torch ? (r.tokensPerSec / torch.tokensPerSec).toFixed(2) + '×' : '–';
    const flops = (r.mode === 'full' ? 6 : 4) * n * r.tokensPerSec;
    const own = peaks.get(r.impl);
    const pct = (peak: number | undefined) => (peak ? ((flops / (peak * 1e9)) * 100).toFixed(1) + '%' : '–');
    const trainable = r.trainable !== undefined ? `${(r.trainable / 1e6).toFixed(2)} M` : '–';
    console.log(`| ${r.impl} | ${r.mode} | ${trainable} | ${r.tokensPerSec.toFixed(0)} | ${r.msPerStep.toFixed(0)} | ${pct(machinePeak)} | ${pct(own)} | ${ratio} |`);
  }
}
