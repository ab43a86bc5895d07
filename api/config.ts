/**
 * Limits and knobs of the customer upload API, validated with zod. Defaults suit one machine
 * serving a handful of tenants; every value can be overridden by an environment variable
 * (see `apiConfigFromEnv`) or, for the quota, per tenant (`kgtune tenants create --quota-bytes`).
 */
import { z } from 'zod';
import { KdfParams } from '../client/index.js';
import { processEnv } from '../configs/env.js';

const MiB = 1024 * 1024;
const bytes = z.coerce.number().int().positive();

export const UploadLimits = z.object({
  /** Largest single file, uploaded or extracted from an archive: 50 MiB covers long scanned PDFs. */
  maxFileBytes: bytes.default(50 * MiB),
  /** All bytes of one request's files (before extraction). */
  maxRequestBytes: bytes.default(200 * MiB),
  /** Files per request, counting archive members: bounds the work one request can cause. */
  maxFilesPerRequest: bytes.default(200),
  /** Stored bytes per tenant, over all its corpora, unless the Tenant node sets `quotaBytes`. */
  tenantQuotaBytes: bytes.default(1024 * MiB),
});
export type UploadLimits = z.infer<typeof UploadLimits>;

export const ZipLimits = z.object({
  /** Members per archive (a .docx counts too: it is a zip). */
  maxEntries: bytes.default(1000),
  /** Sum of the members' uncompressed sizes: the zip-bomb ceiling. */
  maxTotalUncompressedBytes: bytes.default(500 * MiB),
  /**
   * Uncompressed/compressed ratio allowed for a member (and the whole archive). Text deflates
   * ~3–10×, XML in .docx up to ~30×; 100× is far beyond documents and far below bombs (≥1000×).
   */
  maxRatio: bytes.default(100),
  /** Members smaller than this are exempt from the ratio check (tiny files compress oddly). */
  ratioExemptBelowBytes: bytes.default(64 * 1024),
});
export type ZipLimits = z.infer<typeof ZipLimits>;

export const RateLimit = z.object({
  /** Requests per verified key per window (a page polling one summary every 5 s makes 12 a minute). */
  max: bytes.default(300),
  /** Failed authentications (no, malformed, unknown, wrong or revoked key) per client address per window. */
  failedAuthMax: bytes.default(30),
  windowMs: bytes.default(60_000),
});
export type RateLimit = z.infer<typeof RateLimit>;

export const ApiConfig = z.object({
  uploads: UploadLimits.default(UploadLimits.parse({})),
  zip: ZipLimits.default(ZipLimits.parse({})),
  rateLimit: RateLimit.default(RateLimit.parse({})),
  kdf: KdfParams.default(KdfParams.parse({})),
  /** How long a verified key is remembered in memory (revocation is still checked on every request). */
  keyCacheMs: z.number().int().min(0).default(5 * 60_000),
});
export type ApiConfig = z.infer<typeof ApiConfig>;
export type ApiConfigInput = z.input<typeof ApiConfig>;

/** Environment overrides: KGTUNE_API_MAX_FILE_BYTES, …_MAX_REQUEST_BYTES, …_MAX_FILES, …_TENANT_QUOTA_BYTES, …_ZIP_MAX_RATIO, …_ZIP_MAX_TOTAL_BYTES, …_ZIP_MAX_ENTRIES, …_RATE_LIMIT (per minute). */
export function apiConfigFromEnv(source: NodeJS.ProcessEnv = processEnv()): ApiConfig {
  const v = (k: string): string | undefined => (source[`KGTUNE_API_${k}`] === '' ? undefined : source[`KGTUNE_API_${k}`]);
  return ApiConfig.parse({
    uploads: { maxFileBytes: v('MAX_FILE_BYTES'), maxRequestBytes: v('MAX_REQUEST_BYTES'), maxFilesPerRequest: v('MAX_FILES'), tenantQuotaBytes: v('TENANT_QUOTA_BYTES') },
    zip: { maxRatio: v('ZIP_MAX_RATIO'), maxTotalUncompressedBytes: v('ZIP_MAX_TOTAL_BYTES'), maxEntries: v('ZIP_MAX_ENTRIES') },
    rateLimit: { max: v('RATE_LIMIT') },
  });
}
