import type { Tokenizer } from './bpe.js';

export interface ChatPair {
  instruction: string;
  input?: string;
  output: string;
}

/** The chat template: what the model sees before its answer. */
export function promptText(p: Pick<ChatPair, 'instruction' | 'input'>): string {
  const input = p.input?.trim() ? `\n${p.input}` : '';
  return `<|user|>\n${p.instruction}${input}\n<|assistant|>\n`;
}

export interface EncodedExample {
  ids: number[];
  /** 1 where the token is part of the response (loss is computed there only), 0 on the prompt. */
  lossMask: number[];
}

/** <s> prompt response </s>; the loss mask covers the response and </s>. Truncated to maxLen. */
export function encodeChat(tok: Tokenizer, p: ChatPair, maxLen: number): EncodedExample {
  const prompt = [tok.bosId, ...tok.encode(promptText(p))];
  const response = [...tok.encode(p.output), tok.eosId];
  const ids = [...prompt, ...response].slice(0, maxLen);
  const lossMask = [...prompt.map(() => 0), ...response.map(() => 1)].slice(0, maxLen);
  return { ids, lossMask };
}

/** Prompt ids for generation (<s> + template up to the assistant turn). */
export function encodePrompt(tok: Tokenizer, p: Pick<ChatPair, 'instruction' | 'input'>): number[] {
  return [tok.bosId, ...tok.encode(promptText(p))];
}
