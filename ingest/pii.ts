import { z } from 'zod';
import { isValidChineseId, isValidUscc, luhnValid } from './pii-validators.js';

export const PII_KINDS = ['email', 'idCard', 'uscc', 'bankCard', 'mobile', 'landline', 'enPhone'] as const;
export const PiiKind = z.enum(PII_KINDS);
export type PiiKind = z.infer<typeof PiiKind>;

/** Typed placeholders; the three phone kinds share one. */
export const PII_PLACEHOLDER: Record<PiiKind, string> = {
  email: '[EMAIL]',
  idCard: '[ID_CARD]',
  uscc: '[USCC]',
  bankCard: '[BANK_CARD]',
  mobile: '[PHONE]',
  landline: '[PHONE]',
  enPhone: '[PHONE]',
};

/** Per-tenant PII policy: every kind is redacted unless switched off. */
export const PiiConfig = z.object({
  enabled: z.partialRecord(PiiKind, z.boolean()).default({}),
});
export type PiiConfig = z.input<typeof PiiConfig>;

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

export type PiiCounts = Partial<Record<PiiKind, number>>;

const B = '(?<![0-9A-Za-z])';
const E = '(?![0-9A-Za-z])';
const ID_RE = new RegExp(`${B}[1-9]\\d{5}(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])\\d{3}[\\dXx]${E}`, 'g');
const USCC_RE = new RegExp(`${B}[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}${E}`, 'g');
// a grouped card number must not be one cell of a longer row of numbers
const CARD_RE = new RegExp(`${B}(?<!\\d[ -])(?:\\d{16,19}|\\d{4}(?:[ -]\\d{4}){3}(?:[ -]?\\d{1,3})?)${E}(?![ -]\\d)`, 'g');
const MOBILE_RE = new RegExp(`${B}(?:(?:\\+|00)?86[ -]?)?1[3-9]\\d(?:\\d{8}|[ -]\\d{4}[ -]\\d{4})${E}`, 'g');
const LANDLINE_RE = new RegExp(`(?:${B}|(?<=\\())(?:\\(0(?:10|2\\d|[3-9]\\d{2})\\) ?|0(?:10|2\\d|[3-9]\\d{2})[- ])[2-9]\\d{6,7}(?:-\\d{1,5})?${E}`, 'g');
const EN_PHONE_RE = new RegExp(`(?:${B}|(?<=\\())(?:\\+?1[ .-]?)?(?:\\([2-9]\\d{2}\\) ?|[2-9]\\d{2}[.-])[2-9]\\d{2}[.-]\\d{4}${E}`, 'g');

/** Text right before a digit run that marks it as a business number, not a card. */
const NOT_A_CARD_CONTEXT = /(订单|单号|编号|流水|运单|快递|发票|工号|学号|合同号|批次|序列号|order|invoice|tracking|serial|ref(?:erence)?)\s*(?:no\.?|number|号|码)?\s*[:：#]?\s*$/i;
const CARD_IIN = /^[3456]/;

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) yield m;
}

const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9.-]/;

/** Emails found from each '@' outwards (linear, no regex backtracking on long lines). */
function findEmails(text: string, out: PiiMatch[]): void {
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && at - s < 64 && EMAIL_LOCAL.test(text[s - 1] as string)) s--;
    while (s < at && (text[s] === '.' || text[s] === '-')) s++;
    let e = at + 1;
    while (e < text.length && e - at < 255 && EMAIL_DOMAIN.test(text[e] as string)) e++;
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
    if (s === at) continue;
    const domain = text.slice(at + 1, e);
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$/.test(domain)) continue;
    out.push({ kind: 'email', start: s, end: e });
  }
}

/** All PII spans of the enabled kinds, non-overlapping (priority: the order of PII_KINDS), sorted by start. */
export function detectPii(text: string, config: PiiConfig = {}): PiiMatch[] {
  const enabled = PiiConfig.parse(config).enabled;
  const on = (k: PiiKind): boolean => enabled[k] !== false;
  const found: PiiMatch[] = [];
  if (on('email')) findEmails(text, found);
  if (on('idCard')) for (const m of matches(ID_RE, text)) if (isValidChineseId(m[0])) found.push({ kind: 'idCard', start: m.index, end: m.index + m[0].length });
  if (on('uscc')) for (const m of matches(USCC_RE, text)) if (isValidUscc(m[0])) found.push({ kind: 'uscc', start: m.index, end: m.index + m[0].length });
  if (on('bankCard')) {
    for (const m of matches(CARD_RE, text)) {
      const digits = m[0].replace(/[ -]/g, '');
      if (digits.length < 16 || digits.length > 19 || !CARD_IIN.test(digits) || !luhnValid(digits)) continue;
      if (NOT_A_CARD_CONTEXT.test(text.slice(Math.max(0, m.index - 16), m.index))) continue;
      found.push({ kind: 'bankCard', start: m.index, end: m.index + m[0].length });
    }
  }
  if (on('mobile')) for (const m of matches(MOBILE_RE, text)) found.push({ kind: 'mobile', start: m.index, end: m.index + m[0].length });
  if (on('landline')) for (const m of matches(LANDLINE_RE, text)) found.push({ kind: 'landline', start: m.index, end: m.index + m[0].length });
  if (on('enPhone')) for (const m of matches(EN_PHONE_RE, text)) found.push({ kind: 'enPhone', start: m.index, end: m.index + m[0].length });
  if (found.length <= 1) return found;
  // resolve overlaps: higher-priority kind wins, then the longer span
  const prio = (k: PiiKind): number => PII_KINDS.indexOf(k);
  found.sort((a, b) => prio(a.kind) - prio(b.kind) || b.end - b.start - (a.end - a.start));
  const kept: PiiMatch[] = [];
  for (const m of found) if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  return kept.sort((a, b) => a.start - b.start);
}

export interface Redacted {
  text: string;
  counts: PiiCounts;
}

/** Replaces each PII span with its typed placeholder and counts them per kind. */
export function redactPii(text: string, config: PiiConfig = {}): Redacted {
  const found = detectPii(text, config);
  if (found.length === 0) return { text, counts: {} };
  const counts: PiiCounts = {};
  const parts: string[] = [];
  let pos = 0;
  for (const m of found) {
    parts.push(text.slice(pos, m.start), PII_PLACEHOLDER[m.kind]);
    counts[m.kind] = (counts[m.kind] ?? 0) + 1;
    pos = m.end;
  }
  parts.push(text.slice(pos));
  return { text: parts.join(''), counts };
}

export function addCounts(into: Record<string, number>, add: PiiCounts): Record<string, number> {
  for (const [k, v] of Object.entries(add)) into[k] = (into[k] ?? 0) + (v ?? 0);
  return into;
}
