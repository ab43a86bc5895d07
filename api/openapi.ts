/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the handlers parse with
 * (z.toJSONSchema; OpenAPI 3.1 schemas are JSON Schema 2020-12). `OPERATIONS` is the list of
 * routes; a test checks it against the routes the server actually registers.
 */
import { z } from 'zod';
import type { ApiConfig } from './config.js';
import {
  AdapterList, CorpusList, CorpusParams, DocumentList, ErrorBody, Me, PipelineDetail, PipelineList, PipelineParams,
  StartPipelineBody, StartPipelineResult, Summary, SummaryQuery, UploadResult, DocumentParams, Deleted, Cancelled,
} from './schemas.js';
import {
  ApprovalList, ApprovalParams, ArtifactBytes, ArtifactParams, DomainParams, OperatorMe, RegistryOverview, ReviewBody, ReviewResult,
  RollbackBody, RollbackResult, VersionDetail, VersionParams,
} from './operator-schemas.js';

type Method = 'get' | 'post' | 'delete';
export interface Operation {
  method: Method;
  /** Fastify style (`/v1/corpora/:corpus/documents`). */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  params?: z.ZodObject;
  /** Optional query parameters. */
  query?: z.ZodObject;
  body?: { schema: z.ZodType; id: string } | 'multipart';
  ok: { status: number; schema: z.ZodType; id: string; contentType?: string };
  /** Routes of the registry view take an operator key (`kgtune operators create`), not a tenant key. */
  operator?: true;
  /** Error codes this operation may answer with (besides 401/403/429, shared by all). */
  errors: number[];
}

export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/v1/me', operationId: 'getMe', summary: 'The caller\'s tenant, key id, storage use and upload limits', tag: 'session', ok: { status: 200, schema: Me, id: 'Me' }, errors: [] },
  { method: 'get', path: '/v1/corpora', operationId: 'listCorpora', summary: 'Corpora of the tenant: uploaded files and documents by ingest status', tag: 'corpora', ok: { status: 200, schema: CorpusList, id: 'CorpusList' }, errors: [] },
  { method: 'get', path: '/v1/corpora/:corpus/documents', operationId: 'listDocuments', summary: 'Documents of a corpus with ingest status and reasons', tag: 'corpora', params: CorpusParams, ok: { status: 200, schema: DocumentList, id: 'DocumentList' }, errors: [400, 404] },
  { method: 'post', path: '/v1/corpora/:corpus/uploads', operationId: 'upload', summary: 'Upload files and zip archives of PDF, DOCX, HTML, text or Markdown into a corpus (created on first upload)', tag: 'corpora', params: CorpusParams, body: 'multipart', ok: { status: 201, schema: UploadResult, id: 'UploadResult' }, errors: [400, 413, 415] },
  { method: 'post', path: '/v1/corpora/:corpus/pipelines', operationId: 'startPipeline', summary: 'Start the pipeline (ingest → graph → synthesize → train → evaluate → register) on a corpus', tag: 'pipelines', params: CorpusParams, body: { schema: StartPipelineBody, id: 'StartPipeline' }, ok: { status: 202, schema: StartPipelineResult, id: 'StartPipelineResult' }, errors: [400, 404, 409, 503] },
  { method: 'get', path: '/v1/pipelines', operationId: 'listPipelines', summary: 'Pipeline runs of the tenant', tag: 'pipelines', ok: { status: 200, schema: PipelineList, id: 'PipelineList' }, errors: [503] },
  { method: 'get', path: '/v1/pipelines/:workflowId', operationId: 'getPipeline', summary: 'Live progress of a pipeline run (Temporal `progress` query)', tag: 'pipelines', params: PipelineParams, ok: { status: 200, schema: PipelineDetail, id: 'PipelineDetail' }, errors: [404, 503] },
  { method: 'delete', path: '/v1/corpora/:corpus/documents/:sha256', operationId: 'deleteUpload', summary: 'Delete an uploaded file (frees its bytes of the quota; upload the new version to replace it)', tag: 'corpora', params: DocumentParams, ok: { status: 200, schema: Deleted, id: 'Deleted' }, errors: [400, 404] },
  { method: 'post', path: '/v1/pipelines/:workflowId/cancel', operationId: 'cancelPipeline', summary: 'Cancel a running pipeline (training saves a checkpoint first)', tag: 'pipelines', params: PipelineParams, ok: { status: 202, schema: Cancelled, id: 'Cancelled' }, errors: [404, 409, 503] },
  { method: 'get', path: '/v1/summary', operationId: 'getSummary', summary: 'What the page shows for one corpus (usage, corpora, documents, its runs with progress, its adapters) in one response with an ETag: send If-None-Match, get 304 while nothing changed', tag: 'session', query: SummaryQuery, ok: { status: 200, schema: Summary, id: 'Summary' }, errors: [400] },
  { method: 'get', path: '/v1/adapters', operationId: 'listAdapters', summary: 'The tenant\'s adapters with aliases, evaluation metrics (base vs adapter) and gates', tag: 'adapters', ok: { status: 200, schema: AdapterList, id: 'AdapterList' }, errors: [] },
  { method: 'get', path: '/v1/ops/me', operationId: 'getOperator', summary: 'The signed-in operator (recorded as reviewer and actor)', tag: 'registry', operator: true, ok: { status: 200, schema: OperatorMe, id: 'OperatorMe' }, errors: [] },
  { method: 'get', path: '/v1/ops/adapters', operationId: 'registryOverview', summary: 'Every tenant\'s adapter versions per domain with aliases, metrics, gates and alias history', tag: 'registry', operator: true, ok: { status: 200, schema: RegistryOverview, id: 'RegistryOverview' }, errors: [] },
  { method: 'get', path: '/v1/ops/adapters/:tenant/:domain/:version', operationId: 'registryVersion', summary: 'One version: artifacts, lineage (documents → snapshot → dataset → run) and the model card as safe HTML', tag: 'registry', operator: true, params: VersionParams, ok: { status: 200, schema: VersionDetail, id: 'VersionDetail' }, errors: [400, 404] },
  { method: 'get', path: '/v1/ops/adapters/:tenant/:domain/:version/artifacts/:name', operationId: 'downloadArtifact', summary: 'Download one of the version\'s own stored artifacts (adapter files, manifest, model card, reports)', tag: 'registry', operator: true, params: ArtifactParams, ok: { status: 200, schema: ArtifactBytes, id: 'ArtifactBytes', contentType: 'application/octet-stream' }, errors: [400, 404, 503] },
  { method: 'post', path: '/v1/ops/adapters/:tenant/:domain/rollback', operationId: 'rollbackAlias', summary: 'Move an alias back to the version it held before (as `kgtune adapters rollback`), recorded under the operator\'s name', tag: 'registry', operator: true, params: DomainParams, body: { schema: RollbackBody, id: 'Rollback' }, ok: { status: 200, schema: RollbackResult, id: 'RollbackResult' }, errors: [400, 404, 409] },
  { method: 'get', path: '/v1/ops/approvals', operationId: 'listApprovals', summary: 'Promotions waiting for a human decision', tag: 'registry', operator: true, ok: { status: 200, schema: ApprovalList, id: 'ApprovalList' }, errors: [503] },
  { method: 'post', path: '/v1/ops/approvals/:workflowId/:decision', operationId: 'reviewPromotion', summary: 'Approve or reject a waiting promotion (the validated approve/reject signal; the reviewer is the operator)', tag: 'registry', operator: true, params: ApprovalParams, body: { schema: ReviewBody, id: 'Review' }, ok: { status: 200, schema: ReviewResult, id: 'ReviewResult' }, errors: [400, 404, 409, 503] },
];

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input', 401: 'Missing or invalid API key', 403: 'API key revoked, or a key of the wrong kind (a tenant key on a registry route, an operator key on a tenant route)', 404: 'Not found (or belongs to another tenant)',
  409: 'Conflict with the current state', 413: 'A size, count, quota or zip-bomb limit was exceeded', 415: 'Unsupported or unsafe file type',
  429: 'Rate limit of this key exceeded', 503: 'A backing service is unavailable',
};

function toOpenApiPath(p: string): string {
  return p.replace(/:([A-Za-z]+)/g, '{$1}');
}

function clean(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

export function openApiDocument(config: ApiConfig): Record<string, unknown> {
  const inputs = z.registry<{ id: string }>();
  const outputs = z.registry<{ id: string }>();
  outputs.add(ErrorBody, { id: 'Error' });
  for (const op of OPERATIONS) {
    outputs.add(op.ok.schema, { id: op.ok.id });
    if (op.body && op.body !== 'multipart') inputs.add(op.body.schema, { id: op.body.id });
  }
  const uri = (id: string): string => `#/components/schemas/${id}`;
  const schemas: Record<string, unknown> = {};
  for (const [io, reg] of [['input', inputs], ['output', outputs]] as const) {
    const out = z.toJSONSchema(reg, { uri, io, unrepresentable: 'any' }).schemas;
    for (const [id, s] of Object.entries(out)) schemas[id] = clean(s as Record<string, unknown>);
  }
  schemas.UploadForm = {
    type: 'object',
    properties: { files: { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' }, description: 'One or more file parts (any field name).' } },
  };
  const errorRef = { content: { 'application/json': { schema: { $ref: uri('Error') } } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = op.params
      ? Object.entries((clean(z.toJSONSchema(op.params, { io: 'input' }) as Record<string, unknown>).properties ?? {}) as Record<string, unknown>)
        .map(([name, schema]) => ({ name, in: 'path', required: true, schema }))
      : [];
    if (op.query) {
      for (const [name, schema] of Object.entries((clean(z.toJSONSchema(op.query, { io: 'input' }) as Record<string, unknown>).properties ?? {}) as Record<string, unknown>)) {
        parameters.push({ name, in: 'query', required: false, schema });
      }
    }
    const responses: Record<string, unknown> = {
      [op.ok.status]: { description: 'OK', content: { [op.ok.contentType ?? 'application/json']: { schema: { $ref: uri(op.ok.id) } } } },
    };
    for (const s of [...op.errors, 401, 403, 429].sort()) responses[s] = { description: STATUS_TEXT[s] ?? 'Error', ...errorRef };
    const requestBody = op.body === 'multipart'
      ? { required: true, content: { 'multipart/form-data': { schema: { $ref: uri('UploadForm') } } } }
      : op.body ? { required: true, content: { 'application/json': { schema: { $ref: uri(op.body.id) } } } } : undefined;
    (paths[toOpenApiPath(op.path)] ??= {})[op.method] = {
      operationId: op.operationId, summary: op.summary, tags: [op.tag], parameters, ...(requestBody ? { requestBody } : {}), responses,
      ...(op.operator ? { security: [{ operatorKey: [] }] } : {}),
    };
  }
  const u = config.uploads;
  return {
    openapi: '3.1.0',
    info: {
      title: 'kgtune customer API',
      version: '1',
      description: [
        'Upload a corpus, run the pipeline on it, follow its progress and read the resulting adapters\' evaluations.',
        'Every route is scoped to the tenant of the API key; another tenant\'s resources answer 404.',
        `Limits: ${u.maxFileBytes} bytes per file, ${u.maxRequestBytes} bytes and ${u.maxFilesPerRequest} files per request, ${u.tenantQuotaBytes} bytes stored per tenant (unless set per tenant);`,
        `zip archives: at most ${config.zip.maxEntries} members, ${config.zip.maxTotalUncompressedBytes} bytes inflated, ratio ${config.zip.maxRatio}×, no symlinks or paths leaving the archive;`,
        `${config.rateLimit.max} requests per ${config.rateLimit.windowMs / 1000} s per key; ${config.rateLimit.failedAuthMax} failed authentications per ${config.rateLimit.windowMs / 1000} s per client address.`,
      ].join(' '),
    },
    components: { schemas, securitySchemes: {
      apiKey: { type: 'http', scheme: 'bearer', description: 'kgt_<keyId>.<secret>, from `kgtune tenants create`' },
      operatorKey: { type: 'http', scheme: 'bearer', description: 'kgo_<keyId>.<secret>, from `kgtune operators create <name>`: the registry view (/registry); refused on tenant routes' },
    } },
    security: [{ apiKey: [] }],
    paths,
  };
}
