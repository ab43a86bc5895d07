import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

export type Lang = 'zh' | 'en';

/** Unicode punctuation (general category P) except % and ‰, which carry meaning ("5%"); symbols (S) are kept too. */
const PUNCT = /(?![%‰])\p{P}/gu;
const SPACE = /\s+/gu;

/**
 * The normal form answers are compared in: NFKC (full-width → half-width, compatibility forms),
 * lower case, punctuation removed, whitespace collapsed. For Chinese all whitespace is removed:
 * spaces between Chinese words are not significant ("位于 北京" = "位于北京").
 */
export function normalizeAnswer(text: string, lang: Lang): string {
  const s = text.normalize('NFKC').toLowerCase().replace(PUNCT, ' ');
  return lang === 'zh' ? s.replace(SPACE, '') : s.replace(SPACE, ' ').trim();
}

let jieba: Jieba | undefined;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/**
 * Tokens for token F1: jieba words for Chinese (HMM off, so a result does not depend on
 * unseen-word guessing), whitespace words for English; both after normalisation.
 */
export function answerTokens(text: string, lang: Lang): string[] {
  if (lang === 'en') {
    const n = normalizeAnswer(text, 'en');
    return n === '' ? [] : n.split(' ');
  }
  // Keep spaces while segmenting so that Latin words inside Chinese stay apart, then drop them.
  const s = text.normalize('NFKC').toLowerCase().replace(PUNCT, ' ');
  return segmenter().cut(s, false).map((t) => t.trim()).filter((t) => t !== '');
}

/** Units for ROUGE-L: characters for Chinese (whitespace dropped), words for English. */
export function rougeUnits(text: string, lang: Lang): string[] {
  const n = normalizeAnswer(text, lang);
  if (n === '') return [];
  return lang === 'zh' ? Array.from(n) : n.split(' ');
}
