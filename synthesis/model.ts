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
