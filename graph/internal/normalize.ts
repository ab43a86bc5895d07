import * as OpenCC from 'opencc-js';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });

/**
 * Length-preserving width fold: full-width ASCII (U+FF01–FF5E) to ASCII and the ideographic
 * space to a space, so patterns are written once and offsets stay valid.
 */
export function foldWidth(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCodePoint(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Traditional → simplified (OpenCC, Taiwan variants). */
export function simplify(s: string): string {
  return toSimplified(s);
}

/**
 * The key under which names are the same entity: NFKC (width), simplified script, lower case,
 * no whitespace or punctuation ("Acme Robotics Co., Ltd." ≡ "ACME ROBOTICS CO LTD").
 */
export function nameKey(name: string): string {
  return simplify(name.normalize('NFKC')).toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Literal values compare on this form: NFKC, lower case, no spaces or thousands separators. */
export function literalKey(value: string): string {
  return simplify(value.normalize('NFKC')).toLowerCase().replace(/[\s,，]+/gu, '');
}

export const HAN = /\p{Script=Han}/u;
export const hasHan = (s: string): boolean => HAN.test(s);
export const hasLatin = (s: string): boolean => /[A-Za-z]/.test(s);
