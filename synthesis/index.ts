/** Public face of the synthesis stage: instruction pairs from a graph snapshot, splits, exports. */
export { synthesize } from './synthesize.js';
export { writeDataset, type WrittenDataset } from './write-dataset.js';
export type { Dataset, DatasetCounts } from './dataset.js';
export { SynthesisOptions, resolveOptions, type SynthesisOptionsInput, type ResolvedSynthesisOptions, type SynthesisProgress } from './options.js';
export { Example, ExampleType, Split } from './contract.js';
export { datasetDir, readExamples, readManifest } from './dataset-files.js';
export { packTemplates, synthesizeFromSnapshot } from './synthesize-dataset.js';
export { datasetIdOf, EXAMPLES_FILE, MANIFEST_FILE, DatasetManifest, PipelineSynthesisOptions } from './contract.js';
export {
  TemplatePackOverride,
  resolveTemplates,
  templatesFor,
  type TemplateSet,
  type RelationTemplates,
  type LangTemplates,
  type Phrasings,
  type PhrasingKind,
} from './templates.js';
export { contamination, ngrams, NGRAM, type ContaminationReport, type SplitContamination } from './contamination.js';
export { canonicalJsonl, datasetDigest } from './digest.js';
export { AlpacaRecord, AlpacaFile, ShareGptRecord, ShareGptFile, OpenAiChatLine, LlamaFactoryEntry, LlamaFactoryDatasetInfo, parseOpenAiJsonl } from './formats.js';
export { toAlpaca, toShareGpt, toOpenAiChat, llamaFactoryDatasetInfo, renderExports, datasetName } from './exports.js';
export { datasetCard } from './card.js';
export { SynthesisError } from './errors.js';
