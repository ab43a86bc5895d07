import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { PII_KINDS, PiiAction, PiiKind, PiiOptions, type PiiOptionsInput } from './contract.js';
import {
  findBankCards, findEmails, findIdCards, findLabelledPhones, findLandlines, findMobiles, findOtherPhones, findUscc, type PiiMatch,
} from './pii-patterns.js';

export { PII_KINDS, PiiKind, PiiOptions, type PiiOptionsInput, type PiiMatch };

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

/**
 * Per-tenant PII policy as ingest applies it: every kind is redacted with its typed placeholder
 * unless `kinds` narrows the set or `enabled` switches a kind off (the pipeline input's `pii` maps here).
 */
export const PiiConfig = z.object({
  enabled: z.partialRecord(PiiKind, z.boolean()).default({}),
  /** Kinds redacted (all when absent). */
  kinds: z.array(PiiKind).optional(),
  action: PiiAction.default('mask'),
  /** Values kept as they are (digits compared for numbers, case-insensitive for emails). */
  allow: z.array(z.string()).default([]),
  /** Key of the `hash` action's digest: the same value and key give the same token. */
  hashKey: z.string().default(''),
});
export type PiiConfig = z.input<typeof PiiConfig>;

/**
 * Ingest's config from a tenant's pipeline-input policy. `hashKey` keys the `hash` action's digests
 * (the ingest activity passes the tenant, so tokens are stable within a tenant and differ across tenants).
 */
export function piiConfigFor(options: PiiOptionsInput | undefined, hashKey: string): PiiConfig {
  const o = PiiOptions.parse(options ?? {});
  return { kinds: o.kinds, action: o.action, allow: o.allow, hashKey };
}

export type PiiCounts = Partial<Record<PiiKind, number>>;

const PHONE_KINDS: ReadonlySet<PiiKind> = new Set(['mobile', 'landline', 'enPhone']);

/** A value in one canonical form, so `+86 138-1234-5678` and `13812345678` compare (and hash) equal. */
function canonicalValue(value: string): string {
  if (value.includes('@') || /[[(（{]at[\])）}]/i.test(value)) {
    return value.toLowerCase().replace(/\s*[[(（{]at[\])）}]\s*/i, '@').replace(/\[dot\]|\(dot\)/gi, '.');
  }
  const v = value.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (!/^\d+$/.test(v)) return v;
  return v.replace(/^00/, '').replace(/^86(?=1[3-9]\d{9}$|[1-9]\d{8,10}$)/, '').replace(/^0+/, '');
}

/** Whether an allow-list entry names this value (a phone may be listed without its country or trunk prefix). */
function allowed(kind: PiiKind, value: string, allow: ReadonlySet<string>): boolean {
  const v = canonicalValue(value);
  if (allow.has(v)) return true;
  if (!PHONE_KINDS.has(kind)) return false;
  for (const a of allow) if (a.length >= 7 && /^\d+$/.test(a) && v.endsWith(a) && v.length - a.length <= 3) return true;
  return false;
}

/** Overlaps: a different placeholder goes by the order of PII_KINDS; among phones the longer span wins. */
function resolveOverlaps(found: PiiMatch[]): PiiMatch[] {
  if (found.length <= 1) return found;
  const group = (k: PiiKind): number => (PHONE_KINDS.has(k) ? PII_KINDS.indexOf('mobile') : PII_KINDS.indexOf(k));
  found.sort((a, b) => group(a.kind) - group(b.kind) || b.end - b.start - (a.end - a.start) || PII_KINDS.indexOf(a.kind) - PII_KINDS.indexOf(b.kind));
  const kept: PiiMatch[] = [];
  for (const m of found) if (!kept.some((k) => m.start < k.end && k.start < m.end)) kept.push(m);
  return kept.sort((a, b) => a.start - b.start);
}

/** All PII spans of the enabled kinds that the allow-list does not name, non-overlapping, sorted by start. */
export function detectPii(text: string, config: PiiConfig = {}): PiiMatch[] {
  const c = PiiConfig.parse(config);
  const wanted = new Set(c.kinds ?? PII_KINDS);
  const on = (k: PiiKind): boolean => wanted.has(k) && c.enabled[k] !== false;
  const found: PiiMatch[] = [];
  if (on('email')) findEmails(text, found);
  if (on('idCard')) findIdCards(text, found);
  if (on('uscc')) findUscc(text, found);
  if (on('bankCard')) findBankCards(text, found);
  if (on('mobile')) findMobiles(text, found);
  if (on('landline')) findLandlines(text, found);
  if (on('enPhone')) findOtherPhones(text, found);
  // a number after a phone label only fills gaps: where a format above matched, its span stands
  const labelled: PiiMatch[] = [];
  if (on('mobile') || on('landline') || on('enPhone')) findLabelledPhones(text, labelled);
  for (const m of labelled) if (on(m.kind) && !found.some((f) => m.start < f.end && f.start < m.end)) found.push(m);
  const allow = new Set(c.allow.map(canonicalValue));
  const kept = allow.size ? found.filter((m) => !allowed(m.kind, text.slice(m.start, m.end), allow)) : found;
  return resolveOverlaps(kept);
}

export interface Redacted {
  text: string;
  counts: PiiCounts;
}

/** The text that replaces a span under the tenant's action. */
function replacement(kind: PiiKind, value: string, action: PiiAction, key: string): string {
  if (action === 'drop') return '';
  const tag = PII_PLACEHOLDER[kind];
  if (action === 'mask') return tag;
  const group = PHONE_KINDS.has(kind) ? 'phone' : kind;
  const digest = createHmac('sha256', key).update(`${group}:${canonicalValue(value)}`).digest('hex').slice(0, 8);
  return `${tag.slice(0, -1)}:${digest}]`;
}

/** Replaces each PII span by the tenant's action (typed placeholder by default) and counts them per kind. */
export function redactPii(text: string, config: PiiConfig = {}): Redacted {
  const c = PiiConfig.parse(config);
  const found = detectPii(text, c);
  if (found.length === 0) return { text, counts: {} };
  const counts: PiiCounts = {};
  const parts: string[] = [];
  let pos = 0;
  for (const m of found) {
    parts.push(text.slice(pos, m.start), replacement(m.kind, text.slice(m.start, m.end), c.action, c.hashKey));
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
