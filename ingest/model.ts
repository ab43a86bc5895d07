import { z } from 'zod';

/** Status of one document after ingestion. Anything but `ingested` carries a reason. */
/** `ingesting`: stored, chunks not yet all written (a crash leaves it so; the next attempt redoes it). */
export const DocumentStatus = z.enum(['ingesting', 'ingested', 'duplicate', 'needs_ocr', 'encrypted', 'failed', 'empty']);
export type DocumentStatus = z.infer<typeof DocumentStatus>;

export const Lang = z.enum(['zh', 'en', 'mixed']);
export type Lang = z.infer<typeof Lang>;

export const DocumentRecord = z.object({
  /** SHA-256 of the file's bytes (hex): the document's identity. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string(),
  mime: z.string(),
  pages: z.number().int().nonnegative(),
  status: DocumentStatus,
  reason: z.string().optional(),
  /** sha256 of the document this one duplicates (exact or near). */
  duplicateOf: z.string().optional(),
  piiCounts: z.record(z.string(), z.number().int()).default({}),
  chars: z.number().int().nonnegative().default(0),
  /** Text encoding detected for text formats (utf-8, gb18030, big5 …). */
  encoding: z.string().optional(),
  /** Notes that did not stop ingestion (e.g. owner-password-only PDF). */
  warnings: z.array(z.string()).optional(),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

export const ChunkRecord = z.object({
  /** Stable id: sha256(docSha256 + ':' + page + ':' + start + ':' + end) hex, first 32 chars. */
  id: z.string(),
  docSha256: z.string(),
  page: z.number().int().positive(),
  /** Character offsets into the normalized (and redacted) text of that page. */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string(),
  lang: Lang,
  /** Sentence boundaries inside `text`, as [start, end) offsets relative to the chunk. */
  sentences: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** When this chunk is a near-duplicate of an already stored chunk. */
  duplicateOf: z.string().optional(),
});
export type ChunkRecord = z.infer<typeof ChunkRecord>;

export const DiscoveredTerm = z.object({ term: z.string(), freq: z.number().int(), score: z.number() });
export type DiscoveredTerm = z.infer<typeof DiscoveredTerm>;
