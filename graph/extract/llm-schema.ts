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

/** JSON schema for grammar-constrained decoding: predicates and types limited to the pack's, strings bounded so a small model cannot ramble past maxTokens. */
export function replyJsonSchema(entityTypes: string[], objectTypes: string[], relations: string[]) {
  const name = { type: 'string', maxLength: 120 } as const;
  const quote = { type: 'string', maxLength: 400 } as const;
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
