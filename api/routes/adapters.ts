import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AdapterList } from '../schemas.js';
import { callerOf, type RouteContext } from './context.js';

export function adapterRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/adapters', async (req): Promise<z.infer<typeof AdapterList>> => {
    return { adapters: await ctx.catalog.adapters(callerOf(req).tenant) };
  });
}
