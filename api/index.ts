/**
 * The customer upload API: `buildApi(deps)` wires a Fastify instance (tests drive it with
 * `app.inject()`), `startApi(env)` connects Neo4j and Temporal and listens.
 */
import type { Client, Connection } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { Driver } from 'neo4j-driver';
import type { KgtuneEnv } from '../configs/env.js';
import { connectNeo4j, connectTemporal, ensureApiSchema, ensureOperatorSchema, parseOperatorKey } from '../client/index.js';
import { Authenticator, presentedKey } from './auth.js';
import { keyGate } from './rate-limit.js';
import { Catalog } from './catalog.js';
import { ApiConfig, apiConfigFromEnv, type ApiConfigInput } from './config.js';
import { ApiError, installErrorHandlers } from './errors.js';
import { PipelineControl, type StartFn } from './pipelines.js';
import { adapterRoutes } from './routes/adapters.js';
import type { RouteContext } from './routes/context.js';
import { corpusRoutes } from './routes/corpora.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { publicRoutes } from './routes/public.js';
import { sessionRoutes } from './routes/session.js';
import { summaryRoutes } from './routes/summary.js';
import { OperatorAuthenticator } from './operator-auth.js';
import { OperatorRegistry } from './operator-registry.js';
import { operatorRoutes } from './routes/operator.js';
import { operatorWebRoutes } from './routes/operator-web.js';
import { artifactStoreFromEnv, type ArtifactStore } from '../registry/index.js';
import { UploadStore } from './upload-store.js';

export { ApiConfig, apiConfigFromEnv } from './config.js';
export { ApiError, ERROR_CODES, type ErrorCode } from './errors.js';
export { OPERATIONS, openApiDocument } from './openapi.js';
export { UploadStore } from './upload-store.js';

export interface ApiDeps {
  driver: Driver;
  /** Without it, pipeline routes answer 503. */
  temporal?: Client;
  /** Root of the upload folders (`<artifactsDir>/../uploads`), or a store. */
  uploads: string | UploadStore;
  config?: ApiConfigInput | ApiConfig;
  logger?: boolean;
  /** Defaults to client/start.ts startPipeline (the CLI uses it too). */
  startPipeline?: StartFn;
  /** The registry's artifact store, for downloads in the registry view (without it they answer 503). */
  artifacts?: ArtifactStore;
}

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const config = ApiConfig.parse(deps.config ?? {});
  const store = typeof deps.uploads === 'string' ? new UploadStore(deps.uploads) : deps.uploads;
  const ctx: RouteContext = {
    config,
    store,
    catalog: new Catalog(deps.driver, store),
    pipelines: new PipelineControl(deps.temporal, deps.startPipeline),
  };
  const auth = new Authenticator(deps.driver, config.keyCacheMs);
  const app = Fastify({ logger: deps.logger ?? false, trustProxy: false, bodyLimit: 1024 * 1024 });
  installErrorHandlers(app);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    return payload;
  });
  await app.register(multipart, { limits: { fileSize: config.uploads.maxFileBytes, files: config.uploads.maxFilesPerRequest } });
  publicRoutes(app, ctx);
  await app.register(async (v1) => {
    const gate = keyGate(config.rateLimit, {
      recentlyVerified: (key) => auth.recentlyVerified(key),
      authenticate: (key) => auth.authenticate(key),
      refuse: (key) => {
        if (key && parseOperatorKey(key)) throw new ApiError('tenant_only', 'an operator key cannot act as a tenant (upload, start or cancel runs); the registry view is at /registry');
      },
      countsAsFailure: () => true,
      windowKey: (caller) => `key:${caller.keyId}`,
      rateHeaders: true,
    });
    v1.addHook('preHandler', async (req, reply) => {
      req.caller = await gate(req, reply, presentedKey(req));
    });
    sessionRoutes(v1, ctx);
    corpusRoutes(v1, ctx);
    pipelineRoutes(v1, ctx);
    adapterRoutes(v1, ctx);
    summaryRoutes(v1, ctx);
  });
  operatorWebRoutes(app);
  const operators = new OperatorAuthenticator(deps.driver, config.keyCacheMs);
  const registry = new OperatorRegistry(deps.driver, ctx.catalog, deps.artifacts, deps.temporal);
  await app.register(async (ops) => {
    const gate = keyGate(config.rateLimit, {
      recentlyVerified: (key) => operators.recentlyVerified(key),
      authenticate: (key) => operators.authenticate(key),
      // a tenant key on an operator route is a valid key of the wrong kind, not a guess
      countsAsFailure: (e) => e.code !== 'operator_only',
      windowKey: (operator) => `operator:${operator.keyId}`,
      rateHeaders: false,
    });
    ops.addHook('preHandler', async (req, reply) => {
      req.operator = await gate(req, reply, presentedKey(req));
    });
    operatorRoutes(ops, registry);
  });
  return app;
}

export interface RunningApi { app: FastifyInstance; url: string; close: () => Promise<void> }

/** Connects Neo4j (required) and Temporal (optional: pipeline routes answer 503 without it) and listens. */
export async function startApi(env: KgtuneEnv, opts: { port?: number; host?: string; config?: ApiConfig; log?: (m: string) => void } = {}): Promise<RunningApi> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const driver = await connectNeo4j(env);
  let temporal: { client: Client; connection: Connection } | undefined;
  try {
    temporal = await connectTemporal(env);
  } catch (e) {
    log(`warning: ${(e as Error).message}; pipeline routes will answer 503 until the API is restarted with Temporal up`);
  }
  try {
    await ensureApiSchema(driver);
    await ensureOperatorSchema(driver);
    let artifacts: ArtifactStore | undefined;
    try {
      artifacts = artifactStoreFromEnv(env);
    } catch (e) {
      log(`warning: ${(e as Error).message}; artifact downloads in the registry view will answer 503`);
    }
    const store = UploadStore.forArtifacts(env.artifactsDir);
    await store.cleanStaleStaging();
    const app = await buildApi({ driver, temporal: temporal?.client, uploads: store, config: opts.config ?? apiConfigFromEnv(), logger: true, ...(artifacts ? { artifacts } : {}) });
    const url = await app.listen({ port: opts.port ?? 8080, host: opts.host ?? '127.0.0.1' });
    return {
      app, url,
      close: async () => {
        await app.close();
        await temporal?.connection.close();
        await driver.close();
      },
    };
  } catch (e) {
    await temporal?.connection.close();
    await driver.close();
    throw e;
  }
}
