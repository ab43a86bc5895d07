/**
 * API errors: every failure leaves the server as `{ error: { code, message } }` with a stable
 * code; stack traces and driver messages never do (they go to the log).
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { KgtuneError } from '../configs/pure/errors.js';

export const ERROR_CODES = {
  bad_request: 400,
  invalid_corpus: 400,
  missing_key: 401,
  invalid_key: 401,
  key_revoked: 403,
  operator_only: 403,
  tenant_only: 403,
  not_found: 404,
  corpus_empty: 409,
  already_ended: 409,
  conflict: 409,
  file_too_large: 413,
  request_too_large: 413,
  too_many_files: 413,
  quota_exceeded: 413,
  zip_bomb: 413,
  unsupported_type: 415,
  unsafe_archive: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** `code` is the stable code of the response body; a client may retry what is rate-limited or unavailable. */
export class ApiError extends KgtuneError {
  readonly type = 'ApiError';
  readonly statusCode: number;
  get code(): ErrorCode { return this.apiCode; }
  get retryable(): boolean { return this.statusCode === 429 || this.statusCode === 503; }
  constructor(private readonly apiCode: ErrorCode, message: string) {
    super(message);
    this.statusCode = ERROR_CODES[apiCode];
  }
}

export interface ErrorBody { error: { code: ErrorCode; message: string } }

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Fastify and plugin errors (by their `code`) mapped to ours. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_FILES_LIMIT: 'too_many_files',
  FST_PARTS_LIMIT: 'too_many_files',
  FST_FIELDS_LIMIT: 'bad_request',
  FST_REQ_FILE_TOO_LARGE: 'file_too_large',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_type',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'bad_request',
  FST_PROTO_VIOLATION: 'bad_request',
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as Partial<FastifyError> & { name?: string };
  const mapped = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return new ApiError(mapped, mapped === 'unsupported_type' ? 'unsupported content type for this route' : publicMessage(e.message));
  if (e.name === 'SyntaxError' || e.statusCode === 400) return new ApiError('bad_request', 'malformed request');
  if (e.code === 'ServiceUnavailable' || e.code === 'SessionExpired') return new ApiError('service_unavailable', 'the database is not reachable; try again shortly');
  return new ApiError('internal_error', 'internal error');
}

/** Plugin messages are fine to show; cut them to one line and a sane length. */
function publicMessage(m: string | undefined): string {
  return (m ?? 'bad request').split('\n')[0]!.slice(0, 200);
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const api = toApiError(err);
    if (api.statusCode >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: api.code }, api.message);
    void reply.code(api.statusCode).type('application/json').send(errorBody(api.code, api.message));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}
