import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import { CorpusParams, parseOr400, PipelineParams, StartPipelineBody, type Cancelled, type PipelineDetail, type PipelineList, type StartPipelineResult } from '../schemas.js';
import { callerOf, type RouteContext } from './context.js';

export function pipelineRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/corpora/:corpus/pipelines', async (req, reply): Promise<z.infer<typeof StartPipelineResult>> => {
    const { tenant } = callerOf(req);
    const { corpus } = parseOr400(CorpusParams, req.params, 'corpus', 'invalid_corpus');
    const body = parseOr400(StartPipelineBody, req.body ?? {}, 'pipeline options');
    if (!(await ctx.catalog.corpusExists(tenant, corpus))) throw new ApiError('not_found', `no corpus '${corpus}'`);
    const files = await ctx.store.listFiles(tenant, corpus);
    if (files.length === 0) throw new ApiError('corpus_empty', `corpus '${corpus}' has no uploaded files to run on; upload some first`);
    const started = await ctx.pipelines.startOn(tenant, corpus, ctx.store.corpusDir(tenant, corpus), body);
    void reply.code(202);
    return started;
  });

  app.get('/v1/pipelines', async (req): Promise<z.infer<typeof PipelineList>> => {
    return { pipelines: await ctx.pipelines.list(callerOf(req).tenant) };
  });

  app.get('/v1/pipelines/:workflowId', async (req): Promise<z.infer<typeof PipelineDetail>> => {
    const { workflowId } = parseOr400(PipelineParams, req.params, 'pipeline id');
    return ctx.pipelines.detail(callerOf(req).tenant, workflowId);
  });

  /** Requests cancellation (training saves a checkpoint first); the run then ends CANCELLED with Outcome canceled. */
  app.post('/v1/pipelines/:workflowId/cancel', async (req, reply): Promise<z.infer<typeof Cancelled>> => {
    const { workflowId } = parseOr400(PipelineParams, req.params, 'pipeline id');
    await ctx.pipelines.cancel(callerOf(req).tenant, workflowId);
    void reply.code(202);
    return { workflowId, cancelRequested: true };
  });
}
