import { Template } from '@huggingface/jinja';
import { TrainingError } from '../errors.js';
import type { Tokenizer } from './tokenizer.js';

export interface ChatPair {
  instruction: string;
  input?: string;
  output: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The built-in tokenizer's chat template (tokenizer_config.json `chat_template`):
 * `<s><|user|>\n{question}\n<|assistant|>\n{answer}</s>`.
 */
export const BUILTIN_CHAT_TEMPLATE =
  "{{ bos_token }}{% for m in messages %}{% if m.role == 'user' %}{{ '<|user|>\\n' + m.content + '\\n' }}{% elif m.role == 'assistant' %}{{ '<|assistant|>\\n' + m.content + eos_token }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

/** The user turn of an instruction pair: the instruction, then the input on its own line. */
export function userContent(p: Pick<ChatPair, 'instruction' | 'input'>): string {
  return p.input?.trim() ? `${p.instruction}\n${p.input}` : p.instruction;
}

/** The built-in template's prompt text after <s> (what the tiny base sees before its answer). */
export function promptText(p: Pick<ChatPair, 'instruction' | 'input'>): string {
  return `<|user|>\n${userContent(p)}\n<|assistant|>\n`;
}

const compiled = new Map<string, Template>();

/**
 * Render messages with the tokenizer's chat template as transformers' `apply_chat_template(…,
 * tokenize=False)` does: the special tokens of tokenizer_config.json are in scope (jinja provides
 * `raise_exception`; its message ends up in the TokenizerError).
 */
export function renderChat(tok: Tokenizer, messages: ChatMessage[], addGenerationPrompt: boolean, extra: Record<string, unknown> = {}): string {
  const source = tok.chatTemplate;
  if (source === undefined) throw new TrainingError('TokenizerError', 'tokenizer_config.json has no chat_template');
  let template = compiled.get(source);
  if (!template) {
    try {
      template = new Template(source);
    } catch (err) {
      throw new TrainingError('TokenizerError', `chat_template does not parse: ${(err as Error).message}`);
    }
    compiled.set(source, template);
  }
  const c = tok.config;
  try {
    return template.render({
      messages,
      add_generation_prompt: addGenerationPrompt,
      bos_token: c.bos_token ?? '',
      eos_token: c.eos_token ?? '',
      pad_token: c.pad_token ?? '',
      unk_token: c.unk_token ?? '',
      ...extra,
    });
  } catch (err) {
    throw new TrainingError('TokenizerError', `chat_template failed to render: ${(err as Error).message}`);
  }
}

export interface EncodedExample {
  ids: number[];
  /** 1 where the token is part of an assistant turn (loss is computed there only), 0 elsewhere. */
  lossMask: number[];
}

/**
 * UTF-8 byte length of each token as it stands in the encoded text: byte-level tokens hold one
 * character per byte, byte-fallback tokens `<0xNN>` one byte, the built-in "▁" one space.
 */
function tokenByteLengths(tok: Tokenizer, ids: number[]): number[] {
  const utf8 = new TextEncoder();
  return ids.map((id) => {
    const t = tok.token(id);
    if (t === undefined) throw new TrainingError('TokenizerError', `token id ${id} is not in the vocabulary`);
    if (tok.addedTokens.has(t)) return utf8.encode(t).length;
    if (tok.byteLevel) return Array.from(t).length;
    if (/^<0x[0-9A-F]{2}>$/.test(t)) return 1;
    return utf8.encode(t.replaceAll('\u2581', ' ')).length;
  });
}

/**
 * A conversation → ids of its rendered text and a loss mask covering the assistant turns. Assistant
 * turn i is learned from the end of the rendering of messages[0..i) with the generation prompt up to
 * the end of its content and the end-of-turn token that follows it (the first added token after the
 * content when turn i is rendered last: `<|im_end|>`, `<|eot_id|>`, `</s>`). Templates that render
 * earlier turns differently (Qwen3 drops their <think> block) are handled: the content is searched
 * for in the whole rendering. The whole text is tokenized at once (ids identical to
 * `apply_chat_template(tokenize=True)`) and tokens are mapped to spans by byte offsets. Truncated
 * to maxLen.
 */
export function encodeConversation(tok: Tokenizer, messages: ChatMessage[], maxLen: number): EncodedExample {
  const enc = new TextEncoder();
  const full = renderChat(tok, messages, false);
  const spans: [number, number][] = [];
  messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    const fail = (why: string) => new TrainingError('TokenizerError', `chat_template: assistant turn ${i}: ${why}, so its tokens cannot be told apart`);
    const before = renderChat(tok, messages.slice(0, i), true);
    if (!full.startsWith(before)) throw fail('the prompt before it is not a prefix of the whole conversation');
    const upto = renderChat(tok, messages.slice(0, i + 1), false);
    const content = m.content.trim();
    const inUpto = upto.lastIndexOf(content);
    const at = full.indexOf(content, before.length);
    if (inUpto < 0 || at < 0) throw fail('its content does not appear in the rendering');
    const tail = upto.slice(inUpto + content.length);
    let endOfTurn = '';
    let first = Infinity;
    for (const t of tok.addedTokens) {
      const k = tail.indexOf(t);
      if (k >= 0 && k < first) [first, endOfTurn] = [k, tail.slice(0, k + t.length)];
    }
    let end = at + content.length;
    if (endOfTurn && full.startsWith(endOfTurn, end)) end += endOfTurn.length;
    spans.push([enc.encode(before).length, enc.encode(full.slice(0, end)).length]);
  });
  const ids = tok.encode(full);
  const lens = tokenByteLengths(tok, ids);
  const total = lens.reduce((a, b) => a + b, 0);
  if (total !== enc.encode(full).length) {
    throw new TrainingError('TokenizerError', `tokens cover ${total} bytes of a ${enc.encode(full).length}-byte rendered chat (a normalizer changed the text): cannot place the loss mask`);
  }
  const lossMask: number[] = [];
  let at = 0;
  for (const n of lens) {
    lossMask.push(spans.some(([a, b]) => at >= a && at < b) ? 1 : 0);
    at += n;
  }
  return { ids: ids.slice(0, maxLen), lossMask: lossMask.slice(0, maxLen) };
}

/** An instruction pair as a user turn and an assistant turn. */
export function pairMessages(p: ChatPair): ChatMessage[] {
  return [
    { role: 'user', content: userContent(p) },
    { role: 'assistant', content: p.output },
  ];
}

/** Instruction pair → ids and loss mask (assistant tokens only), through the chat template. */
export function encodeChat(tok: Tokenizer, p: ChatPair, maxLen: number): EncodedExample {
  return encodeConversation(tok, pairMessages(p), maxLen);
}

/** The rendered prompt for generation: the user turn and the generation prompt. */
export function chatPrompt(tok: Tokenizer, p: Pick<ChatPair, 'instruction' | 'input'>): string {
  return renderChat(tok, [{ role: 'user', content: userContent(p) }], true);
}

/** Prompt ids for generation (the chat template up to the assistant turn). */
export function encodePrompt(tok: Tokenizer, p: Pick<ChatPair, 'instruction' | 'input'>): number[] {
  return tok.encode(chatPrompt(tok, p));
}
