/**
 * Request and response shapes of the API, as zod schemas: handlers parse inputs with them and
 * the OpenAPI document is generated from them (openapi.ts), so the two cannot drift apart.
 */
import { z } from 'zod';
import { PipelineInput } from '../configs/pipeline-input.js';
import { ApiError, ERROR_CODES } from './errors.js';

export const CorpusId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, - and _, 1–63 chars, starting with a letter or digit')
  .meta({ description: 'Corpus name (also its folder name).', example: 'reports-2024' });
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]),
    message: z.string(),
  }),
});

export const CorpusParams = z.object({ corpus: CorpusId });
export const PipelineParams = z.object({ workflowId: z.string().min(1).max(300) });
export const DocumentParams = z.object({ corpus: CorpusId, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256') });
export const Deleted = z.object({ deleted: z.boolean(), usage: z.object({ bytes: z.number().int(), quotaBytes: z.number().int() }) });
export const Cancelled = z.object({ workflowId: z.string(), cancelRequested: z.boolean() });

export const Me = z.object({
  tenant: z.string(),
  keyId: z.string(),
  usage: z.object({ bytes: z.number().int(), quotaBytes: z.number().int() }),
  limits: z.object({ maxFileBytes: z.number().int(), maxRequestBytes: z.number().int(), maxFilesPerRequest: z.number().int() }),
});

export const Corpus = z.object({
  corpus: z.string(),
  files: z.number().int().meta({ description: 'Uploaded files stored for this corpus.' }),
  bytes: z.number().int(),
  documents: z.record(z.string(), z.number().int()).meta({ description: 'Documents in the knowledge graph by ingest status.' }),
});
export const CorpusList = z.object({ corpora: z.array(Corpus) });

export const DocumentStatus = z.enum(['uploaded', 'ingesting', 'ingested', 'duplicate', 'needs_ocr', 'encrypted', 'failed', 'empty'])
  .meta({ description: '`uploaded`: stored, not ingested yet; the others come from ingestion.' });
export const Document = z.object({
  sha256: Sha256,
  name: z.string(),
  mime: z.string().nullable(),
  size: z.number().int().nullable(),
  pages: z.number().int().nullable(),
  status: DocumentStatus,
  reason: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  uploadedAt: z.string().nullable(),
});
export const DocumentList = z.object({ corpus: z.string(), documents: z.array(Document) });

export const UploadedFile = z.object({
  name: z.string(),
  archive: z.string().optional().meta({ description: 'The archive this file came out of.' }),
  sha256: Sha256,
  size: z.number().int(),
  mime: z.string(),
  status: z.enum(['stored', 'duplicate']),
});
export const UploadResult = z.object({
  corpus: z.string(),
  files: z.array(UploadedFile),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  usage: z.object({ bytes: z.number().int(), quotaBytes: z.number().int() }),
});

export const StartPipelineBody = PipelineInput.omit({ tenant: true, corpus: true, source: true });
export const StartPipelineResult = z.object({ workflowId: z.string(), attached: z.boolean().meta({ description: 'true when a run with the same tenant, corpus and config already existed' }) });

export const StageProgress = z.object({
  name: z.string(),
  status: z.enum(['pending', 'running', 'done', 'skipped', 'failed']),
  percent: z.number(),
  summary: z.string().nullable(),
});
export const Pipeline = z.object({
  workflowId: z.string(),
  status: z.string().meta({ description: 'Temporal execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT …' }),
  corpus: z.string().nullable(),
  domain: z.string().nullable(),
  startTime: z.string(),
  closeTime: z.string().nullable(),
  outcome: z.string().nullable().meta({ description: 'Outcome search attribute: registered, blocked-by-gates, failed or canceled; null while running.' }),
  failedStage: z.string().nullable(),
  failureReason: z.string().nullable().meta({ description: 'One line: why the run failed.' }),
});
export const PipelineList = z.object({ pipelines: z.array(Pipeline) });
export const PipelineDetail = Pipeline.extend({
  progress: z.object({
    stage: z.string(), percent: z.number(), stages: z.array(StageProgress), counts: z.record(z.string(), z.number()),
    training: z.object({ step: z.number().int(), total: z.number().int(), loss: z.number().nullable(), etaSeconds: z.number().nullable() }).nullable()
      .meta({ description: 'Training step / total, last loss and estimated seconds left (while and after the train stage runs).' }),
    outcome: z.enum(['registered', 'blocked-by-gates', 'failed', 'canceled']).nullable().meta({ description: 'How the run ended; null while it runs.' }),
    failure: z.object({ stage: z.string(), reason: z.string() }).nullable().meta({ description: 'The stage that failed and why, in one line.' }),
  }).nullable(),
  progressUnavailable: z.string().nullable().meta({ description: 'Why progress could not be read (e.g. no worker is running).' }),
});

export const MetricPoint = z.object({ metric: z.string(), base: z.number().nullable(), adapter: z.number().nullable() });
export const Gate = z.object({
  name: z.string(),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  comparator: z.enum(['>=', '<=', '==']).nullable().meta({ description: 'Direction: the gate passes when value <comparator> threshold.' }),
  passed: z.boolean(),
  detail: z.string().nullable(),
});
export const Adapter = z.object({
  adapterId: z.string(),
  domain: z.string(),
  version: z.number().int(),
  sha256: z.string().nullable(),
  aliases: z.array(z.string()),
  createdAt: z.string().nullable(),
  corpus: z.string().nullable().meta({ description: 'The corpus the adapter learned from (its graph snapshot\'s).' }),
  passed: z.boolean().nullable(),
  metrics: z.array(MetricPoint),
  gates: z.array(Gate),
});
export const AdapterList = z.object({ adapters: z.array(Adapter) });

export const SummaryQuery = z.object({ corpus: CorpusId.optional() });
export const Summary = z.object({
  me: Me,
  corpora: z.array(Corpus),
  corpus: z.string().nullable(),
  documents: z.array(Document),
  pipelines: z.array(PipelineDetail),
  adapters: z.array(Adapter),
}).meta({ description: 'Everything the page shows for one corpus, in one response with an ETag: poll it with If-None-Match (304 when nothing changed).' });

/** Parse or fail with 400 and the fields named. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string, code: 'bad_request' | 'invalid_corpus' = 'bad_request'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ApiError(code, `invalid ${what}: ${r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ')}`);
}
