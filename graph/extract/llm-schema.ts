/** The JSON an LLM must answer with (zod at the edge), and the same shape as a JSON schema for constrained decoding. */
import { z } from 'zod';

export const LlmTriple = z.object({
  subject: z.string().min(1).max(200),
  subjectType: z.string().min(1).max(64),
  predicate: z.string().min(1).max(64),
  object: z.string().min(1).max(200),
  objectType: z.string().min(1).max(64),
  /** The sentence stating the triple, copied from the text: the evidence, checked against the chunk. */
  sentence: z.string().max(2000).optional(),
});
export type LlmTriple = z.infer<typeof LlmTriple>;
export const LlmReply = z.object({ triples: z.array(LlmTriple).max(200) });
export type LlmReply = z.infer<typeof LlmReply>;

/** Most triples a constrained local model may emit per chunk (a small model otherwise repeats itself until maxTokens). */
export const MAX_LOCAL_TRIPLES = 8;

/** JSON schema for grammar-constrained decoding: predicates and types limited to the pack's. */
export function replyJsonSchema(entityTypes: string[], objectTypes: string[], relations: string[]) {
  // No maxLength: llama.cpp grammars expand it into nested optional rules, which made sampling crawl; maxItems and maxTokens bound the reply.
  const name = { type: 'string' } as const;
  const quote = { type: 'string' } as const;
  return {
    type: 'object',
    properties: {
      triples: {
        type: 'array',
        maxItems: MAX_LOCAL_TRIPLES,
        items: {
          type: 'object',
          properties: {
            subject: name,
            subjectType: { enum: entityTypes },
            predicate: { enum: relations },
            object: name,
            objectType: { enum: objectTypes },
            sentence: quote,
          },
          required: ['subject', 'subjectType', 'predicate', 'object', 'objectType', 'sentence'],
        },
      },
    },
    required: ['triples'],
  } as const;
}
