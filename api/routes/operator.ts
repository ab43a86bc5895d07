import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { ApiError } from '../errors.js';
import { operatorOf } from '../operator-auth.js';
import type { OperatorRegistry } from '../operator-registry.js';
import {
  ApprovalParams, ArtifactParams, DomainParams, ReviewBody, RollbackBody, VersionParams,
  type ApprovalList, type OperatorMe, type RegistryOverview, type ReviewResult, type RollbackResult, type VersionDetail,
} from '../operator-schemas.js';
import { parseOr400 } from '../schemas.js';

const TYPES: Record<string, string> = { json: 'application/json', md: 'text/markdown; charset=utf-8', svg: 'image/svg+xml', png: 'image/png' };

/** Operator routes of the registry view (`/v1/ops/…`); the preHandler that sets `req.operator` is in api/index.ts. */
export function operatorRoutes(app: FastifyInstance, registry: OperatorRegistry): void {
  app.get('/v1/ops/me', async (req): Promise<z.infer<typeof OperatorMe>> => operatorOf(req));

  app.get('/v1/ops/adapters', async (): Promise<z.infer<typeof RegistryOverview>> => ({ domains: await registry.overview() }));

  app.get('/v1/ops/adapters/:tenant/:domain/:version', async (req): Promise<z.infer<typeof VersionDetail>> => {
    const p = parseOr400(VersionParams, req.params, 'adapter version');
    return registry.version(p.tenant, p.domain, p.version);
  });

  /** Streams one of the version's own stored artifacts as an attachment (svg too: never rendered inline from here). */
  app.get('/v1/ops/adapters/:tenant/:domain/:version/artifacts/:name', async (req, reply) => {
    const p = parseOr400(ArtifactParams, req.params, 'artifact');
    const a = await registry.download(p.tenant, p.domain, p.version, p.name);
    const ext = /\.([a-z]+)$/.exec(a.name)?.[1] ?? '';
    const ascii = a.name.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply
      .type(TYPES[ext] ?? 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(a.name)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength));
  });

  app.post('/v1/ops/adapters/:tenant/:domain/rollback', async (req): Promise<z.infer<typeof RollbackResult>> => {
    const p = parseOr400(DomainParams, req.params, 'domain');
    const body = parseOr400(RollbackBody, req.body ?? {}, 'rollback');
    const r = await registry.rollback(p.tenant, p.domain, body.alias, operatorOf(req), body.reason);
    return { tenant: p.tenant, domain: p.domain, ...r };
  });

  app.get('/v1/ops/approvals', async (): Promise<z.infer<typeof ApprovalList>> => ({ approvals: await registry.approvals() }));

  app.post('/v1/ops/approvals/:workflowId/:decision', async (req): Promise<z.infer<typeof ReviewResult>> => {
    const p = parseOr400(ApprovalParams, req.params, 'approval');
    const body = parseOr400(ReviewBody, req.body ?? {}, 'review');
    const op = operatorOf(req);
    const status = await registry.review(p.workflowId, p.decision, op, body.comment);
    if (!status.review) throw new ApiError('conflict', `promotion '${p.workflowId}' recorded no decision`);
    return { workflowId: p.workflowId, state: status.state, review: status.review };
  });
}
