import type { Lang } from './model.js';
import { isCjkLike, isHan, isLatinLetter } from './internal/chars.js';

/** Share of CJK tokens (Han chars vs Latin words) at or above which text is `zh`; at or below 1 - this, `en`. */
export const ZH_SHARE = 0.85;

/** `[PHONE]`, or `[PHONE:3f2a9c1b]` under the `hash` PII action. */
const PLACEHOLDER = /^\[[A-Z_]{2,12}(?::[0-9a-f]{8})?\]/;

/**
 * zh | en | mixed, comparing Han characters with Latin words (each ≈ one token).
 * Text with neither (digits, symbols) is reported as `en`. PII placeholders ([PHONE] …) are ignored.
 */
export function detectLang(text: string, start = 0, end = text.length): Lang {
  let han = 0;
  let words = 0;
  let inWord = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 /* [ */) {
      const m = PLACEHOLDER.exec(text.slice(i, i + 24));
      if (m) {
        i += m[0].length - 1;
        inWord = false;
        continue;
      }
    }
    if (isLatinLetter(c)) {
      if (!inWord) words++;
      inWord = true;
      continue;
    }
    inWord = false;
    if (isHan(c) || (isCjkLike(c) && c >= 0x3040 && c <= 0x30ff)) han++;
  }
  const total = han + words;
  if (total === 0) return 'en';
  const share = han / total;
  if (share >= ZH_SHARE) return 'zh';
  if (share <= 1 - ZH_SHARE) return 'en';
  return 'mixed';
}
