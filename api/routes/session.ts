import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Me } from '../schemas.js';
import { callerOf, quotaOf, type RouteContext } from './context.js';

export function sessionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/me', async (req): Promise<z.infer<typeof Me>> => {
    const c = callerOf(req);
    const { maxFileBytes, maxRequestBytes, maxFilesPerRequest } = ctx.config.uploads;
    return {
      tenant: c.tenant,
      keyId: c.keyId,
      usage: { bytes: await ctx.store.usage(c.tenant), quotaBytes: quotaOf(ctx, c) },
      limits: { maxFileBytes, maxRequestBytes, maxFilesPerRequest },
    };
  });
}
