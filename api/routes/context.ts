import type { FastifyRequest } from 'fastify';
import type { Caller } from '../auth.js';
import type { Catalog } from '../catalog.js';
import type { ApiConfig } from '../config.js';
import { ApiError } from '../errors.js';
import type { PipelineControl } from '../pipelines.js';
import type { UploadStore } from '../upload-store.js';

/** What route handlers share; built once by buildApi. */
export interface RouteContext {
  config: ApiConfig;
  store: UploadStore;
  catalog: Catalog;
  pipelines: PipelineControl;
}

/** The authenticated caller (set by the /v1 preHandler). */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new ApiError('missing_key', 'send your API key as `Authorization: Bearer <key>`');
  return req.caller;
}

export function quotaOf(ctx: RouteContext, caller: Caller): number {
  return caller.quotaBytes ?? ctx.config.uploads.tenantQuotaBytes;
}
