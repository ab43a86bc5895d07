/**
 * Training throughput: LoRA and full-parameter steps at the tiny config and at a ~25 M-parameter config,
 * per tfjs backend (wasm; `tensorflow` when `kgtune setup native` has built it; cpu with --cpu), next to
 * PyTorch (+PEFT) on CPU when the interop venv exists (scripts/interop/run.sh creates it) — same model,
 * batch and sequence length, in the same run. Short by design: 1 warm-up step, then 3 timed steps (tiny)
 * or 2 (25 M). MFU is against the machine's matMul peak: the best 512³ matMul any implementation measured
 * in this run at the same thread count.
 *
 * Then real sizes, LoRA only, each implementation in its own process so its peak RSS is its own:
 * SmolLM2-135M-Instruct's shape (30 layers, d=576, vocab 49,152, tied embeddings; random weights — speed
 * and memory do not depend on the values) for kgtune native and wasm and PyTorch + PEFT, and with
 * --qwen05 a Qwen2.5-0.5B-shaped model (24 layers, d=896, vocab 151,936, qkv bias) on native only.
 * The PyTorch peer is installed by the bench itself: the interop venv (scripts/interop/venv.ts).
 *
 * `npm run bench:train [-- --cpu] [--gpu] [--threads N] [--tiny-only | --real-only] [--qwen05]`; --gpu uses the
 * `kgtune setup gpu` build (backend tensorflow-gpu, on the GPU when TensorFlow finds one) in place of the native
 * one. --threads (default 1) applies to torch and the native backend, so every row uses the same cores (wasm is
 * single-threaded in Node).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { benchEnv, envValue, processEnv, setEnvDefault } from '../configs/env.js';
import {
  adapterVariables, batchLoss, checkpointingByDefault, countParams, createAdapter, disposeAdapter, initParams, LlamaModel, LoraConfigSchema, nativeAvailable, resolveConfig,
  runTraining, selectBackend, tinyHfConfig, TrainerConfigSchema, withCudaLibraryPath, type BackendName, type BatchSource, type HfLlamaConfig,
} from '../training/index.js';
import { ensureInteropVenv } from '../scripts/interop/venv.js';
import { syntheticBatches } from './synthetic-batches.js';

// Not strict: `npm run bench` passes its arguments to every bench.
const { values: args } = parseArgs({
  options: {
    cpu: { type: 'boolean' }, gpu: { type: 'boolean' }, threads: { type: 'string', default: '1' }, 'tiny-only': { type: 'boolean' }, 'real-only': { type: 'boolean' },
    qwen05: { type: 'boolean' }, child: { type: 'string' }, backend: { type: 'string' },
  },
  strict: false, allowPositionals: true,
});
// --gpu: the `kgtune setup gpu` build instead of the native one (one TensorFlow per process). The loader reads
// LD_LIBRARY_PATH only at start, so the bench runs itself again with the CUDA folders on it.
if (args.gpu && benchEnv().KGTUNE_BENCH_CUDA !== '1') {
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...processEnv(), KGTUNE_BENCH_CUDA: '1', LD_LIBRARY_PATH: withCudaLibraryPath(processEnv().LD_LIBRARY_PATH) } });
  process.exit(again.status ?? 1);
}
const THREADS = Math.max(1, Number(args.threads) || 1);
// Read by TensorFlow when the native backend creates its context (below, on first use).
setEnvDefault('TF_NUM_INTRAOP_THREADS', String(THREADS));
setEnvDefault('TF_NUM_INTEROP_THREADS', '1');

const T = 128;
const VOCAB = 3000;

interface BenchConfig { key: string; label: string; hf: HfLlamaConfig; batch: number; steps: number }
const CONFIGS: BenchConfig[] = [
  { key: 'tiny', label: 'tiny (d=128, 4 layers)', hf: tinyHfConfig(VOCAB), batch: 8, steps: 4 },
  // ~25 M parameters: d=512, 8 layers, 8 query / 4 kv heads of 64, SwiGLU 1376 (≈ 8/3·d), tied embeddings.
  // Batch 4: at batch 8 a step holds ~4.3 GB of live tensors (the tape keeps every intermediate), more than
  // the wasm backend's 4 GB heap ("memory access out of bounds"); batch 4 peaks at ~2.2 GB.
  { key: '25m', label: '25M (d=512, 8 layers)', hf: tinyHfConfig(VOCAB, { hidden_size: 512, intermediate_size: 1376, num_hidden_layers: 8, num_attention_heads: 8, num_key_value_heads: 4 }), batch: 4, steps: 3 },
].filter((c) => (!args['tiny-only'] || c.key === 'tiny') && !args['real-only']);
const nativeBackend: BackendName = args.gpu ? 'tensorflow-gpu' : 'tensorflow';

/** Real shapes (random weights), LoRA r=8 on every projection, 1 warm-up + 2 timed steps; SmolLM2 at batch 1 × 128 tokens so that wasm (4 GB heap) fits: at 4 × 128 tfjs holds ~9.8 GB of tensors at the peak. */
const REAL: Record<string, { label: string; hf: HfLlamaConfig; batch: number; steps: number }> = {
  smollm2: {
    label: 'SmolLM2-135M-Instruct shape (30 layers, d=576, 9/3 heads, vocab 49,152, tied)',
    hf: tinyHfConfig(49_152, { hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, head_dim: 64, rope_theta: 100_000, rms_norm_eps: 1e-5, max_position_embeddings: 8192, tie_word_embeddings: true }),
    batch: 1, steps: 3,
  },
  qwen05: {
    label: 'Qwen2.5-0.5B shape (24 layers, d=896, 14/2 heads, vocab 151,936, qkv bias, tied)',
    hf: tinyHfConfig(151_936, { model_type: 'qwen2', architectures: ['Qwen2ForCausalLM'], hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, rope_theta: 1_000_000, rms_norm_eps: 1e-6, max_position_embeddings: 32_768, tie_word_embeddings: true }),
    batch: 1, steps: 3,
  },
};

/** cpuMsPerStep: the process's CPU time per timed step (user + system, all its threads): unlike wall time, little moved by other jobs on the machine. */
interface RealRow { config: string; impl: string; tokensPerSec: number; msPerStep: number; cpuMsPerStep?: number; peakRssMb: number; params: number; trainable: number }

/** One real-size LoRA run in this (child) process: prints one JSON line with tokens/s and this process's peak RSS. */
async function realChild(key: string, backend: BackendName): Promise<void> {
  const c = REAL[key]!;
  const info = await selectBackend(backend);
  const mc = resolveConfig(c.hf);
  const model = new LlamaModel(mc, initParams(mc, 1));
  const checkpointing = checkpointingByDefault(model.parameterCount(), backend);
  const impl = `kgtune tfjs-${backend}${backend.startsWith('tensorflow') ? ` (TF ${info.tensorflow ?? '?'}, ${THREADS}t)` : ''}${checkpointing ? ', checkpointed' : ''}`;
  const adapter = createAdapter(mc, LoraConfigSchema.parse({ rank: 8, alpha: 16, dropout: 0.05 }), 1);
  const trainables = new Map(adapterVariables(adapter).map((v, i) => [`p${i}`, v]));
  const times: number[] = [];
  const cpus: number[] = [];
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  await runTraining(
    // the pipeline's default: checkpointed layers where memory is the limit (wasm's 4 GB heap), not on native CPU
    { trainables, source: source(c.batch, c.hf.vocab_size), loss: (b, seed) => batchLoss(model, b, { lora: adapter, dropoutSeed: seed, gradientCheckpointing: checkpointing }) },
    {
      config: TrainerConfigSchema.parse({ steps: c.steps, batchSize: c.batch, seqLen: T, learningRate: 2e-4, warmupSteps: 10, seed: 0 }),
      onStep: () => {
        const cpu = process.cpuUsage(c0);
        times.push(performance.now() - t0);
        cpus.push((cpu.user + cpu.system) / 1000);
        t0 = performance.now();
        c0 = process.cpuUsage();
      },
    },
  );
  const ms = times.slice(1).reduce((a, b) => a + b, 0) / (times.length - 1);
  const cpuMs = cpus.slice(1).reduce((a, b) => a + b, 0) / (cpus.length - 1);
  const row: RealRow = { config: key, impl, tokensPerSec: (c.batch * T) / (ms / 1000), msPerStep: ms, cpuMsPerStep: cpuMs, peakRssMb: process.resourceUsage().maxRSS / 1024, params: model.parameterCount(), trainable: countParams(trainables.values()) };
  console.log(JSON.stringify(row));
}

if (typeof args.child === 'string') {
  await realChild(args.child, (args.backend as BackendName | undefined) ?? 'wasm');
  process.exit(0);
}

const nativeOk = nativeAvailable(undefined, args.gpu ? 'gpu' : 'cpu');
const backends: BackendName[] = args['real-only'] ? [] : ['wasm', ...(nativeOk ? [nativeBackend] : []), ...(args.cpu ? (['cpu'] as const) : [])];

function source(B: number, vocab = VOCAB): BatchSource {
  return syntheticBatches(B, T, vocab);
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
      const adapter = mode === 'lora' ? createAdapter(mc, LoraConfigSchema.parse({ rank: 8, alpha: 16, dropout: 0.05 }), 1) : undefined;
      const trainables = adapter ? new Map(adapterVariables(adapter).map((v, i) => [`p${i}`, v])) : model.params;
      const times: number[] = [];
      let t0 = performance.now();
      await runTraining(
        { trainables, source: source(c.batch), loss: (b, seed) => batchLoss(model, b, { lora: adapter, trainBase: !adapter, dropoutSeed: seed }), afterUpdate: () => model.invalidateCaches() },
        { config: TrainerConfigSchema.parse({ steps: c.steps, batchSize: c.batch, seqLen: T, learningRate: 2e-4, warmupSteps: 10, seed: 0 }), onStep: () => { times.push(performance.now() - t0); t0 = performance.now(); } },
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

const home = path.resolve(envValue('KGTUNE_HOME'));
let py: string | undefined;
try {
  py = ensureInteropVenv(home, (l) => console.log(l));
} catch (err) {
  console.log(`pytorch peer unavailable: ${(err as Error).message}`);
}
if (py && CONFIGS.length > 0) {
  try {
    const spec = { T, threads: THREADS, configs: CONFIGS.map((c) => ({ key: c.key, B: c.batch, steps: c.steps, hf: c.hf })) };
    const out = execFileSync(py, ['scripts/interop/bench_torch.py', JSON.stringify(spec)], { encoding: 'utf8', env: { ...processEnv(), OMP_NUM_THREADS: String(THREADS), MKL_NUM_THREADS: String(THREADS) } });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { peakGflops: number; rows: Row[] };
    peaks.set('torch-cpu', r.peakGflops);
    rows.push(...r.rows);
  } catch (err) {
    console.log(`pytorch peer failed: ${(err as Error).message.split('\n')[0]}`);
  }
}

const machinePeak = Math.max(0, ...peaks.values());
if (CONFIGS.length > 0) {
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
}

// Real sizes: each implementation in a child process of its own (peak RSS is per process).
if (!args['tiny-only']) {
  const real: RealRow[] = [];
  const self = fileURLToPath(import.meta.url);
  const threadEnv = { ...processEnv(), TF_NUM_INTRAOP_THREADS: String(THREADS), TF_NUM_INTEROP_THREADS: '1', OMP_NUM_THREADS: String(THREADS), MKL_NUM_THREADS: String(THREADS) };
  const lastJson = (out: string): RealRow => JSON.parse(out.trim().split('\n').at(-1)!) as RealRow;
  const runs: Array<[string, string, string[]]> = [];
  for (const b of [nativeBackend, 'wasm'] as const) {
    if (b !== 'wasm' && !nativeOk) continue;
    runs.push(['smollm2', `kgtune tfjs-${b}`, [process.execPath, ...process.execArgv, self, '--child', 'smollm2', '--backend', b, '--threads', String(THREADS)]]);
  }
  if (py) runs.push(['smollm2', 'torch-cpu + peft', [py, path.join(path.dirname(self), '..', 'scripts', 'interop', 'bench_torch.py'), JSON.stringify({ T, threads: THREADS, modes: ['lora'], rss: true, configs: [{ key: 'smollm2', B: REAL.smollm2!.batch, steps: REAL.smollm2!.steps, hf: REAL.smollm2!.hf }] })]]);
  if (args.qwen05 && nativeOk) runs.push(['qwen05', `kgtune tfjs-${nativeBackend}`, [process.execPath, ...process.execArgv, self, '--child', 'qwen05', '--backend', nativeBackend, '--threads', String(THREADS)]]);
  for (const [key, what, [cmd, ...argv]] of runs) {
    const r = spawnSync(cmd!, argv, { encoding: 'utf8', env: threadEnv, maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      const text = `${r.stderr ?? ''}${r.stdout ?? ''}`;
      const why = /memory access out of bounds/.test(text) ? 'out of the wasm backend\'s 4 GB heap (memory access out of bounds)' : (text.split('\n').filter((l) => /Error/.test(l)).at(-1) ?? `exit ${r.status}`).trim().slice(0, 300);
      console.log(`${key} ${what} failed: ${why}`);
      continue;
    }
    const out = lastJson(r.stdout);
    const row = 'rows' in out ? { ...(out as unknown as { rows: RealRow[] }).rows[0]!, impl: 'torch-cpu + peft' } : out;
    real.push(row);
    console.log(`${key} ${row.impl} lora: ${row.msPerStep.toFixed(0)} ms/step, peak RSS ${row.peakRssMb.toFixed(0)} MB`);
  }
  for (const key of Object.keys(REAL)) {
    const rs = real.filter((r) => r.config === key);
    if (rs.length === 0) continue;
    const c = REAL[key]!;
    console.log(`\n${c.label}, LoRA r=8 on q,k,v,o,gate,up,down, batch ${c.batch} × ${T} tokens, ${c.steps - 1} timed steps, ${THREADS} thread${THREADS > 1 ? 's' : ''}`);
    console.log('"vs torch" compares wall time (tokens/s); "CPU vs torch" compares CPU time per step (torch\'s over the implementation\'s), which other jobs on the machine move much less.');
    console.log('| impl | params | trainable | tokens/s | ms/step | CPU ms/step | peak RSS | vs torch | CPU vs torch |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    const torch = rs.find((r) => r.impl.startsWith('torch'));
    for (const r of rs) {
      const ratio = torch && r !== torch ? `${(r.tokensPerSec / torch.tokensPerSec).toFixed(2)}×` : '–';
      const cpuRatio = torch?.cpuMsPerStep && r.cpuMsPerStep && r !== torch ? `${(torch.cpuMsPerStep / r.cpuMsPerStep).toFixed(2)}×` : '–';
      const m = (n: number | undefined) => (n === undefined ? '–' : `${(n / 1e6).toFixed(1)} M`);
      console.log(`| ${r.impl} | ${m(r.params)} | ${m(r.trainable)} | ${r.tokensPerSec.toFixed(0)} | ${r.msPerStep.toFixed(0)} | ${r.cpuMsPerStep?.toFixed(0) ?? '–'} | ${(r.peakRssMb / 1024).toFixed(2)} GB | ${ratio} | ${cpuRatio} |`);
    }
  }
}
