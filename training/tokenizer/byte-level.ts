/**
 * Helpers for HF byte-level BPE (GPT-2, Qwen2, LLaMA-3 tokenizer.json files): the byte ↔ unicode
 * table and the translation of their pre-tokenizer regexes (Oniguruma) to JavaScript.
 */

/** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to U+0100 onwards. */
function buildTables(): { enc: string[]; dec: Map<string, number> } {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const enc: string[] = [];
  const dec = new Map<string, number>();
  bs.forEach((b, i) => {
    const ch = String.fromCodePoint(cs[i]!);
    enc[b] = ch;
    dec.set(ch, b);
  });
  return { enc, dec };
}

const tables = buildTables();

export function bytesToUnicode(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += tables.enc[b]!;
  return out;
}

export function unicodeToBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const b = tables.dec.get(ch);
    if (b !== undefined) out.push(b);
  }
  return new Uint8Array(out);
}

/** GPT-2's pattern, used when a ByteLevel pre-tokenizer has use_regex=true. */
export const GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/**
 * Oniguruma → JS: `(?i:…)` groups (unsupported by Node 20's RegExp) become groups whose letters are
 * [xX] classes. Other constructs used by the common tokenizers (\p{L}, \p{N}, lookahead) are shared.
 */
export function toJsPattern(pattern: string): string {
  return pattern.replace(/\(\?i:((?:[^()\\]|\\.)*)\)/g, (_, body: string) => {
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (ch === '\\') {
        out += ch + (body[i + 1] ?? '');
        i++;
      } else if (/[a-z]/i.test(ch)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
      else out += ch;
    }
    return `(?:${out})`;
  });
}
