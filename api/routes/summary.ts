import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { parseOr400, SummaryQuery, type Summary } from '../schemas.js';
import { callerOf, quotaOf, type RouteContext } from './context.js';

/** Pipelines the page shows: running ones and the three latest of the corpus. */
const LATEST = 3;

/**
 * GET /v1/summary?corpus=C: what the page shows, in one request, with a strong ETag over the body.
 * A poller sending If-None-Match gets 304 and no body while nothing changed, so an open tab costs
 * one request per poll (and five tabs stay far below the per-key limit).
 */
export function summaryRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/summary', async (req, reply): Promise<z.infer<typeof Summary> | undefined> => {
    const c = callerOf(req);
    const { corpus } = parseOr400(SummaryQuery, req.query ?? {}, 'query');
    const { maxFileBytes, maxRequestBytes, maxFilesPerRequest } = ctx.config.uploads;
    const [usage, corpora, documents, runs, adapters] = await Promise.all([
      ctx.store.usage(c.tenant),
      ctx.catalog.corpora(c.tenant),
      corpus ? ctx.catalog.documents(c.tenant, corpus) : Promise.resolve([]),
      corpus ? ctx.pipelines.list(c.tenant).catch(() => []) : Promise.resolve([]),
      ctx.catalog.adapters(c.tenant),
    ]);
    const ofCorpus = runs.filter((p) => p.corpus === corpus);
    const shown = ofCorpus.filter((p, i) => p.status === 'RUNNING' || i < LATEST);
    const pipelines = await Promise.all(shown.map((p) => ctx.pipelines.detail(c.tenant, p.workflowId).catch(() => null)));
    const body: z.infer<typeof Summary> = {
      me: { tenant: c.tenant, keyId: c.keyId, usage: { bytes: usage, quotaBytes: quotaOf(ctx, c) }, limits: { maxFileBytes, maxRequestBytes, maxFilesPerRequest } },
      corpora,
      corpus: corpus ?? null,
      documents,
      pipelines: pipelines.filter((p): p is NonNullable<typeof p> => p !== null),
      adapters: adapters.filter((a) => a.corpus === corpus),
    };
    const etag = `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 27)}"`;
    void reply.header('etag', etag);
    if (req.headers['if-none-match'] === etag) {
      void reply.code(304);
      return undefined;
    }
    return body;
  });
}
