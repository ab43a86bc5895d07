import {
  ApplicationFailure, defineQuery, executeChild, isCancellation, patched, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { parsePipelineInput, type PipelineInput, type PipelineInputRaw } from '../configs/pipeline-input.js';
import { ingestCorpus, type IngestResult } from './ingest.js';
import { buildGraph, type BuildGraphResult } from './graph.js';
import { synthesizeDataset, type SynthesizeResult } from './synthesize.js';
import { fineTune, type FineTuneResult } from './fine-tune.js';
import { evaluateAdapter, type EvaluateResult } from './evaluate.js';
import { registerAdapter, type RegisterResult } from './register.js';
import { promoteAdapter, type PromoteStatus } from './promote.js';
import { TASK_QUEUES } from './options.js';
import { SEARCH_ATTRIBUTES } from './search-attributes.js';
import { TrainingProgressSchema, trainingProgressSignal, type TrainingProgress } from './signals.js';

function setStage(stage: string): void {
  upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.stage, value: stage }]);
}

/** Histories recorded before the Outcome / FailedStage / FailureReason attributes replay without them. */
const OUTCOME_PATCH = 'pipeline-outcome-search-attributes';

export type PipelineOutcome = 'registered' | 'blocked-by-gates' | 'failed' | 'canceled';
export interface PipelineFailure { stage: string; reason: string }

/** The innermost cause's first line (a child's activity error, not "Child Workflow execution failed"), ≤ 300 chars. */
export function failureLine(e: unknown): string {
  let c: unknown = e;
  while (c instanceof Error && c.cause instanceof Error) c = c.cause;
  const msg = c instanceof Error ? c.message : String(c);
  const line = (msg.split('\n')[0] ?? '').trim() || 'unknown error';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

export const STAGES = ['ingest', 'graph', 'synthesize', 'train', 'evaluate', 'register', 'promote'] as const;
export type Stage = (typeof STAGES)[number];
export interface StageState { name: Stage; status: 'pending' | 'running' | 'done' | 'skipped' | 'failed'; childId: string; summary?: string }
export interface PipelineProgress {
  stage: Stage | 'done' | 'failed'; percent: number; stages: StageState[]; counts: Record<string, number>;
  /** Step / total, loss and ETA of the training stage (from the training activity's signals). */
  training?: TrainingProgress;
  /** Set when the run ended: registered, blocked-by-gates, failed or canceled. */
  outcome?: PipelineOutcome;
  /** The stage that failed and why, in one line. */
  failure?: PipelineFailure;
}
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
  const info = workflowInfo();
  let outcome: PipelineOutcome | undefined;
  let failure: PipelineFailure | undefined;
  const finish = (o: PipelineOutcome, f?: PipelineFailure): void => {
    outcome = o;
    failure = f;
    if (!patched(OUTCOME_PATCH)) return;
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.outcome, value: o },
      ...(f ? [{ key: SEARCH_ATTRIBUTES.failedStage, value: f.stage }, { key: SEARCH_ATTRIBUTES.failureReason, value: f.reason }] : []),
    ]);
  };
  // Only kgtune-gpu also has a workflow worker (for this check); replay runs on a queue of its own.
  if (info.taskQueue === TASK_QUEUES.gpu) {
    const reason = `domainAdapterPipeline runs on task queue '${TASK_QUEUES.cpu}', not '${info.taskQueue}' (the ${info.taskQueue} workers run training activities only): start it on ${TASK_QUEUES.cpu}`;
    finish('failed', { stage: 'input', reason });
    throw ApplicationFailure.nonRetryable(reason, 'ValidationError');
  }
  let input: PipelineInput;
  try {
    input = parsePipelineInput(raw);
  } catch (e) {
    finish('failed', { stage: 'input', reason: failureLine(e) });
    throw ApplicationFailure.nonRetryable((e as Error).message, 'ValidationError');
  }
  const id = info.workflowId;
  const stages: StageState[] = STAGES.map((name) => ({ name, status: 'pending', childId: `${id}.${name}` }));
  const counts: Record<string, number> = {};
  let current: PipelineProgress['stage'] = 'ingest';
  let lastStage: Stage = 'ingest';
  let trainingProgress: TrainingProgress | undefined;
  setHandler(progressQuery, () => ({
    stage: current,
    percent: Math.round((100 * stages.filter((s) => s.status === 'done' || s.status === 'skipped').length) / stages.length),
    stages,
    counts,
    ...(trainingProgress ? { training: trainingProgress } : {}),
    ...(outcome ? { outcome } : {}),
    ...(failure ? { failure } : {}),
  }));
  setHandler(trainingProgressSignal, (raw) => {
    const t = TrainingProgressSchema.safeParse(raw);
    if (t.success) trainingProgress = t.data;
  });
  try {
    const r = await runStages();
    finish(r.evaluation.passed && r.promotion?.state !== 'blocked-by-gates' ? 'registered' : 'blocked-by-gates');
    return r;
  } catch (e) {
    if (isCancellation(e)) {
      finish('canceled');
    } else {
      const reason = failureLine(e);
      current = 'failed';
      const st = stages.find((x) => x.name === lastStage);
      if (st) {
        st.status = 'failed';
        st.summary = reason;
      }
      finish('failed', { stage: lastStage, reason });
    }
    throw e;
  }

  async function runStages(): Promise<PipelineResult> {
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.tenant, value: input.tenant },
      { key: SEARCH_ATTRIBUTES.corpus, value: input.corpus },
      { key: SEARCH_ATTRIBUTES.domain, value: input.domain },
    ]);

    async function stage<T>(name: Stage, run: (childId: string) => Promise<T>, summarize: (r: T) => string): Promise<T> {
      const s = stages.find((x) => x.name === name);
      if (!s) throw ApplicationFailure.nonRetryable(`unknown stage ${name}`, 'InternalError');
      current = name;
      lastStage = name;
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

    const ingest = await stage('ingest', (workflowId) => executeChild(ingestCorpus, { workflowId, taskQueue: cpu, args: [{ tenant, corpus, source: input.source, industry, ...(input.pii ? { pii: input.pii } : {}) }] }),
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
      workflowId, taskQueue: cpu, args: [{ tenant, runId, datasetDir: dataset.dir, training: input.training, seed: input.seed, base: input.base }],
    }), (r) => `${r.steps} steps on ${r.backend}, train loss ${r.finalTrainLoss.toFixed(3)}`);

    const evaluation = await stage('evaluate', (workflowId) => executeChild(evaluateAdapter, {
      workflowId, taskQueue: cpu, args: [{ tenant, runId, baseDir: training.baseDir, adapterDir: training.adapterDir, datasetDir: dataset.dir, lossesFile: training.lossesFile, snapshotId: graph.snapshotId, gates: input.gates }],
    }), (r) => `gates ${r.passed ? 'passed' : 'failed'}`);

    const registry = await stage('register', (workflowId) => executeChild(registerAdapter, {
      workflowId, taskQueue: cpu, args: [{
        tenant, domain, corpus, runId, adapterDir: training.adapterDir, baseDir: training.baseDir, baseModelId: training.baseModelId,
        datasetId: dataset.datasetId, datasetDigest: dataset.digest, snapshotId: graph.snapshotId, reportDir: evaluation.reportDir,
        lossesFile: training.lossesFile, baseSha256: training.baseSha256,
        trainingConfig: input.training, backend: training.backend, industry,
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
}
