import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import { CorpusParams, DocumentParams, parseOr400, type CorpusList, type Deleted, type DocumentList, type UploadResult } from '../schemas.js';
import { receiveUpload } from '../upload.js';
import { callerOf, quotaOf, type RouteContext } from './context.js';

export function corpusRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/corpora', async (req): Promise<z.infer<typeof CorpusList>> => {
    return { corpora: await ctx.catalog.corpora(callerOf(req).tenant) };
  });

  app.get('/v1/corpora/:corpus/documents', async (req): Promise<z.infer<typeof DocumentList>> => {
    const { tenant } = callerOf(req);
    const { corpus } = parseOr400(CorpusParams, req.params, 'corpus', 'invalid_corpus');
    if (!(await ctx.catalog.corpusExists(tenant, corpus))) throw new ApiError('not_found', `no corpus '${corpus}'`);
    return { corpus, documents: await ctx.catalog.documents(tenant, corpus) };
  });

  app.post('/v1/corpora/:corpus/uploads', async (req, reply): Promise<z.infer<typeof UploadResult>> => {
    const caller = callerOf(req);
    const { corpus } = parseOr400(CorpusParams, req.params, 'corpus', 'invalid_corpus');
    const staging = await ctx.store.newStaging();
    try {
      const received = await receiveUpload(req, ctx.config, staging);
      const quotaBytes = quotaOf(ctx, caller);
      const { results, usedBytes } = await ctx.store.commit(caller.tenant, corpus, received.candidates, quotaBytes, caller.keyId, staging);
      void reply.code(201);
      return { corpus, files: results, skipped: received.skipped, usage: { bytes: usedBytes, quotaBytes } };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });

  /** Deletes an uploaded file (to replace it, upload the new one): its bytes no longer count against the quota. */
  app.delete('/v1/corpora/:corpus/documents/:sha256', async (req): Promise<z.infer<typeof Deleted>> => {
    const caller = callerOf(req);
    const { corpus, sha256 } = parseOr400(DocumentParams, req.params, 'document');
    const deleted = await ctx.store.remove(caller.tenant, corpus, sha256);
    if (!deleted) throw new ApiError('not_found', `no uploaded file ${sha256.slice(0, 12)}… in corpus '${corpus}'`);
    return { deleted, usage: { bytes: await ctx.store.usage(caller.tenant), quotaBytes: quotaOf(ctx, caller) } };
  });
}
