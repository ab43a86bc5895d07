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
});
export type Example = z.infer<typeof Example>;
