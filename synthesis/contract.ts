/**
 * The synthesis stage's contract: zod only, pure (no Node), so workflows may import it. The pipeline's
 * `synthesis` options, the instruction pair (`Example`) every later stage reads, the activity payloads and
 * the dataset folder's layout (read back by synthesis/dataset-files.ts).
 */
import { z } from 'zod';

export const ExampleType = z.enum(['fact_qa', 'attribute_qa', 'relation_qa', 'reverse_qa', 'multi_hop', 'list', 'definition', 'true_false', 'refusal']);
export type ExampleType = z.infer<typeof ExampleType>;

export const Split = z.enum(['train', 'val', 'test_paraphrase', 'test_heldout']);
export type Split = z.infer<typeof Split>;

/** One instruction pair with its provenance. */
export const Example = z.object({
  id: z.string(),
  type: ExampleType,
  lang: z.enum(['zh', 'en']),
  split: Split,
  instruction: z.string().min(1),
  input: z.string().default(''),
  output: z.string().min(1),
  /** For evaluation: the gold object(s) an answer must contain ('' for refusals). */
  gold: z.array(z.string()).default([]),
  factIds: z.array(z.string()),
  chunkIds: z.array(z.string()),
  /** Citations (document name/sha, page) when configured. */
  citations: z.array(z.object({ docSha256: z.string(), page: z.number().int() })).default([]),
  templateId: z.string(),
  /** Added by synthesis: relation type(s) the example is about (multi-hop: both hops), e.g. ['LOCATED_IN']. */
  predicates: z.array(z.string()).optional(),
  /** Added by synthesis: graph entities the question is about (absent-entity refusals: none). */
  entityIds: z.array(z.string()).optional(),
  /** Added by synthesis: for true_false, whether the statement asked about is true. */
  label: z.boolean().optional(),
  /** Added by synthesis: for refusals, why the documents cannot answer. */
  refusalKind: z.enum(['absent_entity', 'absent_relation']).optional(),
  /** Added by synthesis: the triple a true_false statement asserts, or a refusal asks about (object unset). */
  claim: z
    .object({ subject: z.string(), subjectId: z.string().optional(), predicate: z.string(), object: z.string().optional(), objectId: z.string().optional() })
    .optional(),
});
export type Example = z.infer<typeof Example>;

// ── Options ──────────────────────────────────────────────────────────────────────────────────────

/** The pipeline input's `synthesis` block (the stage's full options: synthesis/options.ts). */
export const PipelineSynthesisOptions = z.object({
  /** Examples wanted across all splits; fewer come out when the graph cannot support more. */
  targetSize: z.number().int().min(10).max(1_000_000).default(1200),
});
export type PipelineSynthesisOptions = z.infer<typeof PipelineSynthesisOptions>;

// ── Activity payloads ────────────────────────────────────────────────────────────────────────────

export const SynthesizeDatasetInput = z.object({
  tenant: z.string(), corpus: z.string(), snapshotId: z.string(), industry: z.string(), seed: z.number().int(), targetSize: z.number().int(),
});
export type SynthesizeDatasetInput = z.infer<typeof SynthesizeDatasetInput>;

export const SynthesizeDatasetResult = z.object({
  datasetId: z.string(),
  digest: z.string(),
  /** The dataset folder (layout below). */
  dir: z.string(),
  /** Examples per type (types with none left out). */
  counts: z.record(z.string(), z.number().int()),
  bySplit: z.record(z.string(), z.number().int()),
});
export type SynthesizeDatasetResult = z.infer<typeof SynthesizeDatasetResult>;

// ── Artifact layout ──────────────────────────────────────────────────────────────────────────────
// `<artifacts>/<tenant>/datasets/<digest>/`: EXAMPLES_FILE (one Example per line, canonical JSON), the exports
// (Alpaca, ShareGPT, OpenAI chat, LLaMA-Factory), the card (README.md) and MANIFEST_FILE, written atomically.

export const EXAMPLES_FILE = 'examples.jsonl';
export const MANIFEST_FILE = 'manifest.json';

/** What writeDataset records: the dataset digest and each file's sha256. */
export const DatasetManifest = z.object({ digest: z.string().optional(), files: z.record(z.string(), z.string()).optional() });
export type DatasetManifest = z.infer<typeof DatasetManifest>;

/** The Dataset node's id for a dataset digest. */
export const datasetIdOf = (digest: string): string => `ds_${digest.slice(0, 24)}`;
