/** Serving exports of a base + LoRA adapter: merged HF folder, merged GGUF, and their verification. */
export { exportMergedHf, exportMergedGguf, loadMerged, TOKENIZER_FILES } from './merged.js';
export { writeGguf, toHalfBits, kv, GGML_TYPE, type GgufEntry, type GgufTensorSpec } from './gguf-writer.js';
export { ggufName, permuteRows, ggufUnsupported, ggufArchitecture, ropeFreqFactors, tokenizerMetadata, tokenizerMetadataFromGguf, llamaCppPreTokenizer } from './gguf-llama.js';
export { compareGreedy, llamaCppGreedy, type GreedyComparison, type GreedyRow } from './verify.js';
export { exportLoraGguf } from './gguf-lora.js';
