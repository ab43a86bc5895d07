/** Every workflow type the workers register (workflowsPath points here). */
export { healthcheck } from './healthcheck.js';
export { domainAdapterPipeline } from './pipeline.js';
export { ingestCorpus } from './ingest.js';
export { buildGraph } from './graph.js';
export { synthesizeDataset } from './synthesize.js';
export { fineTune } from './fine-tune.js';
export { evaluateAdapter } from './evaluate.js';
export { registerAdapter } from './register.js';
export { promoteAdapter } from './promote.js';
