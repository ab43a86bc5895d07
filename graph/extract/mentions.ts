/** Entity candidates in a sentence: dictionaries, discovered terms, patterns, jieba POS, capitalized runs. */
import { hasHan } from '../internal/normalize.js';
import type { CompiledPack, Lexicon } from './internal/compile.js';
import { lowerAscii } from './internal/compile.js';
import { GENERIC_LATIN, hasProperToken, isBoilerplate, isGenericOrg, isPlaceName, looksLikeChineseName, personInContext, PROPER_TAG, TRANSLITERATED } from './internal/names.js';
import { phraseBackwardZh, VERB } from './internal/sentences.js';
import { WELL_KNOWN_ORGANIZATIONS } from './internal/gazetteer.js';
import type { Mention, MentionSource, SentenceCtx, Token } from './types.js';

const WORDCH = /[a-z0-9]/;

const HANCH = /\p{Script=Han}/u;
/** A place name may end inside a segment that only adds an administrative suffix (杭州|市). */
const SUFFIX_REST = /^(?:市|省|县|区)$/u;

/**
 * Whether [s, e) starts and ends on segment boundaries where the text is Chinese: a name found
 * inside a longer word ("中国" in "中国建设银行" is one segment "中国建设银行") is not a mention of it.
 */
export function onSegmentBoundaries(ctx: SentenceCtx, s: number, e: number): boolean {
  if (ctx.tokens.length === 0) return true;
  if (HANCH.test(ctx.match[s] ?? '') && s > 0 && HANCH.test(ctx.match[s - 1] ?? '') && !ctx.tokens.some((t) => t.start === s)) return false;
  if (HANCH.test(ctx.match[e - 1] ?? '') && e < ctx.match.length && HANCH.test(ctx.match[e] ?? '') && !ctx.tokens.some((t) => t.end === e)) {
    const t = ctx.tokens.find((x) => x.start < e && x.end > e);
    return !!t && t.start >= s && SUFFIX_REST.test(ctx.match.slice(e, t.end));
  }
  return true;
}

function matchLexicon(ctx: SentenceCtx, lex: Lexicon, out: Mention[]): void {
  const lower = lowerAscii(ctx.match);
  for (let i = 0; i < lower.length; i++) {
    const lens = lex.byFirst.get(lower[i]!);
    if (!lens) continue;
    if (WORDCH.test(lower[i]!) && i > 0 && WORDCH.test(lower[i - 1]!)) continue;
    for (const len of lens) {
      if (i + len > lower.length) continue;
      const e = lex.map.get(lower.slice(i, i + len));
      if (!e) continue;
      if (WORDCH.test(lower[i + len - 1]!) && i + len < lower.length && WORDCH.test(lower[i + len]!)) continue;
      if (!onSegmentBoundaries(ctx, i, i + len)) continue;
      out.push({ start: i, end: i + len, text: ctx.surface.slice(i, i + len), type: e.type, source: e.source });
      break;
    }
  }
}

const ZH_ORG_SUFFIX = /集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|集团|研究院|研究所|实验室|科技公司|公司|银行|大学|学院|医院|交易所|委员会|协会|基金会|管理局|航天局|宇航局|研究中心|航天中心|栏目组|编辑部|科技|智能/gu;
/** Suffixes a common noun also ends in: the name before them must hold a proper noun (腾讯公司, not 海外公司). */
const BARE_SUFFIX = new Set(['科技', '智能', '公司', '集团', '银行', '大学', '学院', '医院', '交易所', '委员会', '协会', '基金会', '管理局', '研究中心', '航天中心', '实验室', '研究院', '研究所', '栏目组', '编辑部']);
/** ‘天空实验室(skylab)’项目, “嫦娥”工程: a quoted name before 项目/计划/工程/任务 is the name of a programme, a product. */
const QUOTED_PROGRAMME = /[‘“「『](?<name>[\p{Script=Han}A-Za-z0-9·-]{2,12}?)(?:\s*\([^()]{1,20}\))?[’”」』](?=项目|计划|工程|任务)/gu;
const SOCIETY = /^(?:基金会|协会)$/u;
/** A programme or project named by a Latin name: Debian 计划, GNU 项目, Stargate 计划. */
const LATIN_PROGRAMME = /(?<![A-Za-z0-9.-])(?<name>[A-Z][A-Za-z0-9]*(?:[ /-][A-Z][A-Za-z0-9]*)*) ?(?:计划|项目)(?!书|表|经理|组)/gu;
const EN_ORG = /(?<![A-Za-z])((?:[A-Z][A-Za-z0-9&'.-]*\s+){0,4}?[A-Z][A-Za-z0-9&'-]*),?\s+(Co\.,?\s*Ltd\.?|Co\.|Inc\.?|Pte\.?\s*Ltd\.?|Ltd\.?|Limited|Corp\.?|Corporation|LLC|GmbH|AG|B\.V\.|N\.V\.|S\.A\.|PLC|Group|Institute|Laboratory|Laboratories|Labs|Holdings|Foundation|Council|Organization|Organisation|Association|University|Bank|Agency|Commission|Committee|Authority|Ministry|Federation|Society|Exchange)(?![A-Za-z])/gu;
/**
 * Public bodies named head-first, as regulations name them: "Office of the Federal Register", "Department
 * of Justice", "Administrative Committee of the Federal Register" (a head word, "of (the)", capitalized
 * words), and "National Archives and Records Administration" (capitalized words joined by "and" before a head).
 */
const EN_BODY_HEAD = '(?:Office|Department|Committee|Administration|Bureau|Agency|Commission|Board|Council|Division|Institute|Ministry|Archives)';
const EN_BODY_OF = new RegExp(`(?<![A-Za-z])(?:[A-Z][A-Za-z'-]*\\s+){0,3}?${EN_BODY_HEAD}\\s+of\\s+(?:the\\s+)?[A-Z][A-Za-z'-]*(?:\\s+[A-Z][A-Za-z'-]*){0,4}`, 'gu');
const EN_BODY_AND = new RegExp(`(?<![A-Za-z])[A-Z][A-Za-z'-]*(?:\\s+[A-Z][A-Za-z'-]*){0,3}\\s+and\\s+[A-Z][A-Za-z'-]*(?:\\s+[A-Z][A-Za-z'-]*){0,2}?\\s+${EN_BODY_HEAD}(?![A-Za-z])`, 'gu');
const EN_BODY_GENERIC = /\bof\s+(?:the\s+)?(?:Directors|Trustees|Governors|Management|Members|Commissioners|Shareholders|Auditors)$/u;
/** A name that already ends here (an organisation's head word) is a name of its own before "and". */
const EN_NAME_END = /\b(?:Center|Centre|Office|Department|Bureau|Agency|Commission|Board|Council|Institute|Ministry|University|Company|Inc|Corporation|Group|Committee)$/u;
/** Capitalized runs; "of"/"&"/"de"/"for"/"in the" may join them, "and" may not ("Yunlan and Hechuan" is two places). */
const EN_ACT = /(?<![A-Za-z])(?:[A-Z][A-Za-z&'-]*\s+){1,6}Act(?:\s+of\s+(?:1[89]|20)\d{2})?(?![A-Za-z])/gu;
const EN_CAPS = /(?<![A-Za-z0-9_])[A-Z][A-Za-z0-9&'-]*(?:[ ]+(?:(?:of|&|de|for|(?:of|for|in|on) the)[ ]+)?[A-Z][A-Za-z0-9&'-]*)*/gu;

/** An agency's name ending inside a longer organization name (美国宇航局|约翰逊航天中心). */
const AGENCY = /(?:航天局|宇航局|管理局|监督管理委员会|委员会|部)(?=\p{Script=Han}{2,}$)/u;

/** Before a bare 公司/集团 these make a common noun (子公司, 本公司, 该集团), not a name. */
const GENERIC_ORG_HEAD = /[子母分总本该贵我其此各]$/u;

/**
 * Where a company name starts inside the nominal run before its suffix: after the last verb that
 * follows other words and leaves at least two characters of name ("本名录列出|星河精工股份有限公司",
 * "星河精工收购|青屿视觉科技有限公司"); a verb that opens the run or ends it is part of the name
 * (启航电子有限公司, 华芯运动控制有限公司).
 */
function nameStart(ctx: SentenceCtx, start: number, anchor: number): number {
  let s = start;
  for (const t of ctx.tokens) {
    if (t.start <= start || t.end > anchor) continue;
    // A verb right after a place or organization name is part of the name (香港|联合|交易所).
    const prev = ctx.tokens.find((x) => x.end === t.start);
    if (VERB.test(t.tag) && anchor - t.end >= 2 && !(prev && /^(?:ns|nt)$/.test(prev.tag) && prev.start >= start)) s = t.end;
  }
  return s;
}

/** 网易科学人|栏目组: a unit named after a well-known organisation is a name even when the segmenter tags no proper noun. */
const KNOWN_ZH_ORGS = WELL_KNOWN_ORGANIZATIONS.filter((n) => /^\p{Script=Han}{2,}$/u.test(n));
const ownedByKnown = (name: string) => KNOWN_ZH_ORGS.some((n) => name.startsWith(n) && name.length > n.length);

function lexHit(ctx: SentenceCtx, s: number, e: number, cp: CompiledPack): boolean {
  return cp.dictionary.map.has(lowerAscii(ctx.match.slice(s, e)));
}

function companies(ctx: SentenceCtx, cp: CompiledPack, out: Mention[]): void {
  for (const m of ctx.match.matchAll(ZH_ORG_SUFFIX)) {
    const a = m.index;
    const bare = BARE_SUFFIX.has(m[0]);
    // 商汤科技, 百川智能 are names; 智能手机, 科技创新 are not: the suffix must end a segment and no noun follow it.
    if (/^(?:科技|智能)$/u.test(m[0])) {
      const e = a + m[0].length;
      const next = ctx.tokens.find((t) => t.start === e);
      if (ctx.tokens.some((t) => t.start < e && t.end > e) || (next && /^(?:n|vn|ng|nz|an)/.test(next.tag))) continue;
    }
    if (bare && GENERIC_ORG_HEAD.test(ctx.match.slice(0, a))) continue;
    const inside = ctx.tokens.find((t) => t.start < a && t.end > a);
    const anchor = inside ? inside.start : a;
    // A registered name (杭州深度求索人工智能基础技术研究有限公司) runs longer than a brand before 科技 or 集团.
    const phrase = phraseBackwardZh(ctx, 0, anchor, cp.stopZh, 24, /有限(?:责任)?公司$/u.test(m[0]) ? 7 : 5);
    let start = phrase ? nameStart(ctx, phrase[0], anchor) : anchor;
    // A verb before a place name is the clause's, not the name's (取得|香港联合交易所有限公司).
    const open = ctx.tokens.find((t) => t.start === start);
    const second = open && ctx.tokens.find((t) => t.start === open.end);
    if (open && second && VERB.test(open.tag) && second.tag === 'ns' && second.start < anchor) start = second.start;
    const last = ctx.tokens.filter((t) => t.end <= a && t.end > start).pop();
    if (last && VERB.test(last.tag) && (bare || last.start === start)) continue; // "用于公司": a verb is no name
    if (a - start < 2 || cp.stopZh.has(ctx.match.slice(start, a))) continue;
    const name = ctx.match.slice(start, a + m[0].length);
    // 自由软件基金会, 中国人工智能学会: a society or foundation is named by what it is for, a common noun is enough.
    const society = SOCIETY.test(m[0]) && a - start >= 2;
    if (isGenericOrg(name) || isBoilerplate(name) || (bare && !society && !hasProperToken(ctx.tokens, start, a) && !lexHit(ctx, start, a, cp) && !ownedByKnown(ctx.match.slice(start, a)))) continue;
    // 美国宇航局约翰逊航天中心: an agency followed by its unit is two names (the unit is PART_OF the agency, units.ts).
    const inner = AGENCY.exec(ctx.match.slice(start, a));
    if (inner && inner.index + inner[0].length >= 3 && a - (start + inner.index + inner[0].length) >= 2) {
      const cut = start + inner.index + inner[0].length;
      out.push({ start, end: cut, text: ctx.surface.slice(start, cut), type: 'Organization', source: 'pattern' });
      out.push({ start: cut, end: a + m[0].length, text: ctx.surface.slice(cut, a + m[0].length), type: 'Organization', source: 'pattern' });
      continue;
    }
    out.push({ start, end: a + m[0].length, text: ctx.surface.slice(start, a + m[0].length), type: 'Organization', source: 'pattern' });
  }
  for (const m of ctx.match.matchAll(QUOTED_PROGRAMME)) {
    const s = m.index + 1;
    const e = s + m.groups!.name!.length;
    out.push({ start: s, end: e, text: ctx.surface.slice(s, e), type: 'Product', source: 'pattern' });
  }
  for (const m of ctx.match.matchAll(LATIN_PROGRAMME)) {
    const e = m.index + m[0].length;
    out.push({ start: m.index, end: e, text: ctx.surface.slice(m.index, e), type: 'Organization', source: 'pattern' });
  }
  for (const m of ctx.match.matchAll(EN_ORG)) {
    const [s, e] = trimStopWords(ctx.match, m.index, m.index + m[0].length, cp.stopEn);
    if (e - s > 3) out.push({ start: s, end: e, text: ctx.surface.slice(s, e), type: 'Organization', source: 'pattern' });
  }
  for (const re of [EN_BODY_OF, EN_BODY_AND]) {
    for (const m of ctx.match.matchAll(re)) {
      const [s, e] = trimStopWords(ctx.match, m.index, m.index + m[0].length, cp.stopEn);
      const name = ctx.match.slice(s, e);
      // "Board of Directors" is a company's organ, no name; "X Center and Y Office" is two names, not one.
      if (!/\s/u.test(name) || EN_BODY_GENERIC.test(name)) continue;
      if (re === EN_BODY_AND) {
        const [a, b] = name.split(/\s+and\s+/u) as [string, string];
        if (EN_NAME_END.test(a) || a.split(/\s+/u)[0] === b.split(/\s+/u)[0]) continue;
      }
      out.push({ start: s, end: e, text: ctx.surface.slice(s, e), type: 'Organization', source: 'pattern' });
    }
  }
  // "Securities Exchange Act of 1934": a titled act is one name, a regulation; the exchange inside it is no mention.
  for (const m of ctx.match.matchAll(EN_ACT)) {
    const [s, e] = trimStopWords(ctx.match, m.index, m.index + m[0].length, cp.stopEn);
    if (/^\S+\s+\S/u.test(ctx.match.slice(s, e))) out.push({ start: s, end: e, text: ctx.surface.slice(s, e), type: 'Regulation', source: 'pattern' });
  }
}

/** Strips leading (and trailing) English stop words such as "The", "In", "March". */
function trimStopWords(text: string, s: number, e: number, stop: Set<string>): [number, number] {
  for (;;) {
    const m = /^([A-Za-z]+)[\s,]+/.exec(text.slice(s, e));
    if (!m || !stop.has(m[1]!)) break;
    s += m[0].length;
  }
  for (;;) {
    const m = /[\s,]+([A-Za-z]+)$/.exec(text.slice(s, e));
    if (!m || !stop.has(m[1]!)) break;
    e -= m[0].length;
  }
  return [s, e];
}

/** GPT-4级模型, GPT-4水平: a model name used as the yardstick for another is not the thing spoken of. */
const YARDSTICK = /^(?:级|级别|水平|同级|同等)/u;

/** Code-shaped words that are no product: diseases, ranks (Top-5), form numbers (E1), UK postcodes (SN2 1ET). */
const NOT_PRODUCT = /^(?:COVID-?\d+|SARS(?:-CoV-?\d)?|MERS|H\dN\d|Top-?\d+|[A-Z]\d|Item \d+[A-Z]?|Part \d+|Section \d+)$/iu;

/**
 * A code-shaped name is no product when it is a known non-product shape, part of a longer dotted
 * token (R1 of 23.7.R1) or the outward half of a UK postcode (SN2 1ET).
 */
export function notAProductCode(text: string, s: number, e: number, name: string): boolean {
  if (NOT_PRODUCT.test(name)) return true;
  // One letter and one digit (E1, T2) is a form or table number unless the sentence speaks of models (R1 模型).
  if (/^[A-Z]\d$/.test(name) && !MODEL_CUE.test(text)) return true;
  if (/[./]$/.test(text.slice(0, s)) && /[A-Za-z0-9]/.test(text[s - 2] ?? '')) return true;
  if (/^[./][A-Za-z0-9]/.test(text.slice(e))) return true;
  return /^[A-Z]{1,2}\d{1,2}$/.test(name) && /^ \d[A-Z]{2}(?![A-Za-z])/.test(text.slice(e));
}

function patterns(ctx: SentenceCtx, cp: CompiledPack, out: Mention[]): void {
  for (const { type, re } of cp.entityPatterns) {
    for (const m of ctx.match.matchAll(re)) {
      const g = m.groups?.name;
      const start = g !== undefined ? m.index + m[0].indexOf(g) : m.index;
      const text = g ?? m[0];
      if (text.trim().length < 2) continue;
      if (type === 'Product' && (notAProductCode(ctx.match, start, start + text.length, text) || YARDSTICK.test(ctx.match.slice(start + text.length)))) continue;
      out.push({ start, end: start + text.length, text: ctx.surface.slice(start, start + text.length), type, source: 'pattern' });
    }
  }
}

/**
 * Latin-script model and product names with a version (GPT-4o, Qwen2.5-72B, Llama 3.1, DeepSeek-V3,
 * Claude 3.5 Sonnet): a capitalized word joined to a number, optionally followed by -parts; typed
 * Product when the name mixes upper and lower case (GPT-4o, Qwen2.5) or the sentence speaks of models
 * or releases (COVID-19 or Part 58 alone is no product).
 */
const MODEL_NAME = /(?<![A-Za-z0-9.-])(?<name>[A-Z][A-Za-z]*(?:[- ]?[A-Za-z]?\d+(?:\.\d+)*[A-Za-z]*)(?:-[A-Za-z0-9.]+)*(?: (?:Pro|Max|Mini|Turbo|Ultra|Plus|Flash|Sonnet|Opus|Haiku|Instruct|Chat))?)(?![A-Za-z0-9])/gu;
const MODEL_CUE = /模型|大模型|语言模型|版本|发布|推出|开源|上线|\bmodels?\b|\breleas|\blaunch/iu;
/** A name in quotes after a verb of releasing or naming: 推出了“文心一言”, 名为「通义千问」的模型. */
const QUOTED_PRODUCT = /(?:发布|推出|上线|开源|名为|称为|叫做|命名为|产品|应用|模型)(?:了|的)?(?:新一代|新款|最新|全新)?(?:的)?(?:[^“「《\n,。]{0,8}?)[“「"](?<name>[^”」"\n,。]{2,20})[”」"]/gu;
/** Titles of laws, plans, standards and reports: a document, never a product (《新一代人工智能发展规划》). */
const REGULATION_TITLE = /(?:法|条例|办法|规定|规划|规范|细则|标准|意见|通知|方案|指南|指引|纲要|决定|报告|白皮书|蓝皮书|公告|守则|手册|协议|许可证)$/u;
/** Quoted words for a trend or campaign (大模型“价格战”, “百模大战”): no product. */
const TREND_WORD = /(?:战|大战|潮|热|化|论|观|风暴|时代|元年|之争)$/u;
/** A title in 《》 right after a verb of releasing (推出了《通义千问2.5》) names a product; elsewhere 《》 holds laws and books. */
const BOOK_PRODUCT = /(?:发布|推出|上线|开源)了?(?:新一代|新款|最新|全新)?(?:的)?(?:\p{Script=Han}{0,4}?)《(?<name>[^》\n,。]{2,20})》/gu;

/** 发布的讯飞星火4.0 Turbo, 推出了文心大模型4.0: a Chinese name with a version after a release verb. */
const HAN_VERSIONED = /(?:发布|推出|上线|开源)(?:了|的)?(?:新一代|新款|最新|全新)?(?<name>\p{Script=Han}{2,8}\d+(?:\.\d+)*(?: ?(?:Turbo|Pro|Max|Plus|Ultra|Lite|Flash|Mini|Air))?)(?![\d.A-Za-z])/gu;

function products(ctx: SentenceCtx, out: Mention[]): void {
  for (const m of ctx.match.matchAll(HAN_VERSIONED)) {
    const name = m.groups!.name!;
    const start = m.index + m[0].length - name.length;
    // 发布了3款 / 推出2024年: a count or a date is no name.
    if (/^\p{Script=Han}{0,1}\d/u.test(name) || /[年月日款个项次]\d/u.test(name) || !onSegmentBoundaries(ctx, start, start + name.length)) continue;
    out.push({ start, end: start + name.length, text: ctx.surface.slice(start, start + name.length), type: 'Product', source: 'pattern' });
  }
  const cue = MODEL_CUE.test(ctx.match);
  for (const m of ctx.match.matchAll(MODEL_NAME)) {
    const name = m.groups!.name!;
    // In English prose "Section 12", "Item 9B", "Table 3-2" are references: a space before the number counts only in Chinese text (Llama 3).
    if (/^[A-Za-z]+ \d/.test(name) && !hasHan(ctx.match)) continue;
    const mixed = /[A-Z]/.test(name) && /[a-z]/.test(name) && /\d/.test(name);
    if (!mixed && !cue) continue;
    // A year or a unit after a word (Part 58, Windows 2000) is not a version unless the sentence speaks of models.
    if (/^[A-Z][a-z]+ (?:1[89]|20)\d{2}$/.test(name)) continue;
    if (notAProductCode(ctx.match, m.index, m.index + name.length, name)) continue;
    // GPT-4级模型, GPT-4水平: the name is a yardstick for another model, not the thing spoken of.
    if (YARDSTICK.test(ctx.match.slice(m.index + name.length))) continue;
    out.push({ start: m.index, end: m.index + name.length, text: ctx.surface.slice(m.index, m.index + name.length), type: 'Product', source: 'pattern' });
  }
  for (const m of [...ctx.match.matchAll(QUOTED_PRODUCT), ...ctx.match.matchAll(BOOK_PRODUCT)]) {
    const name = m.groups!.name!.trim();
    const start = m.index + m[0].lastIndexOf(name);
    if (name.length < 2 || /[的了是在]$/u.test(name) || REGULATION_TITLE.test(name) || TREND_WORD.test(name)) continue;
    out.push({ start, end: start + name.length, text: ctx.surface.slice(start, start + name.length), type: 'Product', source: 'pattern' });
  }
}

/** A news descriptor before a company name: 日本酿酒商三得利, 美国芯片巨头英伟达, 法国初创企业Mistral. */
export const DESCRIPTOR = /(?<desc>\p{Script=Han}{1,4}?(?:制造商|开发商|运营商|供应商|服务商|厂商|巨头|初创公司|初创企业|企业|商))(?<name>\p{Script=Han}{2,5}?|[A-Z][A-Za-z0-9]+(?: [A-Z][A-Za-z0-9]+)?)(?=[(,。、;:]|的|$)/gu;

/** The place a descriptor follows (日本|酿酒商): the longest place name ending at `end`. */
export function placeBefore(ctx: SentenceCtx, end: number): number | undefined {
  for (let n = 4; n >= 2; n--) if (end - n >= 0 && isPlaceName(ctx.match.slice(end - n, end))) return end - n;
  return undefined;
}

function described(ctx: SentenceCtx, out: Mention[]): void {
  for (const m of ctx.match.matchAll(DESCRIPTOR)) {
    const start = m.index + m.groups!.desc!.length;
    const end = start + m.groups!.name!.length;
    // The place stands before the descriptor or opens it (the match starts as early as it can: 德国汽车制造商).
    let place: [number, number] | undefined;
    const ps = placeBefore(ctx, m.index);
    if (ps !== undefined) place = [ps, m.index];
    else for (let n = 4; n >= 2 && !place; n--) if (start - m.index - n >= 2 && isPlaceName(ctx.match.slice(m.index, m.index + n))) place = [m.index, m.index + n];
    if (!place) continue;
    out.push({ start: place[0], end: place[1], text: ctx.surface.slice(place[0], place[1]), type: 'Location', source: 'pattern' });
    out.push({ start, end, text: ctx.surface.slice(start, end), type: 'Organization', source: 'pattern' });
  }
}

const NAME_WORD = /^[A-Z0-9]/;
/** Lower-case words that join capitalized words into one name (of, for, in the …), then the next capitalized word. */
const NAME_LINK = /^ (?:of|for|de|du|&|(?:of|for|in|on) the) (([A-Z])[A-Za-z0-9&'-]*)/u;

/** The span of Latin letters and digits joined by . - / (no spaces) around [s, e). */
function joinedLatin(text: string, s: number, e: number): [number, number] {
  while (s >= 2 && /[.\-/]/.test(text[s - 1]!) && /[A-Za-z0-9]/.test(text[s - 2]!)) {
    s -= 2;
    while (s > 0 && /[A-Za-z0-9]/.test(text[s - 1]!)) s--;
  }
  while (e + 1 < text.length && /[.\-/]/.test(text[e]!) && /[A-Za-z0-9]/.test(text[e + 1]!)) {
    e += 2;
    while (e < text.length && /[A-Za-z0-9]/.test(text[e]!)) e++;
  }
  return [s, e];
}

/** Words jieba's dictionary tags nt that are news phrases, not organizations (新进展, 新突破, 新高度). */
const NOT_AN_ORG_NT = /^(?:新|该|本|此|各|多|重大|最新)(?!华社)|(?:进展|突破|高度|阶段|水平|局面|成果|成绩|动态|趋势)$/u;

const POS_TYPES: Record<string, string | undefined> = { nr: 'Person', nrfg: 'Person', nrt: 'Person', ns: 'Location', nt: 'Organization', nz: undefined };

function pos(ctx: SentenceCtx, cp: CompiledPack, out: Mention[], capsSeen?: ReadonlySet<string>): void {
  const zh = hasHan(ctx.match);
  for (let i = 0; i < ctx.tokens.length; i++) {
    const t = ctx.tokens[i]!;
    // jieba tags a name it does not know at a sentence start 'x' (王芳/x(…副总裁)): a Chinese name in a person's context is still a person.
    if (t.tag === 'x' && looksLikeChineseName(t.word) && personInContext(ctx, t.start, t.end)) {
      out.push({ start: t.start, end: t.end, text: ctx.surface.slice(t.start, t.end), type: 'Person', source: 'pos' });
      continue;
    }
    // An unknown word that swallowed the speech verb after a name (CEO吴泳铭称): the name is the word without it.
    if (t.tag === 'x' && /^\p{Script=Han}{3,4}$/u.test(t.word) && /[称说道]$/u.test(t.word) && looksLikeChineseName(t.word.slice(0, -1)) && personInContext(ctx, t.start, t.end - 1)) {
      out.push({ start: t.start, end: t.end - 1, text: ctx.surface.slice(t.start, t.end - 1), type: 'Person', source: 'pos' });
      continue;
    }
    // A surname and a given name jieba cut apart (王/nr 小川/nr) make one name in a person's context.
    const given = ctx.tokens[i + 1];
    if (/^nr/u.test(t.tag) && t.word.length === 1 && given && given.start === t.end && /^(?:nr|nrfg|nz|x|ng)$/u.test(given.tag) && looksLikeChineseName(t.word + given.word) && personInContext(ctx, t.start, given.end)) {
      out.push({ start: t.start, end: given.end, text: ctx.surface.slice(t.start, given.end), type: 'Person', source: 'pos' });
      i++;
      continue;
    }
    if (t.tag in POS_TYPES && t.word.length >= 2 && !cp.stopZh.has(t.word)) {
      // The tag proposes, form and context decide: 伏特加/nr is no person, 香水/ns no place.
      const type = POS_TYPES[t.tag];
      const ok = type === 'Person' ? t.tag !== 'nrt' && personInContext(ctx, t.start, t.end)
        : type === 'Location' ? isPlaceName(t.word)
          : type === 'Organization' ? !isGenericOrg(t.word) && !isBoilerplate(t.word) && t.word.length >= 3 && !NOT_AN_ORG_NT.test(t.word)
            : true;
      if (ok) out.push({ start: t.start, end: t.end, text: ctx.surface.slice(t.start, t.end), type, source: 'pos' });
    } else if (zh && t.tag === 'eng' && !cp.stopEn.has(t.word)) {
      // English inside Chinese text: a run of capitalized or code-like words is one name ("Gu Chengyuan");
      // lower-case words end it, so a whole English clause never becomes a name.
      // A lower-case word counts only on its own between Chinese characters ("通过app下单"), not as part of English prose.
      const spaced = (k: number) => ctx.tokens[k]?.word === ' ' && ctx.tokens[k + (k > i ? 1 : -1)]?.tag === 'eng';
      if (!NAME_WORD.test(t.word) && (spaced(i - 1) || spaced(i + 1))) continue;
      // A word joined to its neighbours by . - / without spaces is one token: debian.ch, non-free, GNU/Linux.
      const joined = joinedLatin(ctx.match, t.start, t.end);
      if (joined[0] < t.start) continue;
      if (joined[1] > t.end && !/[A-Z]/.test(ctx.match.slice(...joined)) && !/\./.test(ctx.match.slice(...joined))) {
        i = ctx.tokens.findIndex((x) => x.end >= joined[1]);
        continue;
      }
      let j = ctx.tokens.findIndex((x) => x.end >= joined[1]);
      for (;;) {
        while (NAME_WORD.test(ctx.tokens[j]!.word) && j + 2 < ctx.tokens.length && ctx.tokens[j + 1]!.word === ' ' && ctx.tokens[j + 2]!.tag === 'eng' && NAME_WORD.test(ctx.tokens[j + 2]!.word) && !cp.stopEn.has(ctx.tokens[j + 2]!.word)) j += 2;
        // "Software in the Public Interest", "Bank of China": a connector between capitalized words.
        const link = NAME_LINK.exec(ctx.match.slice(ctx.tokens[j]!.end));
        if (!link || !NAME_WORD.test(ctx.tokens[j]!.word)) break;
        const k = ctx.tokens.findIndex((x) => x.start === ctx.tokens[j]!.end + link[0].length - link[1]!.length);
        if (k < 0) break;
        j = k;
      }
      const e = ctx.tokens[j]!.end;
      if (e - t.start >= 2) out.push({ start: t.start, end: e, text: ctx.surface.slice(t.start, e), source: 'pos' });
      i = j;
    }
  }
  transliterated(ctx, out);
  if (!/[A-Za-z]{3}/.test(ctx.match)) return;
  const first = /^[\s"“'‘([]*/u.exec(ctx.match)![0].length;
  for (const m of ctx.match.matchAll(EN_CAPS)) {
    const [s, e] = trimStopWords(ctx.match, m.index, m.index + m[0].length, cp.stopEn);
    // One capitalized word opening a sentence is any word ("Indicate", "Without", "He"), not a name.
    // It is kept when the corpus also writes it capitalized inside a sentence or opens a longer name with it ("Orion Robotics Inc.").
    if (s === first && /^[A-Z][a-z]+$/.test(ctx.match.slice(s, e)) && !capsSeen?.has(ctx.match.slice(s, e))) continue;
    if (e - s >= 2 && !cp.stopEn.has(ctx.match.slice(s, e))) out.push({ start: s, end: e, text: ctx.surface.slice(s, e), source: 'caps' });
  }
}

/** A segment that may be part of a transliterated name: a proper noun, an unknown word or one character. */
const nameSegment = (t: Token | undefined): t is Token => !!t && /^\p{Script=Han}+$/u.test(t.word) && (PROPER_TAG.test(t.tag) || /^(?:ng|zg)$/.test(t.tag));

/** 丹尼尔·霍特, 巴兹?奥尔德林: the name segments on both sides of the dot. */
function transliterated(ctx: SentenceCtx, out: Mention[]): void {
  for (const m of ctx.match.matchAll(TRANSLITERATED)) {
    const dot = m.index + /[·•・‧?？]/u.exec(m[0])!.index;
    let s = dot;
    for (let t = ctx.tokens.find((x) => x.end === s); nameSegment(t) && dot - t.start <= 5; t = ctx.tokens.find((x) => x.end === s)) s = t.start;
    let e = dot + 1;
    for (let t = ctx.tokens.find((x) => x.start === e); nameSegment(t) && t.end - dot - 1 <= 6; t = ctx.tokens.find((x) => x.start === e)) e = t.end;
    if (dot - s < 1 || e - dot - 1 < 1 || e - s < 4) continue;
    out.push({ start: s, end: e, text: ctx.surface.slice(s, e), type: 'Person', source: 'pattern' });
  }
}

const TIER: Record<MentionSource, number> = { corpus: 3, dict: 3, pattern: 3, term: 2, pos: 1, caps: 1, phrase: 0 };
const RANK: Record<MentionSource, number> = { corpus: 6, dict: 5, pattern: 4, term: 3, pos: 2, caps: 1, phrase: 0 };

/** Keeps the strongest, longest candidates; no two kept mentions overlap. */
export function resolveOverlaps(all: Mention[]): Mention[] {
  const sorted = [...all].sort((a, b) => TIER[b.source] - TIER[a.source] || (b.end - b.start) - (a.end - a.start) || RANK[b.source] - RANK[a.source] || a.start - b.start);
  const kept: Mention[] = [];
  for (const m of sorted) if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  return kept.sort((a, b) => a.start - b.start);
}

export interface MentionLexicons {
  terms?: Lexicon;
  corpus?: Lexicon;
  /** Capitalized words the corpus uses as names inside sentences (see `capitalizedNames`). */
  capsSeen?: ReadonlySet<string>;
}

/** Words written capitalized not at a sentence start, and the first words of multi-word names. */
export function capitalizedNames(ctx: SentenceCtx, mentions: Mention[]): string[] {
  const first = /^[\s"“'‘([]*/u.exec(ctx.match)![0].length;
  const out: string[] = [];
  for (const m of mentions) {
    const w = /^[A-Z][A-Za-z0-9&'-]*/.exec(m.text)?.[0];
    if (w && (m.start !== first || m.text.length > w.length)) out.push(w);
  }
  return out;
}

/** What follows ORG旗下(的): a unit name, then the verb it is the subject of (字节跳动旗下火山引擎正式发布…). */
const UNDER = /^\s*旗下(?:的)?(?<name>\p{Script=Han}{2,6}?)(?=\s*(?:正式|今天|今日|近日|日前|也|已|于\s*(?:19|20)\d{2}\s*年[^,，。]{0,8}?)?(?:发布|推出|宣布|上线|开源|表示))/u;

/** An organization's unit named right after 旗下 and doing something (发布, 宣布): an organization itself. */
function unitsUnder(ctx: SentenceCtx, mentions: Mention[]): Mention[] {
  const out: Mention[] = [];
  for (const org of mentions) {
    if (org.type !== 'Organization') continue;
    const m = UNDER.exec(ctx.match.slice(org.end));
    if (!m) continue;
    const start = org.end + m[0].length - m.groups!.name!.length;
    const end = org.end + m[0].length;
    if (mentions.some((x) => x.start < end && x.end > start) || !onSegmentBoundaries(ctx, start, end)) continue;
    out.push({ start, end, text: ctx.surface.slice(start, end), type: 'Organization', source: 'pattern' });
  }
  return out;
}

/** A release verb right after a name, optionally with its date (MiniMax于2024年1月发布): the name is the releasing organization. */
const RELEASES_AFTER = /^\s*(?:于\s*(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?)?\s*(?:正式|首次|宣布)?(?:发布|推出|开源)/u;
const RELEASED_BEFORE = /(?:发布|推出|开源|上线)了?(?:新一代|新款|最新|全新)?的?(?:\p{Script=Han}{0,6}?(?:模型|产品|版本|系列|应用|芯片))?\s*$/u;
/** A Chinese title right before a name (联合创始人兼CEO, 首席科学家). */
const TITLE_BEFORE = /(?:创始人|首席执行官|首席\p{Script=Han}{0,4}官|首席\p{Script=Han}{0,4}家|CEO|CTO|CFO|COO|董事长|总裁|总经理|科学家|研究员|教授|负责人|发言人|主席|总监)\s*$/u;
/** 这款名为DNC的模型: a name introduced by 名为/称为 in a sentence about models or products. */
const NAMED_BEFORE = /(?:(?:这款|一款|该款|新款)?(?:名为|称为|叫做|命名为)|(?:模型|大模型|助手|应用|产品|芯片|软件|工具|机器人|App))\s*$/u;
const MODEL_AFTER = /^\s*(?:大模型|大语言模型|语言模型|模型|系列模型)/u;

/**
 * Types an untyped Latin name from its place in a Chinese clause: the subject of 发布/推出 is an
 * organization (a name without digits: MiniMax发布), what is released or named a model is a product
 * (发布了abab6大模型). Names typed by form or dictionary keep their type.
 */
function typeByContext(ctx: SentenceCtx, found: Mention[]): Mention[] {
  if (!hasHan(ctx.match)) return found;
  const mentions = [...found, ...unitsUnder(ctx, found)].sort((a, b) => a.start - b.start);
  return mentions.map((m) => {
    // 国际空间站, 云澜市: an untyped Chinese name with a place suffix is a place.
    if (m.type === undefined && isPlaceName(m.text)) return { ...m, type: 'Location' };
    if (m.type !== undefined || !/^[A-Za-z][A-Za-z0-9 .-]*$/u.test(m.text) || GENERIC_LATIN.test(m.text)) return m;
    const after = ctx.match.slice(m.end);
    const before = ctx.match.slice(0, m.start);
    // A name cut short of its / . - continuation (Debian GNU|/Hurd) is not typed from context.
    if (/^[/.-][A-Za-z0-9]/u.test(after)) return m;
    // OpenAI联合创始人Ilya Sutskever: two or three capitalized words right after a title are a person.
    if (TITLE_BEFORE.test(before) && /^[A-Z][a-z]+(?: [A-Z]\.?)?(?: [A-Z][a-z]+){1,2}$/u.test(m.text)) return { ...m, type: 'Person' };
    if (MODEL_AFTER.test(after) || NAMED_BEFORE.test(before) || (RELEASED_BEFORE.test(before) && /\d|[A-Z]{2}|^[A-Z][a-z]+ [A-Z]/u.test(m.text))) return { ...m, type: 'Product' };
    if (RELEASES_AFTER.test(after) && !/\d/u.test(m.text) && /^[A-Z]/u.test(m.text)) return { ...m, type: 'Organization' };
    return m;
  });
}

export function detectMentions(ctx: SentenceCtx, cp: CompiledPack, lex: MentionLexicons = {}): Mention[] {
  const all: Mention[] = [];
  matchLexicon(ctx, cp.dictionary, all);
  if (lex.corpus) matchLexicon(ctx, lex.corpus, all);
  if (lex.terms) matchLexicon(ctx, lex.terms, all);
  companies(ctx, cp, all);
  patterns(ctx, cp, all);
  products(ctx, all);
  described(ctx, all);
  pos(ctx, cp, all, lex.capsSeen);
  return typeByContext(ctx, resolveOverlaps(all.filter((m) => m.text.trim().length >= 2 && !isBoilerplate(m.text) && !(m.type === 'Organization' && isGenericOrg(m.text)) && !(m.type === undefined && GENERIC_LATIN.test(m.text)))));
}
