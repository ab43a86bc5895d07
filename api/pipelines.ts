/**
 * Pipeline control through Temporal: start (client/start.ts, so ids and search attributes are the
 * same as `kgtune run`), list the tenant's runs, and read live progress (client/progress.ts, the
 * reader the CLI renders too). A run belongs to the tenant its `Tenant` search attribute names;
 * anything else is reported as not found.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { z } from 'zod';
import { parsePipelineInput, type PipelineInput } from '../configs/pipeline-input.js';
import { PIPELINE_WORKFLOW, readPipelineProgress, startPipeline, type StartFn } from '../client/index.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { ApiError } from './errors.js';
import type { Pipeline, PipelineDetail, StageProgress } from './schemas.js';

const PIPELINE_TYPE = PIPELINE_WORKFLOW;
/** A query to a run no worker serves would otherwise keep retrying after the page's request has been answered. */
const QUERY_TIMEOUT_MS = 4000;

type PipelineT = z.infer<typeof Pipeline>;
type DetailT = z.infer<typeof PipelineDetail>;

export type { StartFn };

type RunInfo = Pick<WorkflowExecutionInfo, 'workflowId' | 'status' | 'typedSearchAttributes' | 'startTime' | 'closeTime' | 'type'>;

function summary(d: RunInfo): PipelineT {
  return {
    workflowId: d.workflowId,
    status: d.status.name,
    corpus: d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.corpus) ?? null,
    domain: d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.domain) ?? null,
    startTime: d.startTime.toISOString(),
    closeTime: d.closeTime ? d.closeTime.toISOString() : null,
    outcome: d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.outcome) ?? null,
    failedStage: d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.failedStage) ?? null,
    failureReason: d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.failureReason) ?? null,
  };
}

export class PipelineControl {
  constructor(private readonly client: Client | undefined, private readonly start: StartFn = startPipeline) {}

  private temporal(): Client {
    if (!this.client) throw new ApiError('service_unavailable', 'the workflow engine is not connected; try again later');
    return this.client;
  }

  async startOn(tenant: string, corpus: string, source: string, body: Record<string, unknown>): Promise<{ workflowId: string; attached: boolean }> {
    let input: PipelineInput;
    try {
      input = parsePipelineInput({ ...body, tenant, corpus, source });
    } catch (e) {
      throw new ApiError('bad_request', (e as Error).message);
    }
    return this.start(this.temporal(), input);
  }

  async list(tenant: string): Promise<PipelineT[]> {
    const out: PipelineT[] = [];
    // The tenant matches the id regex (no quotes), so it can sit inside the visibility query.
    const query = `WorkflowType = '${PIPELINE_TYPE}' AND ${SEARCH_ATTRIBUTES.tenant.name} = '${tenant}'`;
    for await (const w of this.temporal().workflow.list({ query, pageSize: 100 })) {
      if (w.typedSearchAttributes.get(SEARCH_ATTRIBUTES.tenant) !== tenant) continue;
      out.push(summary(w));
      if (out.length >= 100) break;
    }
    return out;
  }

  /** 404 unless the run is a pipeline of this tenant. */
  async detail(tenant: string, workflowId: string): Promise<DetailT> {
    const handle = this.temporal().workflow.getHandle(workflowId);
    let d: RunInfo;
    try {
      d = await handle.describe();
    } catch (e) {
      if (e instanceof WorkflowNotFoundError || (e as { name?: string }).name === 'WorkflowNotFoundError') throw notFound(workflowId);
      throw e;
    }
    if (d.type !== PIPELINE_TYPE || d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.tenant) !== tenant) throw notFound(workflowId);
    const base = summary(d);
    try {
      const { progress: p, stages: views } = await readPipelineProgress(this.temporal(), workflowId, { deadlineMs: QUERY_TIMEOUT_MS });
      const stages: z.infer<typeof StageProgress>[] = views.map((s) => ({ name: s.name, status: s.status, percent: s.percent, summary: s.detail || null }));
      return {
        ...base,
        progress: { stage: p.stage, percent: p.percent, stages, counts: p.counts, training: p.training ?? null, outcome: p.outcome ?? null, failure: p.failure ?? null },
        progressUnavailable: null,
      };
    } catch (e) {
      const why = (e as Error).message?.split('\n')[0] ?? 'unknown';
      return { ...base, progress: null, progressUnavailable: d.status.name === 'RUNNING' ? `no answer from a worker (${why})` : `the run is ${d.status.name.toLowerCase()} and no worker answers queries for it` };
    }
  }

  /** Cancels a running pipeline of this tenant (404 for anything else, 409 when it already ended). */
  async cancel(tenant: string, workflowId: string): Promise<void> {
    const handle = this.temporal().workflow.getHandle(workflowId);
    const d = await handle.describe().catch((e: unknown) => {
      if (e instanceof WorkflowNotFoundError || (e as { name?: string }).name === 'WorkflowNotFoundError') throw notFound(workflowId);
      throw e;
    });
    if (d.type !== PIPELINE_TYPE || d.typedSearchAttributes.get(SEARCH_ATTRIBUTES.tenant) !== tenant) throw notFound(workflowId);
    if (d.status.name !== 'RUNNING') throw new ApiError('already_ended', `pipeline '${workflowId}' has already ended (${d.status.name})`);
    await handle.cancel();
  }
}

function notFound(workflowId: string): ApiError {
  return new ApiError('not_found', `no pipeline '${workflowId}'`);
}
