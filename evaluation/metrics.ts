import { answerTokens, normalizeAnswer, rougeUnits } from './text.js';
import type { Lang } from './text.js';

/** 1 if the normalised answer equals any normalised reference, else 0. */
export function exactMatch(answer: string, references: readonly string[], lang: Lang): number {
  const a = normalizeAnswer(answer, lang);
  return references.some((r) => normalizeAnswer(r, lang) === a) ? 1 : 0;
}

/** SQuAD-style token F1 (bag of tokens), best over the references. Both empty → 1. */
export function tokenF1(answer: string, references: readonly string[], lang: Lang): number {
  const a = answerTokens(answer, lang);
  return max(references.map((r) => f1OfBags(a, answerTokens(r, lang))));
}

function f1OfBags(pred: string[], ref: string[]): number {
  if (pred.length === 0 || ref.length === 0) return pred.length === ref.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of ref) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      common += 1;
      counts.set(t, c - 1);
    }
  }
  if (common === 0) return 0;
  const p = common / pred.length;
  const r = common / ref.length;
  return (2 * p * r) / (p + r);
}

/** ROUGE-L F1 (β = 1) from the longest common subsequence, best over the references. */
export function rougeL(answer: string, references: readonly string[], lang: Lang): number {
  const a = rougeUnits(answer, lang);
  return max(
    references.map((r) => {
      const ref = rougeUnits(r, lang);
      if (a.length === 0 || ref.length === 0) return a.length === ref.length ? 1 : 0;
      const l = lcsLength(a, ref);
      if (l === 0) return 0;
      const p = l / a.length;
      const rec = l / ref.length;
      return (2 * p * rec) / (p + rec);
    }),
  );
}

/** Length of the longest common subsequence, O(n·m) time, O(m) memory. */
export function lcsLength<T>(a: readonly T[], b: readonly T[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * Faithful = the answer asserts every gold object and no competing object (another object the graph
 * holds for the same subject and relation), and does not decline. Competitors that are part of a gold
 * object ("北京" vs gold "北京市") are judged after the gold occurrences are cut out of the answer.
 * A gold object under a negation ("Not CNC-7", "不是CNC-7", "rather than CNC-7") is not asserted —
 * unless the reference answer negates it the same way ("不超过5%").
 */
export function faithfulness(answer: string, gold: readonly string[], competitors: readonly string[], lang: Lang, reference?: string): number {
  const golds = gold.map((g) => normalizeAnswer(g, lang)).filter((g) => g !== '');
  if (golds.length === 0) return 0;
  if (isRefusal(answer)) return 0;
  const norm = normalizeAnswer(answer, lang);
  const ref = reference === undefined ? undefined : normalizeAnswer(reference, lang);
  let rest = norm;
  // Longest first, so that a gold that contains another gold is cut out whole.
  for (const g of [...golds].sort((x, y) => y.length - x.length)) {
    if (!rest.includes(g)) return 0;
    if (negatedIn(norm, g, lang) && !(ref !== undefined && negatedIn(ref, g, lang))) return 0;
    rest = rest.split(g).join('\u0000');
  }
  const goldSet = new Set(golds);
  for (const c of competitors) {
    const n = normalizeAnswer(c, lang);
    if (n === '' || goldSet.has(n)) continue;
    if (rest.includes(n)) return 0;
  }
  return 1;
}

/** Negation cues right before a phrase. Chinese: within 4 characters (不仅/不断/不同… are not negations). */
const ZH_NEGATION = /(不是|并非|而非|并不|并没有|没有|不(?![仅但断同久少过超])|没|未|非|无)[^，。；,;]{0,3}$/u;
/** English: within the 3 words before the phrase. */
const EN_NEGATION = /\b(not|no|never|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|neither|nor|without|instead of|rather than|other than|except)\b(\s+\S+){0,3}\s*$/;
const EN_NEGATION_LIGHT = /\b(isn t|aren t|wasn t|weren t|doesn t|don t|didn t)\b(\s+\S+){0,3}\s*$/;

/** True if some occurrence of `phrase` in the normalised text is preceded by a negation cue. */
export function negatedIn(normalized: string, phrase: string, lang: Lang): boolean {
  if (phrase === '') return false;
  for (let at = normalized.indexOf(phrase); at >= 0; at = normalized.indexOf(phrase, at + 1)) {
    const before = normalized.slice(Math.max(0, at - (lang === 'zh' ? 8 : 60)), at);
    if (lang === 'zh' ? ZH_NEGATION.test(before) || EN_NEGATION.test(before) : EN_NEGATION.test(before) || EN_NEGATION_LIGHT.test(before)) return true;
  }
  return false;
}

/**
 * Exact match against a list answer: every item is asserted (present, not negated) and no competing
 * object is named. Order and the sentence around the items are free.
 */
export function listMatch(answer: string, items: readonly string[], competitors: readonly string[], lang: Lang, reference?: string): number {
  return items.filter((g) => g.trim() !== '').length === 0 ? 0 : faithfulness(answer, items, competitors, lang, reference);
}

/** NFKC, lower case, curly apostrophes straightened, whitespace collapsed; punctuation kept. */
function light(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[’‘`´]/g, "'").replace(/\s+/g, ' ').trim();
}

const REFUSAL_PATTERNS: readonly RegExp[] = [
  // 资料中没有相关信息 and its variants: 文档中未提及, 材料里没有提到, 资料并未说明 …
  /(资料|文档|文件|材料|文本|上下文|原文|来源)[中里内]?(并)?(没有|没|未|无)(有)?(相关|提及|提到|说明|涉及|记载|包含|给出|提供|描述|信息|内容)/u,
  /(没有|无|未|缺乏|缺少|找不到|查不到)(找到|查到)?(任何)?(相关|有关)的?(信息|内容|资料|记载)/u,
  /无法(根据|从|依据)(现有|所给|提供的)?(资料|文档|材料|信息|上下文)/u,
  /(资料|文档|材料)(中|里)?(不足以|无法)/u,
  // The documents do not say, and variants.
  /\b(the )?(documents?|sources?|materials?|texts?|context|records?|provided information)( provided)? (do|does|did)( not|n't) (say|mention|state|specify|contain|provide|cover|include|tell|describe)/,
  /\b(the )?(documents?|sources?|materials?|texts?|context) (never|don't|doesn't) (say|mention|state|specify)/,
  /\b(is |are )?not (mentioned|stated|specified|covered|provided|described|found) in the (documents?|sources?|materials?|texts?|context)/,
  /\bno (relevant |such )?(information|mention|record|data)\b/,
  /\b(there is|there's) nothing (about|on|regarding)/,
  /\b(i|we) (do not|don't|cannot|can't) (know|find|tell|determine)\b/,
  /\bcannot be (answered|determined) (from|with|based on)/,
];

/** True if the answer declines for lack of evidence ("资料中没有相关信息", "The documents do not say"). */
export function isRefusal(answer: string): boolean {
  const s = light(answer);
  return REFUSAL_PATTERNS.some((re) => re.test(s));
}

interface TfKeyword {
  re: RegExp;
  value: boolean;
  /** Strong keywords judge a statement; weak ones (是, 对, yes) also occur in ordinary sentences. */
  strong: boolean;
}
const B = '(?<![\\p{L}\\p{N}])'; // word start for Latin keywords
const E = '(?![\\p{L}\\p{N}])'; // word end
const TF_KEYWORDS: readonly TfKeyword[] = [
  { re: /不正确|不对|不是|错误|不成立|有误/gu, value: false, strong: true },
  { re: /(?<!不)(正确|成立|属实)/gu, value: true, strong: true },
  { re: new RegExp(`${B}(false|incorrect|not true|not correct|wrong)${E}`, 'gu'), value: false, strong: true },
  { re: new RegExp(`${B}(?<!not )(true|correct)${E}`, 'gu'), value: true, strong: true },
  { re: /否|(?<!不)错/gu, value: false, strong: false },
  { re: /(?<!不)(是|对)/gu, value: true, strong: false },
  { re: new RegExp(`${B}no${E}`, 'gu'), value: false, strong: false },
  { re: new RegExp(`${B}yes${E}`, 'gu'), value: true, strong: false },
];

/**
 * Reads a true/false verdict. A keyword at the very start decides ("是的，…", "No, …");
 * otherwise the earliest strong keyword (正确/错误/不是/true/false/correct/incorrect), then the
 * earliest weak one (是/否/对/错/yes/no). Returns undefined when the answer takes no side.
 */
export function parseTrueFalse(answer: string): boolean | undefined {
  const s = light(answer).replace(/^[^\p{L}\p{N}]+/u, '');
  let strong: { at: number; value: boolean } | undefined;
  let weak: { at: number; value: boolean } | undefined;
  for (const kw of TF_KEYWORDS) {
    kw.re.lastIndex = 0;
    const m = kw.re.exec(s);
    if (m === null) continue;
    if (m.index === 0) return kw.value;
    if (kw.strong) {
      if (strong === undefined || m.index < strong.at) strong = { at: m.index, value: kw.value };
    } else if (weak === undefined || m.index < weak.at) {
      weak = { at: m.index, value: kw.value };
    }
  }
  return (strong ?? weak)?.value;
}

/** 1 if both sides parse to the same verdict, else 0 (an answer that takes no side is wrong). */
export function trueFalseCorrect(answer: string, reference: string): number {
  const want = parseTrueFalse(reference);
  const got = parseTrueFalse(answer);
  return want !== undefined && got === want ? 1 : 0;
}

/** Relative perplexity change of the adapter over the base: 0.1 = 10 % worse. */
export function perplexityIncrease(base: number, adapter: number): number {
  return (adapter - base) / base;
}

function max(xs: number[]): number {
  return xs.length === 0 ? 0 : Math.max(...xs);
}
