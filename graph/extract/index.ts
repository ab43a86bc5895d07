export { createOfflineExtractor, extractOffline } from './offline.js';
export type { OfflineOptions } from './offline.js';
export { buildPrompt, createLlmExtractor, LlmReply, LlmTriple, parseReply } from './llm.js';
export type { LlmOptions } from './llm.js';
export type { ExtractInput, ExtractResult, ExtractStats, Extractor } from './types.js';
export { formatReliability, reliability, TRAINING_MIN_CONFIDENCE, type Judged } from './calibration.js';
export { extractWithMode } from './llm-mode.js';
export { llmExtractorFor, type LlmExtractorDeps } from './llm-extractor.js';
