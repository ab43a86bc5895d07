/** Script detection, normalisation and joining for zh/en text. */

export type Lang = 'zh' | 'en';

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const CJK_G = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const LATIN_WORD = /[A-Za-z]{2,}/;

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/** Language of a sentence: zh when at least 20% of its letters are CJK. */
export function detectLang(text: string): Lang {
  const cjk = (text.match(CJK_G) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return cjk > 0 && cjk * 5 >= cjk + latin / 4 ? 'zh' : 'en';
}

/** Can this literal be said in a sentence of `lang`? English text must carry no CJK; Chinese no Latin words. */
export function literalFits(text: string, lang: Lang): boolean {
  return lang === 'en' ? !hasCjk(text) : !LATIN_WORD.test(text) || hasCjk(text);
}

/** Is this a name in `lang`'s script? */
export function nameFits(name: string, lang: Lang): boolean {
  return lang === 'zh' ? hasCjk(name) : !hasCjk(name) && /[A-Za-z0-9]/.test(name);
}

/** Case-, width- and space-insensitive key for comparing names and literal values. */
export function normalizeKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/g, ' ').replace(/[。．.，,；;！!？?]+$/u, '').trim();
}

/** "A、B和C" / "A, B and C". */
export function joinList(items: readonly string[], lang: Lang): string {
  if (items.length <= 1) return items[0] ?? '';
  const head = items.slice(0, -1);
  const last = items[items.length - 1] as string;
  return lang === 'zh' ? `${head.join('、')}和${last}` : `${head.join(', ')} and ${last}`;
}

/** Ensure a sentence ends with terminal punctuation in its language. */
export function terminate(sentence: string, lang: Lang): string {
  const s = sentence.trim();
  if (/[。！？.!?]$/u.test(s)) return s;
  return s + (lang === 'zh' ? '。' : '.');
}

/** Upper-case the first letter of an English sentence (templates may start with a name placeholder). */
export function capitalize(sentence: string): string {
  return sentence.length > 0 ? sentence[0]!.toUpperCase() + sentence.slice(1) : sentence;
}
