import { z } from 'zod';

/** Where a fact is stated: a sentence span inside a chunk, on a page of a document. */
export const Evidence = z.object({
  chunkId: z.string(),
  docSha256: z.string(),
  page: z.number().int().positive(),
  /** [start, end) of the sentence, relative to the chunk text. */
  sentenceStart: z.number().int().nonnegative(),
  sentenceEnd: z.number().int().nonnegative(),
  sentence: z.string(),
  confidence: z.number().min(0).max(1),
});
export type Evidence = z.infer<typeof Evidence>;

/** Why two names were merged into one entity (entity resolution is explainable). */
export const EntityMerge = z.object({
  /** e.g. `abbreviation` (以下简称), `parenthetical` (英伟达（NVIDIA）), `normalized-form` (case, width, 繁/简). */
  rule: z.string(),
  /** The name merged into the entity. */
  alias: z.string(),
  evidence: z.object({ chunkId: z.string(), sentenceStart: z.number().int(), sentenceEnd: z.number().int(), sentence: z.string() }).optional(),
});
export type EntityMerge = z.infer<typeof EntityMerge>;

export const EntityRecord = z.object({
  /** Stable id: hash of (tenant, canonical name). */
  id: z.string(),
  name: z.string(),
  type: z.string(),
  aliases: z.array(z.string()).default([]),
  /** Added by graph/: merge decisions and the chunks mentioning the entity (optional for other producers). */
  merges: z.array(EntityMerge).optional(),
  mentions: z.array(z.string()).optional(),
});
export type EntityRecord = z.infer<typeof EntityRecord>;

export const FactRecord = z.object({
  /** Stable id: hash of (tenant, subjectId, predicate, object). */
  id: z.string(),
  subjectId: z.string(),
  subject: z.string(),
  subjectType: z.string(),
  /** Relation type from the industry pack, UPPER_SNAKE (e.g. LOCATED_IN, PRICED_AT, RELATED_TO) or ATTR:<key>. */
  predicate: z.string(),
  /** Object: an entity (objectId set) or a literal value. */
  objectId: z.string().optional(),
  object: z.string(),
  objectType: z.string(),
  confidence: z.number().min(0).max(1),
  lang: z.enum(['zh', 'en', 'mixed']),
  evidence: z.array(Evidence).min(1),
  /** Set by readSnapshot when the fact lost its last evidence after the snapshot pinned it (document withdrawn). */
  withdrawn: z.boolean().optional(),
});
export type FactRecord = z.infer<typeof FactRecord>;

/** What synthesis reads: the pinned content of one GraphSnapshot. */
export const SnapshotData = z.object({
  snapshotId: z.string(),
  tenant: z.string(),
  corpus: z.string(),
  entities: z.array(EntityRecord),
  facts: z.array(FactRecord),
});
export type SnapshotData = z.infer<typeof SnapshotData>;
