/**
 * The README's GPU-memory table: training/gpu-memory.ts' estimate for real base shapes (their config.json
 * dimensions) at a few batch × sequence settings, LoRA r 8 on all 7 projections, without and with
 * training.gradientCheckpointing. An estimate, not a measurement: no GPU is needed to print it.
 * `npx tsx bench/gpu-memory.ts`
 */
import { baseParameters, estimateTrainingMemory, type MemoryShape } from '../training/index.js';

const BASES: Array<[string, MemoryShape]> = [
  ['SmolLM2-135M', { vocabSize: 49152, hidden: 576, intermediate: 1536, layers: 30, heads: 9, kvHeads: 3, headDim: 64, tieEmbeddings: true }],
  ['Qwen2.5-0.5B', { vocabSize: 151936, hidden: 896, intermediate: 4864, layers: 24, heads: 14, kvHeads: 2, headDim: 64, tieEmbeddings: true }],
  ['Llama-3.2-1B', { vocabSize: 128256, hidden: 2048, intermediate: 8192, layers: 16, heads: 32, kvHeads: 8, headDim: 64, tieEmbeddings: true }],
  ['Qwen2.5-1.5B', { vocabSize: 151936, hidden: 1536, intermediate: 8960, layers: 28, heads: 12, kvHeads: 2, headDim: 128, tieEmbeddings: true }],
];
const RUNS: Array<[number, number]> = [[1, 256], [4, 256], [8, 128], [8, 512]];
const gib = (mib: number) => (mib / 1024).toFixed(1);

console.log('| base | params | batch × seq | weights | joined q/k/v, gate/up | backward weight copies | activations | loss (logits) | LoRA + Adam | overhead | total GiB | checkpointed: activations | checkpointed total GiB |');
console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const [name, shape] of BASES) {
  for (const [batchSize, seqLen] of RUNS) {
    const e = estimateTrainingMemory(shape, { batchSize, seqLen, loraR: 8, loraTargets: 7 });
    const c = estimateTrainingMemory(shape, { batchSize, seqLen, loraR: 8, loraTargets: 7, gradientCheckpointing: true });
    console.log(`| ${name} | ${(baseParameters(shape) / 1e6).toFixed(0)} M | ${batchSize} × ${seqLen} | ${gib(e.weightsMiB)} | ${gib(e.joinedWeightsMiB)} | ${gib(e.backwardCopiesMiB)} | ${gib(e.activationsMiB)} | ${gib(e.logitsMiB)} | ${gib(e.loraMiB)} | ${gib(e.overheadMiB)} | **${gib(e.totalMiB)}** | ${gib(c.activationsMiB)} | **${gib(c.totalMiB)}** |`);
  }
}
