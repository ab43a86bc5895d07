/**
 * Where PII is in a text: one finder per kind, in the formats people actually write (separators,
 * country and area codes, grouped digits), checked with the kind's checksum where one exists.
 * Each finder appends candidate spans; ingest/pii.ts resolves overlaps and applies the tenant policy.
 */
import type { PiiKind } from './contract.js';
import { isValidChineseId, isValidUscc, luhnValid } from './pii-validators.js';

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

/** Not inside a longer token, a decimal, a thousands-grouped or dash-joined number. */
const NB = '(?<![0-9A-Za-z_])(?<!\\d[.,/\\-–—])';
const NE = '(?![0-9A-Za-z_])(?![.,/\\-–—]\\d)';

const ID18_RE = new RegExp(`${NB}[1-9]\\d{5}[ -]?(?:19|20)\\d{2}[ -]?(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])[ -]?\\d{3}[\\dXx]${NE}`, 'g');
/** First-generation 15-digit ID (no check digit): only right after an ID label. */
const ID15_RE = new RegExp(`${NB}[1-9]\\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}${NE}`, 'g');
const ID_LABEL = /(?:身份证|身份號碼|身份证号码|身份证号|公民身份号码|证件号码|证件号)[^\d\n]{0,6}$/;
const USCC_RE = new RegExp(`${NB}[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}${NE}`, 'g');
/** Bare 15–19 digits, 4-4-4-4(-1..3) and Amex 4-6-5 groups; a grouped card must not be one cell of a longer row of numbers. */
const CARD_RE = new RegExp(`${NB}(?<!\\d )(?:\\d{15,19}|\\d{4}([ -])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1?\\d{1,3})?|3[47]\\d{2}([ -])\\d{6}\\2\\d{5})${NE}(?! \\d)`, 'g');

const CC86 = '(?:(?:\\+|00)86[ -]?|\\(\\+?86\\) ?|86-)';
/** Separators between digit groups in Chinese text: space, hyphen, en or em dash. */
const S = '[ \\-–—]';
const MOBILE_RE = new RegExp(`${NB}${CC86}?1[3-9]\\d(?:\\d{8}|(${S})\\d{4}\\1\\d{4}|${S}\\d{8}|\\d{4}${S}\\d{4})${NE}`, 'g');
const AREA = '(?:10|2\\d|[3-9]\\d{2})';
const LOCAL = `(?:[2-9]\\d{6,7}|[2-9]\\d{2,3}${S}\\d{4})`;
const EXT = '(?:(?:-|转|分机|[ ]?(?:ext\\.?|x)[ ]?)\\d{1,5})?';
const LANDLINE_RE = new RegExp(
  `${NB}(?:\\(0${AREA}\\)${S}?${LOCAL}|0${AREA}${S}${LOCAL}|0${AREA}[2-9]\\d{6,7}|${CC86}\\(?${AREA}\\)?${S}?${LOCAL}|\\+86 ?\\(0\\) ?${AREA}${S}?${LOCAL})${EXT}${NE}`,
  'g',
);
/**
 * North American numbers: separators required unless +1 leads (a bare 10-digit run needs a phone label,
 * see findLabelledPhones). Typeset text uses en dashes (`202–493–2251`) and wraps lines after a dash.
 */
const D = '[.\\-–]\\n?';
const NANP_RE = new RegExp(
  `${NB}(?:(?:1[ .\\-–]?)?(?:\\([2-9]\\d{2}\\)[ \\n]?|[2-9]\\d{2}${D})[2-9]\\d{2}${D}\\d{4}|\\+1[ .\\-–]?\\(?[2-9]\\d{2}\\)?[ .\\-–]?[2-9]\\d{2}[ .\\-–]?\\d{4})${NE}`,
  'g',
);
/** Australian national numbers: (0X) XXXX XXXX, 04XX XXX XXX, 1800/1300 XXX XXX, 1300 XX XX XX, 13 XX XX. */
const AU_RE = new RegExp(`${NB}(?:\\(0[2378]\\) \\d{4} \\d{4}|0[2378] \\d{4} \\d{4}|04\\d{2} \\d{3} \\d{3}|1[38]00 \\d{3} \\d{3}|1300 \\d{2} \\d{2} \\d{2}|13 \\d{2} \\d{2})${NE}`, 'g');
/** UK national numbers: 11 digits starting 0, written 3-4-4, 4-3-4 or 5-6 (with or without the area code in parentheses). */
const UK_RE = new RegExp(`${NB}(?:\\(0\\d{2,4}\\) ?|0\\d{2,4} )\\d{3,4} ?\\d{3,4}${NE}`, 'g');

/** Text right before a digit run that marks it as a business number, not a card or phone. */
const BUSINESS_NUMBER_CONTEXT = /(订单|单号|编号|流水|运单|快递|发票|工号|学号|合同号|批次|序列号|代码|型号|货号|条码|ISBN|ISSN|order|invoice|tracking|serial|ref(?:erence)?|code|part|model|SKU)\s*(?:no\.?|number|#|号码|号|码)?\s*[:：#]?\s*$/i;
const CARD_IIN = /^[3456]/;
/** A phone label: 电话 / Tel / call us at … up to a few characters before the number. */
const PHONE_LABEL = /(?:电话|手机|联系方式|传真|热线|座机|固话|致电|拨打|\b(?:tel|phone|telephone|fax|facsimile|mobile|cell|call(?: us)?(?: at| on)?|contact|hotline|whatsapp)\b)[^\d\n+(（]{0,12}$/i;
/** `call our San Francisco office at …`: a longer English lead-in ending in at/on. */
const PHONE_LEAD_IN = /\b(?:call|phone|ring|reach|contact|text)\b[A-Za-z .,'’-]{0,40}\b(?:at|on)[ :]*$/i;
const PHONE_LABEL_CJK = /[电话手机联系方式传真热线座固致拨打]/;

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) yield m;
}

const digitsOf = (s: string): string => s.replace(/\D/g, '');
const before = (text: string, at: number, n: number): string => text.slice(Math.max(0, at - n), at);

/** A space-grouped number that is one cell of a row of numbers (`2025 0331 1234 5678 …`) is not a phone. */
function inNumberRow(text: string, start: number, end: number): boolean {
  if (!text.slice(start, end).includes(' ')) return false;
  return /\d $/.test(before(text, start, 2)) || /^ \d/.test(text.slice(end, end + 2));
}

function push(out: PiiMatch[], kind: PiiKind, start: number, end: number): void {
  out.push({ kind, start, end });
}

export function findIdCards(text: string, out: PiiMatch[]): void {
  for (const m of matches(ID18_RE, text)) {
    const compact = m[0].replace(/[ -]/g, '');
    if (isValidChineseId(compact)) push(out, 'idCard', m.index, m.index + m[0].length);
  }
  for (const m of matches(ID15_RE, text)) {
    if (ID_LABEL.test(before(text, m.index, 16))) push(out, 'idCard', m.index, m.index + m[0].length);
  }
}

export function findUscc(text: string, out: PiiMatch[]): void {
  for (const m of matches(USCC_RE, text)) if (isValidUscc(m[0])) push(out, 'uscc', m.index, m.index + m[0].length);
}

export function findBankCards(text: string, out: PiiMatch[]): void {
  for (const m of matches(CARD_RE, text)) {
    const digits = digitsOf(m[0]);
    if (digits.length < 15 || digits.length > 19 || !CARD_IIN.test(digits) || !luhnValid(digits)) continue;
    if (digits.length === 15 && !/^3[47]/.test(digits)) continue; // 15 digits: American Express only
    const ctx = before(text, m.index, 16);
    if (BUSINESS_NUMBER_CONTEXT.test(ctx) || ID_LABEL.test(ctx)) continue; // an ID number with a typo is not a card
    push(out, 'bankCard', m.index, m.index + m[0].length);
  }
}

function findByRegex(re: RegExp, kind: PiiKind, text: string, out: PiiMatch[], accept: (m: RegExpExecArray) => boolean = () => true): void {
  for (const m of matches(re, text)) {
    const end = m.index + m[0].length;
    if (inNumberRow(text, m.index, end) || !accept(m)) continue;
    if (BUSINESS_NUMBER_CONTEXT.test(before(text, m.index, 16))) continue;
    push(out, kind, m.index, end);
  }
}

export const findMobiles = (text: string, out: PiiMatch[]): void => findByRegex(MOBILE_RE, 'mobile', text, out);
export const findLandlines = (text: string, out: PiiMatch[]): void => findByRegex(LANDLINE_RE, 'landline', text, out);

/** `+` then a country code and digit groups (E.164 written for people): 8–15 digits; scanned, not backtracked. */
function findPlusNumbers(text: string, out: PiiMatch[]): void {
  for (let at = text.indexOf('+'); at >= 0; at = text.indexOf('+', at + 1)) {
    if (!/[1-9]/.test(text[at + 1] ?? '') || /[0-9A-Za-z_]/.test(text[at - 1] ?? '')) continue;
    let i = at + 1;
    let digits = 0;
    let end = at;
    let lastSep = false;
    while (i < text.length && digits <= 15) {
      const c = text[i] as string;
      if (c >= '0' && c <= '9') {
        // a new group that would pass 15 digits ends the number before it
        let g = i;
        while (g < text.length && /\d/.test(text[g] as string)) g++;
        const trunk = text.slice(i - 1, g + 1) === '(0)';
        if (!trunk && digits + (g - i) > 15) break;
        if (!trunk) digits += g - i;
        i = g;
        end = text[i] === ')' ? i + 1 : i;
        lastSep = false;
        continue;
      }
      const sep = c === ' ' || c === '-' || c === '–' || c === '.' || c === '(' || c === ')' || (c === '\n' && digits < 8); // a number wrapped before it is complete
      if (sep && !(lastSep && c !== '(' && text[i - 1] !== ')')) {
        lastSep = true;
        i++;
        continue;
      }
      break;
    }
    if (digits < 8 || digits > 15) continue;
    if (digits < 10 && /^\+\d+$/.test(text.slice(at, end))) continue; // `+20250331`: a signed number, not a phone
    if (/^[.,]\d/.test(text.slice(end, end + 2)) || /^\d/.test(text[end] ?? '')) continue;
    const d = digitsOf(text.slice(at, end));
    const kind: PiiKind = d.startsWith('86') ? (/^861[3-9]\d{9}$/.test(d) ? 'mobile' : 'landline') : 'enPhone';
    push(out, kind, at, end);
  }
}

export function findOtherPhones(text: string, out: PiiMatch[]): void {
  findByRegex(NANP_RE, 'enPhone', text, out);
  findByRegex(UK_RE, 'enPhone', text, out, (m) => {
    const d = digitsOf(m[0]);
    return d.length === 11 && /^0[1-37-9]/.test(d);
  });
  findByRegex(AU_RE, 'enPhone', text, out);
  findPlusNumbers(text, out);
}

/**
 * The kind of a number written after a phone label, or undefined when no numbering plan has numbers of
 * that shape (a mobile missing a digit, a US area code starting 0 or 1).
 */
function labelledPhoneKind(s: string, d: string, cjkLabel: boolean): PiiKind | undefined {
  if (/^(?:\+?86|0086)?1[3-9]\d{9}$/.test(d) && !/^\+(?!86)/.test(s)) return 'mobile';
  if (s.startsWith('+') || s.startsWith('00')) return d.startsWith('86') || d.startsWith('0086') ? 'landline' : 'enPhone';
  if (cjkLabel) {
    if (/^0\d{9,11}$/.test(d) || /^[2-9]\d{6,7}$/.test(d) || /^[48]00\d{7}$/.test(d)) return 'landline';
    return undefined;
  }
  if (/^1?[2-9]\d{2}[2-9]\d{6}$/.test(d) || /^[2-9]\d{6}$/.test(d)) return 'enPhone';
  // national numbers with a trunk 0 (UK, AU, EU …), unless written in the North-American 3-3-4 grouping
  if (/^0\d{8,11}$/.test(d) && !/^\(?\d{3}\)?[ .\-–]\d{3}[ .\-–]\d{4}$/.test(s)) return 'enPhone';
  return undefined;
}

const LABELLED_NUMBER_RE = /\(?\+?\d[\d ().-]{5,22}\d/g;

/**
 * A number right after a phone label (电话：/ Tel: / call …) in any layout: 7–15 digits. Catches local
 * numbers without an area code, bare 10-digit US numbers and national formats of other countries.
 */
export function findLabelledPhones(text: string, out: PiiMatch[]): void {
  for (const m of matches(LABELLED_NUMBER_RE, text)) {
    const label = PHONE_LABEL.exec(before(text, m.index, 24)) ?? PHONE_LEAD_IN.exec(before(text, m.index, 56));
    if (!label || BUSINESS_NUMBER_CONTEXT.test(before(text, m.index, 16))) continue;
    let s = m[0];
    // a number is not followed by a decimal or a longer token
    if (/^[.,]\d|^[0-9A-Za-z]/.test(text.slice(m.index + s.length, m.index + s.length + 2))) continue;
    s = s.replace(/[ (.-]+$/, '');
    const d = digitsOf(s);
    if (d.length < 7 || d.length > 15) continue;
    if (/^(?:19|20)\d{2}[-./ ]?[01]\d[-./ ]?[0-3]\d$/.test(s.trim())) continue; // a date
    const cjk = PHONE_LABEL_CJK.test(label[0]);
    const kind = labelledPhoneKind(s.trim(), d, cjk);
    if (!kind) continue;
    push(out, kind, m.index, m.index + s.length);
  }
}

const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9.-]/;
const DOMAIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$/;
/** `name [at] example.com`, `name(at)example.com`: the usual spam-proofed forms. */
const OBFUSCATED_EMAIL_RE = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63} ?(?:\[at\]|\(at\)|（at）|\{at\}) ?[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:(?:\.|\[dot\]|\(dot\))[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?){0,8}(?:\.|\[dot\]|\(dot\))[A-Za-z]{2,24}(?![A-Za-z0-9-])/gi;

/**
 * Emails found from each '@' outwards (linear, no regex backtracking on long lines). Also the forms
 * of typeset text: a line wrapped after `-` or `@`, and a brace group `{ann, bob}@example.org`.
 */
export function findEmails(text: string, out: PiiMatch[]): void {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    if (text[at - 1] === '}') {
      const open = text.lastIndexOf('{', at);
      const inner = open >= 0 ? text.slice(open + 1, at - 1) : '';
      if (open >= 0 && at - open <= 300 && /^[A-Za-z0-9._%+\- ,;]+$/.test(inner) && /[A-Za-z0-9]/.test(inner)) s = open;
    } else {
      for (;;) {
        while (s > 0 && at - s < 64 && EMAIL_LOCAL.test(text[s - 1] as string)) s--;
        // `9-⏎ANM-…@faa.gov`: a local part hyphen-wrapped onto the next line
        if (s >= 2 && text[s - 1] === '\n' && text[s - 2] === '-' && s < at && at - s < 64) {
          s--;
          continue;
        }
        break;
      }
      while (s < at && (text[s] === '.' || text[s] === '-')) s++;
    }
    const d0 = text[at + 1] === '\n' ? at + 2 : at + 1;
    let e = d0;
    while (e < text.length && e - at < 255 && EMAIL_DOMAIN.test(text[e] as string)) e++;
    while (e > d0 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
    if (s === at) continue;
    if (!DOMAIN_RE.test(text.slice(d0, e))) continue;
    push(out, 'email', s, e);
  }
  if (/\[at\]|\(at\)|（at）|\{at\}/i.test(text)) for (const m of matches(OBFUSCATED_EMAIL_RE, text)) push(out, 'email', m.index, m.index + m[0].length);
}
