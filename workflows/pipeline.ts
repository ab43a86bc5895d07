import {
  ApplicationFailure, defineQuery, executeChild, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { parsePipelineInput, type PipelineInputRaw } from '../configs/pipeline-input.js';
import { ingestCorpus, type IngestResult } from './ingest.js';
import { buildGraph, type BuildGraphResult } from './graph.js';
import { synthesizeDataset, type SynthesizeResult } from './synthesize.js';
import { fineTune, type FineTuneResult } from './fine-tune.js';
import { evaluateAdapter, type EvaluateResult } from './evaluate.js';
import { registerAdapter, type RegisterResult } from './register.js';
import { promoteAdapter, type PromoteStatus } from './promote.js';
import { TASK_QUEUES } from './options.js';
import { SEARCH_ATTRIBUTES } from './search-attributes.js';

function setStage(stage: string): void {
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stage, value: stage }]);
}

export const STAGES = ['ingest', 'graph', 'synthesize', 'train', 'evaluate', 'register', 'promote'] as const;
export type Stage = (typeof STAGES)[number];
export interface StageState { name: Stage; status: 'pending' | 'running' | 'done' | 'skipped' | 'failed'; childId: string; summary?: string }
export interface PipelineProgress { stage: Stage | 'done' | 'failed'; percent: number; stages: StageState[]; counts: Record<string, number> }
export interface PipelineResult {
  ingest: IngestResult; graph: BuildGraphResult; dataset: SynthesizeResult; training: FineTuneResult;
  evaluation: EvaluateResult; registry: RegisterResult; promotion?: PromoteStatus;
}

export const progressQuery = defineQuery<PipelineProgress>('progress');

/**
 * ingest → graph → synthesize → train → evaluate → register (→ promote), each a child workflow with a
 * deterministic id `<pipeline id>.<stage>`, so a client can query the running child's `progress` too.
 */
export async function domainAdapterPipeline(raw: PipelineInputRaw): Promise<PipelineResult> {
  let input;
  try {
    input = parsePipelineInput(raw);
  } catch (e) {
    throw ApplicationFailure.nonRetryable((e as Error).message, 'ValidationError');
  }
  const id = workflowInfo().workflowId;
  const stages: StageState[] = STAGES.map((name) => ({ name, status: 'pending', childId: `${id}.${name}` }));
  const counts: Record<string, number> = {};
  let current: PipelineProgress['stage'] = 'ingest';
  setHandler(progressQuery, () => ({
    stage: current,
    percent: Math.round((100 * stages.filter((s) => s.status === 'done' || s.status === 'skipped').length) / stages.length),
    stages,
    counts,
  }));
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.tenant, value: input.tenant },
    { key: SEARCH_ATTRIBUTES.corpus, value: input.corpus },
    { key: SEARCH_ATTRIBUTES.domain, value: input.domain },
  ]);

  async function stage<T>(name: Stage, run: (childId: string) => Promise<T>, summarize: (r: T) => string): Promise<T> {
    const s = stages.find((x) => x.name === name);
    if (!s) throw ApplicationFailure.nonRetryable(`unknown stage ${name}`, 'InternalError');
    current = name;
    s.status = 'running';
    setStage(name);
    try {
      const r = await run(s.childId);
      s.status = 'done';
      s.summary = summarize(r);
      return r;
    } catch (e) {
      s.status = 'failed';
      current = 'failed';
      setStage('failed');
      throw e;
    }
  }
  const cpu = TASK_QUEUES.cpu;
  const { tenant, corpus, domain, industry } = input;

  const ingest = await stage('ingest', (workflowId) => executeChild(ingestCorpus, { workflowId, taskQueue: cpu, args: [{ tenant, corpus, source: input.source, industry }] }),
    (r) => `${r.total} documents, ${r.chunks} chunks, ${Object.entries(r.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  counts.documents = ingest.total;
  counts.chunks = ingest.chunks;
  if ((ingest.byStatus.ingested ?? 0) === 0) {
    throw ApplicationFailure.nonRetryable(`no document of corpus '${corpus}' could be ingested (${ingest.failures.slice(0, 3).map((f) => `${f.file}: ${f.reason}`).join('; ') || 'folder empty'})`, 'BadInput');
  }
  const graph = await stage('graph', (workflowId) => executeChild(buildGraph, {
    workflowId, taskQueue: cpu, args: [{ tenant, corpus, industry, ...(input.extraction.mode !== 'offline' ? { extraction: input.extraction } : {}) }],
  }), (r) => `snapshot ${r.snapshotId}: ${r.facts} facts, ${r.entities} entities${r.llm ? `; LLM: ${r.llm.grounded} grounded triples, ${r.llm.triples - r.llm.grounded} dropped, ${r.llm.cached} cached, ${r.llm.failedChunks} chunks failed` : ''}`);
  counts.facts = graph.facts;
  counts.entities = graph.entities;
  if (graph.facts === 0) throw ApplicationFailure.nonRetryable(`corpus '${corpus}' yielded no facts: nothing to learn`, 'BadInput');

  const dataset = await stage('synthesize', (workflowId) => executeChild(synthesizeDataset, {
    workflowId, taskQueue: cpu, args: [{ tenant, corpus, snapshotId: graph.snapshotId, industry, seed: input.seed, targetSize: input.synthesis.targetSize }],
  }), (r) => `dataset ${r.digest.slice(0, 12)}: ${Object.entries(r.bySplit).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  counts.examples = Object.values(dataset.bySplit).reduce((a, b) => a + b, 0);

  const runId = `${id}.run`;
  const training = await stage('train', (workflowId) => executeChild(fineTune, {
    workflowId, taskQueue: cpu, args: [{ tenant, domain, runId, datasetDir: dataset.dir, training: input.training, seed: input.seed }],
  }), (r) => `${r.steps} steps on ${r.backend}, train loss ${r.finalTrainLoss.toFixed(3)}`);

  const evaluation = await stage('evaluate', (workflowId) => executeChild(evaluateAdapter, {
    workflowId, taskQueue: cpu, args: [{ tenant, runId, baseDir: training.baseDir, adapterDir: training.adapterDir, datasetDir: dataset.dir, lossesFile: training.lossesFile, snapshotId: graph.snapshotId, gates: input.gates }],
  }), (r) => `gates ${r.passed ? 'passed' : 'failed'}`);

  const registry = await stage('register', (workflowId) => executeChild(registerAdapter, {
    workflowId, taskQueue: cpu, args: [{
      tenant, domain, corpus, runId, adapterDir: training.adapterDir, baseDir: training.baseDir, baseModelId: training.baseModelId,
      datasetId: dataset.datasetId, datasetDigest: dataset.digest, snapshotId: graph.snapshotId, reportDir: evaluation.reportDir,
      lossesFile: training.lossesFile, baseSha256: training.baseSha256,
      trainingConfig: input.training, backend: training.backend,
    }],
  }), (r) => `version ${r.version} (${r.sha256.slice(0, 12)})`);

  let promotion: PromoteStatus | undefined;
  if (input.promote === 'none') {
    const s = stages.find((x) => x.name === 'promote');
    if (s) s.status = 'skipped';
  } else {
    const target = input.promote;
    promotion = await stage('promote', (workflowId) => executeChild(promoteAdapter, {
      workflowId, taskQueue: cpu, args: [{ tenant, domain, version: registry.version, target, approvalTimeout: input.approvalTimeout }],
    }), (r) => r.state);
  }
  current = 'done';
  setStage('done');
  return { ingest, graph, dataset, training, evaluation, registry, promotion };
}
