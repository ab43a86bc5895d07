/**
 * The ingest stage's contract: zod only, pure (no Node), so workflows may import it. The tenant's PII
 * options (PipelineInput.pii), the ingest activities' payloads, and the one file ingest reads besides the
 * documents: the upload sidecar the API writes next to a stored upload.
 */
import { z } from 'zod';

// ── Options: per-tenant PII policy as given in the pipeline input (applied by ingest/pii.ts). Defaults are the
// behaviour before this option existed: every kind found, replaced by its typed placeholder, nothing allowed.

/**
 * What the detector finds. `enPhone` is every phone number that is not a mainland-China mobile or
 * landline: North-American (NANP), international E.164 (`+44 20 7946 0958`) and UK national forms.
 */
export const PII_KINDS = ['email', 'idCard', 'uscc', 'bankCard', 'mobile', 'landline', 'enPhone'] as const;
export const PiiKind = z.enum(PII_KINDS);
export type PiiKind = z.infer<typeof PiiKind>;

/**
 * `mask`: typed placeholder (`[PHONE]`); `hash`: typed placeholder with a keyed digest of the value
 * (`[PHONE:3f2a9c1b]`), so the same number stays recognisable across documents without being stored —
 * pseudonymisation, not anonymisation; `drop`: the value is removed.
 */
export const PiiAction = z.enum(['mask', 'hash', 'drop']);
export type PiiAction = z.infer<typeof PiiAction>;

export const PiiOptions = z.object({
  /** Kinds redacted; the others stay in the text. */
  kinds: z.array(PiiKind).max(PII_KINDS.length).default([...PII_KINDS]),
  action: PiiAction.default('mask'),
  /**
   * Values never redacted, e.g. a published hotline or investor-relations address. Compared on the
   * value's digits for numbers (`021-6123 4567` allows `02161234567`), case-insensitively for emails.
   */
  allow: z.array(z.string().trim().min(3).max(200)).max(1000).default([]),
});
export type PiiOptions = z.infer<typeof PiiOptions>;
export type PiiOptionsInput = z.input<typeof PiiOptions>;

// ── Activity payloads ────────────────────────────────────────────────────────────────────────────

/** Documents per status (`ingested`, `duplicate`, `failed`, …). */
export const StatusCounts = z.record(z.string(), z.number().int());
export type StatusCounts = z.infer<typeof StatusCounts>;

export const ListCorpusInput = z.object({ source: z.string(), tenant: z.string().optional() });
export type ListCorpusInput = z.infer<typeof ListCorpusInput>;
export const ListCorpusResult = z.object({ files: z.array(z.string()), bytes: z.number() });
export type ListCorpusResult = z.infer<typeof ListCorpusResult>;

/**
 * One page of the sorted listing: the files after `after` (exclusive), at most `limit` of them and at most
 * ~256 KB of names, so the payload stays far below Temporal's 2 MB limit for any corpus size.
 */
export const ListCorpusPageInput = ListCorpusInput.extend({ after: z.string().optional(), limit: z.number().int().optional() });
export type ListCorpusPageInput = z.infer<typeof ListCorpusPageInput>;
/** `next`: the cursor for the following page (absent on the last page); `total` counts every file. */
export const ListCorpusPageResult = z.object({ files: z.array(z.string()), next: z.string().optional(), total: z.number().int() });
export type ListCorpusPageResult = z.infer<typeof ListCorpusPageResult>;

export const IngestFailure = z.object({ file: z.string(), status: z.string(), reason: z.string() });
export type IngestFailure = z.infer<typeof IngestFailure>;

export const IngestBatchInput = z.object({
  tenant: z.string(), corpus: z.string(), source: z.string(), files: z.array(z.string()), industry: z.string(),
  /** The tenant's redaction policy; absent: every kind masked. */
  pii: PiiOptions.optional(),
});
export type IngestBatchInput = z.infer<typeof IngestBatchInput>;
export const IngestBatchResult = z.object({ counts: StatusCounts, chunks: z.number().int(), failures: z.array(IngestFailure) });
/** A batch's progress, the ingest activity's heartbeat details: a retried attempt continues after `done` files. */
export const IngestBatchProgress = IngestBatchResult.extend({ done: z.number().int().nonnegative() });
export type IngestBatchProgress = z.infer<typeof IngestBatchProgress>;
export type IngestBatchResult = z.infer<typeof IngestBatchResult>;

export const DiscoverTermsInput = z.object({ tenant: z.string(), corpus: z.string(), industry: z.string() });
export type DiscoverTermsInput = z.infer<typeof DiscoverTermsInput>;
export const DiscoverTermsResult = z.object({ terms: z.number().int(), top: z.array(z.string()) });
export type DiscoverTermsResult = z.infer<typeof DiscoverTermsResult>;

// ── Artifact layout ──────────────────────────────────────────────────────────────────────────────

/** An upload the API stored as `<sha256>.<ext>`; its original name is in the hidden sidecar `.<sha256>.meta.json`. */
export const STORED_UPLOAD = /^([0-9a-f]{64})\.[a-z0-9]+$/;
export const uploadMetaFile = (sha256: string): string => `.${sha256}.meta.json`;
export const UploadMeta = z.object({ originalName: z.string().optional(), name: z.string().optional() });
export type UploadMeta = z.infer<typeof UploadMeta>;
