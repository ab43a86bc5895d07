import { z } from 'zod';

/** Alpaca (LLaMA-Factory "alpaca" formatting): one object per example in a JSON array. */
export const AlpacaRecord = z.object({
  instruction: z.string().min(1),
  input: z.string(),
  output: z.string().min(1),
  system: z.string().optional(),
  history: z.array(z.tuple([z.string(), z.string()])).optional(),
});
export const AlpacaFile = z.array(AlpacaRecord);
export type AlpacaRecord = z.infer<typeof AlpacaRecord>;

const ShareGptTurn = z.object({ from: z.enum(['human', 'gpt', 'function_call', 'observation']), value: z.string().min(1) });

/** ShareGPT (LLaMA-Factory "sharegpt" formatting): human/gpt turns alternate, human first, gpt last. */
export const ShareGptRecord = z
  .object({ conversations: z.array(ShareGptTurn).min(2), system: z.string().optional() })
  .refine(
    (r) => r.conversations.every((t, i) => t.from === (i % 2 === 0 ? 'human' : 'gpt')) && r.conversations.length % 2 === 0,
    'conversations must alternate human/gpt, starting with human and ending with gpt',
  );
export const ShareGptFile = z.array(ShareGptRecord);
export type ShareGptRecord = z.infer<typeof ShareGptRecord>;

const ChatMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string().min(1) });

/** One line of an OpenAI chat fine-tuning JSONL file. */
export const OpenAiChatLine = z
  .object({ messages: z.array(ChatMessage).min(2) })
  .refine((l) => l.messages.at(-1)?.role === 'assistant', 'the last message must be the assistant\'s')
  .refine((l) => l.messages.filter((m) => m.role === 'system').every((_, i) => l.messages[i]?.role === 'system'), 'system messages come first');
export type OpenAiChatLine = z.infer<typeof OpenAiChatLine>;

/** One entry of LLaMA-Factory's data/dataset_info.json. */
export const LlamaFactoryEntry = z.discriminatedUnion('formatting', [
  z.object({
    file_name: z.string().min(1),
    formatting: z.literal('alpaca'),
    columns: z.object({ prompt: z.string(), query: z.string().optional(), response: z.string(), system: z.string().optional(), history: z.string().optional() }),
  }),
  z.object({
    file_name: z.string().min(1),
    formatting: z.literal('sharegpt'),
    columns: z.object({ messages: z.string(), system: z.string().optional() }),
    tags: z.object({ role_tag: z.string(), content_tag: z.string(), user_tag: z.string(), assistant_tag: z.string() }),
  }),
]);
export const LlamaFactoryDatasetInfo = z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), LlamaFactoryEntry);
export type LlamaFactoryDatasetInfo = z.infer<typeof LlamaFactoryDatasetInfo>;

/** Parse an OpenAI chat JSONL file (every line validated). */
export function parseOpenAiJsonl(text: string): OpenAiChatLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => OpenAiChatLine.parse(JSON.parse(l)));
}
