import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { pipelineWorkflowId, type PipelineInput } from '../configs/pipeline-input.js';
import type { domainAdapterPipeline } from '../workflows/pipeline.js';
import { TASK_QUEUES } from '../workflows/options.js';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';

export const PIPELINE_WORKFLOW = 'domainAdapterPipeline';

export interface Started { workflowId: string; attached: boolean }
export type StartFn = (client: Client, input: PipelineInput) => Promise<Started>;

/** Starts the pipeline, or attaches to the run with the same id (same tenant, corpus, config). */
export async function startPipeline(client: Client, input: PipelineInput): Promise<Started> {
  const workflowId = pipelineWorkflowId(input);
  try {
    await client.workflow.start<typeof domainAdapterPipeline>(PIPELINE_WORKFLOW, {
      taskQueue: TASK_QUEUES.cpu, workflowId, args: [input],
      // A completed or running job with the same id is not run twice; a failed or cancelled one may be retried.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.tenant, value: input.tenant },
        { key: SEARCH_ATTRIBUTES.corpus, value: input.corpus },
        { key: SEARCH_ATTRIBUTES.domain, value: input.domain },
        { key: SEARCH_ATTRIBUTES.stage, value: 'queued' },
      ],
    });
    return { workflowId, attached: false };
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, attached: true };
    throw e;
  }
}
