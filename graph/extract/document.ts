/**
 * What an English licence, rule, policy, handbook or manual states about itself on its first lines
 * and in its copyright notice — the facts a reader of any such document can check at a glance:
 * - its title (a short line of capitalised words ending in License, Guide, Manual, Policy, Checklist,
 *   Rule, Act …, within the first lines of page 1) is a Regulation-type entity;
 * - the version or release printed with the title or on the next line (Version 3, 29 June 2007;
 *   Release 23.7.R1), the version's date, the web address printed under the title;
 * - the organization printed on the line right above the title issues it (ISSUED_BY);
 * - the copyright notice (Copyright (C) 2007 Free Software Foundation, Inc. / © 2023 Nokia. /
 *   © Copyright IBM Corp. 2014.): the holder issues the titled document, and the year is its
 *   copyright year (the holder's, when the document has no title line);
 * - in a licence, policy, rule or checklist, the time limits it sets (prior to 60 days after …,
 *   valid for at least three years, a MINIMUM of 5 working days) belong to it.
 * A title alone (no version, issuer, copyright or time limit) states nothing and makes no fact.
 */
import type { ChunkRecord } from '../../ingest/index.js';
import type { pagesOf } from './financial.js';
import { pagesPerDocument } from './financial.js';
import { spanCtx } from './internal/sentences.js';
import type { RawFact } from './types.js';

const CONNECTOR = String.raw`(?:of|for|and|the|in|on|to|&)`;
const TITLE_WORD = String.raw`(?:[A-Z][A-Za-z'’-]*|${CONNECTOR})`;
/** Heads that make a line a document's title; the second group sets rules (time limits are its facts). */
const MANUAL_HEAD = String.raw`Guide|Manual|Handbook|Specification|Guidelines?`;
const RULE_HEAD = String.raw`Licen[cs]e|Policy|Policies|Checklist|Standard|Regulations?|Rules?|Act|Code of Conduct|Agreement|Terms of Use|Terms and Conditions`;
const TITLE = new RegExp(String.raw`^(?<title>[A-Z][A-Za-z'’-]*(?:\s+${TITLE_WORD}){0,7}?\s+(?<head>${MANUAL_HEAD}|${RULE_HEAD}))(?:(?:\s*,)?\s+(?<vk>Version|Release|Edition|Revision)\s+(?<v>\d[\w.]*)(?:\s.*)?)?$`, 'iu');
const VERSION_LINE = /^(?<vk>Version|Release|Edition|Revision)\s+(?<v>\d[\w.]*)(?:\s*,\s*(?<date>(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+(?:\d{1,2},\s*)?(?:19|20)\d{2}))?$/u;
const URL_LINE = /^<?(?<url>https?:\/\/[^\s<>]+)>?$/u;
const ORG_LINE = /^(?<org>(?:[A-Z][A-Za-z'’&.-]*\s+){0,6}(?:University|UNIVERSITY|Foundation|FOUNDATION|Institute|INSTITUTE|Department|DEPARTMENT|Agency|AGENCY|Association|ASSOCIATION|Commission|COMMISSION|Inc\.|INC\.|Ltd\.?|LTD\.?|Limited|LIMITED|Corporation|CORPORATION|Company|COMPANY))$/u;
/** Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/> / © 2023 Nokia. / © Copyright IBM Corp. 2014. */
const COPYRIGHT = /(?:Copyright\s*(?:\(C\)|©)?|©\s*(?:Copyright)?)\s*(?:(?<y1>(?:19|20)\d{2})(?:\s*[-–,]\s*(?:19|20)\d{2})*\s+)?(?<org>[A-Z][A-Za-z&'’-]*(?:\s+(?:[A-Z][A-Za-z&'’-]*|of|for|and))*(?:,?\s+(?:Inc|Corp|Ltd|Co)\.?)?)(?:\.?\s+(?<y2>(?:19|20)\d{2}))?\.?(?:\s*<(?<url>https?:\/\/[^\s<>]+)>)?/gu;
const NUMBER_WORD: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fifteen: 15, thirty: 30, sixty: 60, ninety: 90 };
const LIMIT = new RegExp(String.raw`\b(?<kw>within|prior to|at least|no later than|not later than|not less than|not more than|(?:a\s+)?minimum of|(?:a\s+)?maximum of)\s+(?<n>\d{1,3}|${Object.keys(NUMBER_WORD).join('|')})\s+(?<u>(?:calendar\s+|business\s+|working\s+)?(?:days?|weeks?|months?|years?))\b`, 'giu');

const CONF_DOC = 0.85;
const ORG_WORD_EN = /\b(?:Foundation|Institute|University|Association|Society|Group|Company|Corporation|Software|Systems|Technologies|Labs?|Project|Consortium|Council|Agency|Networks|Media|Press|Trust)\b/u;
const CONF_LIMIT = 0.8;
/** Lines of page 1 that may hold the title: a cover or a licence puts it first. */
const TITLE_LINES = 8;

interface Line { s: number; text: string }

const ZH_HEAD = String.raw`手册|指南|规范|标准|办法|条例|规定|规则|细则|准则|守则|白皮书|说明书|规程`;
const ZH_RULE_HEAD = /(?:规范|标准|办法|条例|规定|规则|细则|准则|守则|规程)$/u;
/** A short title line: Latin or Han words ending in a manual or rule head, in 《》 or bare, maybe a page number after it. */
const ZH_TITLE = new RegExp(String.raw`^《?(?<title>[A-Za-z0-9\p{Script=Han}][A-Za-z0-9\p{Script=Han} .()-]{0,28}?(?:${ZH_HEAD}))》?(?:\s+(?:[ivxlcIVXLC]+|\d{1,3}))?$`, 'u');
/** Pages of a document that hold its cover, imprint and revision pages. */
const COVER_PAGES = 3;
/** (版本 2.100)(2023-02-04 …), 版本号:1.0.2, V2.1 — the version, and the date printed with it. */
const ZH_VERSION = /(?:版本号?|Version)\s*[:：]?\s*(?<v>[vV]?\d+(?:\.\d+)+)\)?(?:\s*\((?<date>(?:19|20)\d{2}-\d{2}-\d{2}))?/gu;
/** 版权 © 2013-2021 青木修, 版权所有 (C) 2020 某某公司: the years and the holder. */
const ZH_COPYRIGHT = /版权(?:所有)?\s*(?:©|\(C\))?\s*(?<y>(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)\s+(?<holder>[\p{Script=Han}·]{2,20}|[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*){0,4})/gu;
/** WRITTEN BY Osamu Aoki (青木修), 作者:张三, 编写:某某. */
const AUTHOR = /(?:WRITTEN BY|Written by|作者|编写|编著)\s*[:：]?\s*(?<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}(?:\s*\([\p{Script=Han}·]{2,8}\))?|[\p{Script=Han}·]{2,8})(?![\p{Script=Han}A-Za-z])/gu;
const ORG_SUFFIX_ZH = /(?:公司|集团|大学|学院|研究院|委员会|协会|基金会|局|部|厅|中心)$/u;

type Push = (page: ReturnType<typeof pagesOf>[number], f: Omit<RawFact, 'sentence' | 'via'>, s: number, e: number) => void;

/** Version, version date, copyright years and holder, author of a titled Chinese manual or standard, from its first pages. */
function zhIdentity(pages: ReturnType<typeof pagesOf>, title: string, push: Push): RawFact[] {
  const subject = { text: title, type: 'Regulation' };
  const lit = (page: ReturnType<typeof pagesOf>[number], attr: string, v: string, s: number, e: number) =>
    push(page, { subject, predicate: `ATTR:${attr}`, object: { text: v, type: 'Text', literal: true }, confidence: CONF_DOC }, s, e);
  for (const page of pages) {
    for (const m of page.text.matchAll(ZH_VERSION)) {
      lit(page, '版本', m.groups!.v!, m.index, m.index + m[0].length);
      if (m.groups!.date) lit(page, '版本日期', m.groups!.date, m.index, m.index + m[0].length);
    }
    for (const m of page.text.matchAll(ZH_COPYRIGHT)) {
      const holder = m.groups!.holder!.trim();
      const e = m.index + m[0].length;
      lit(page, '版权年份', m.groups!.y!.replace(/\s+/gu, ''), m.index, e);
      if (ORG_SUFFIX_ZH.test(holder)) push(page, { subject, predicate: 'ISSUED_BY', object: { text: holder, type: 'Organization', literal: false }, confidence: CONF_DOC }, m.index, e);
      else lit(page, '版权所有者', holder, m.index, e);
    }
    for (const m of page.text.matchAll(AUTHOR)) lit(page, '作者', m.groups!.name!.replace(/\s+/gu, ' '), m.index, m.index + m[0].length);
  }
  return [];
}

/** A field label naming an identifier: Commission file number, Docket No., CREDO REFERENCE, Trading Symbol, 编号. */
const ID_LABEL = /^(?<label>[A-Z][A-Za-z.'’/ -]{1,60}?\s(?:number|Number|NUMBER|No\.|NO\.|ID|Identifier|Code|CODE|Reference|REFERENCE|Symbol|SYMBOL))$/u;
/** An identifier: digits with separators or capitals and digits (000-30653, 03/599, 20-8143439, RIN 1105-AB60). */
const ID_VALUE = /^(?=[^\s]*\d)[A-Z0-9][A-Z0-9./–-]{2,24}$/u;
/** A form's caption under its value: (State or other jurisdiction of incorporation), (IRS Employer Identification No.). */
const CAPTION = /^\((?<label>[A-Z][^()]{3,80})\)$/u;
const CONF_FIELD = 0.8;
const US_CITY = /(?:^|[–,-]\s*)(?<city>[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}),\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?$/u;

/**
 * Labelled fields of a cover or form page (first page only): `LABEL: VALUE` and `LABEL` over `VALUE`
 * for identifiers, and values over their captions in parentheses (US filing covers: k value lines,
 * then their k captions in the same order). A caption naming the name itself or a phone, or a
 * redacted or empty value, makes no field.
 */
export function coverFields(text: string): Array<{ label: string; value: string; s: number; e: number }> {
  const out: Array<{ label: string; value: string; s: number; e: number }> = [];
  const lines = linesOf(text);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const same = /^(?<label>[^:：]{3,60})[:：]\s*(?<v>\S.*)$/u.exec(l.text);
    if (same && ID_LABEL.test(same.groups!.label!.trim()) && ID_VALUE.test(same.groups!.v!.trim())) {
      out.push({ label: same.groups!.label!.trim(), value: same.groups!.v!.trim(), s: l.s, e: l.s + l.text.length });
      continue;
    }
    const next = lines[i + 1];
    if (ID_LABEL.test(l.text) && next && ID_VALUE.test(next.text)) {
      out.push({ label: l.text, value: next.text, s: l.s, e: next.s + next.text.length });
      i++;
      continue;
    }
    // Captions: a run of (…) lines; the same number of value lines right above them, in order.
    if (!CAPTION.test(l.text) || (i > 0 && CAPTION.test(lines[i - 1]!.text))) continue;
    let k = 0;
    while (i + k < lines.length && CAPTION.test(lines[i + k]!.text)) k++;
    if (i - k < 0) continue;
    for (let j = 0; j < k; j++) {
      const v = lines[i - k + j]!;
      const label = CAPTION.exec(lines[i + j]!.text)!.groups!.label!;
      if (CAPTION.test(v.text) || /\bname\b|telephone|phone/iu.test(label) || /^\[.*\]$|^[☐☑✓✔xX]$/u.test(v.text) || v.text.length > 80) continue;
      out.push({ label, value: v.text, s: v.s, e: lines[i + j]!.s + lines[i + j]!.text.length });
    }
    i += k - 1;
  }
  return out;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let at = 0;
  for (const raw of text.split('\n')) {
    const t = raw.trim();
    if (t) out.push({ s: at + (raw.length - raw.trimStart().length), text: t });
    at += raw.length + 1;
  }
  return out;
}

/** A title's words are capitalised (or all capitals): a line of prose that ends in "License" is no title. */
function titleCase(title: string): boolean {
  const words = title.split(/\s+/u);
  return words.every((w) => new RegExp(`^${CONNECTOR}$`, 'iu').test(w) || /^[A-Z]/u.test(w)) && words.filter((w) => /^[A-Z]/u.test(w)).length >= 2;
}

export interface DocumentOptions {
  /** The company a document reports on (a legal-suffix name on its first page), if any. */
  issuerOf?: (docSha256: string) => string | undefined;
}

export function extractDocumentFacts(chunks: ChunkRecord[], opts: DocumentOptions = {}): RawFact[] {
  const out: RawFact[] = [];
  for (const [doc, list] of pagesPerDocument(chunks)) {
    const seen = new Set<string>();
    const push = (page: ReturnType<typeof pagesOf>[number], f: Omit<RawFact, 'sentence' | 'via'>, s: number, e: number) => {
      const key = `${page.page}|${f.subject.text}|${f.predicate}|${f.object.text}`;
      const chunk = page.chunks.find((c) => c.start <= s && c.end >= e);
      if (!chunk || seen.has(key)) return;
      seen.add(key);
      out.push({ ...f, sentence: spanCtx(chunk, s - chunk.start, e - chunk.start), via: 'pattern' });
    };
    const first = list[0]!;
    const lines = linesOf(first.text).slice(0, TITLE_LINES);
    let title: { text: string; rules: boolean } | undefined;
    for (let i = 0; i < lines.length && !title; i++) {
      const l = lines[i]!;
      const m = TITLE.exec(l.text);
      if (!m || l.text.length > 100 || !titleCase(m.groups!.title!)) continue;
      const name = m.groups!.title!;
      title = { text: name, rules: new RegExp(`^(?:${RULE_HEAD})$`, 'iu').test(m.groups!.head!) };
      const subject = { text: name, type: 'Regulation' };
      const lit = (attr: string, v: string, s: number, e: number) => push(first, { subject, predicate: `ATTR:${attr}`, object: { text: v, type: 'Text', literal: true }, confidence: CONF_DOC }, s, e);
      let next = i + 1;
      if (m.groups!.v) lit(m.groups!.vk!.replace(/^./u, (c) => c.toUpperCase()), m.groups!.v, l.s, l.s + l.text.length);
      else {
        const v = lines[next] && VERSION_LINE.exec(lines[next]!.text);
        if (v) {
          const vl = lines[next]!;
          lit(v.groups!.vk!, v.groups!.v!, vl.s, vl.s + vl.text.length);
          if (v.groups!.date) lit(`${v.groups!.vk!} date`, v.groups!.date, vl.s, vl.s + vl.text.length);
          next++;
        }
      }
      const url = lines[next] && URL_LINE.exec(lines[next]!.text);
      if (url) lit('Website', url.groups!.url!, lines[next]!.s, lines[next]!.s + lines[next]!.text.length);
      const above = i > 0 ? ORG_LINE.exec(lines[i - 1]!.text) : null;
      if (above) {
        push(first, { subject, predicate: 'ISSUED_BY', object: { text: above.groups!.org!, type: 'Organization', literal: false }, confidence: CONF_DOC }, lines[i - 1]!.s, l.s + l.text.length);
      }
    }
    // A Chinese title (Debian 参考手册, 《X 开发规范》) on the first lines, maybe as a running header with a page number.
    if (!title) {
      for (const l of lines) {
        const m = ZH_TITLE.exec(l.text);
        if (m) { title = { text: m.groups!.title!.trim(), rules: ZH_RULE_HEAD.test(m.groups!.title!) }; break; }
      }
      if (title) out.push(...zhIdentity(list.slice(0, COVER_PAGES), title.text, push));
    }
    // Cover fields name the document's subject: the reporting company, else the titled document.
    const owner = opts.issuerOf?.(doc);
    const subjectOfFields = owner ? { text: owner, type: 'Organization' } : title ? { text: title.text, type: 'Regulation' } : undefined;
    if (subjectOfFields) {
      for (const f of coverFields(first.text)) {
        push(first, { subject: subjectOfFields, predicate: `ATTR:${f.label}`, object: { text: f.value, type: 'Text', literal: true }, confidence: CONF_FIELD }, f.s, f.e);
        // The seat's city from a postal address (… – Las Vegas, NV 89118).
        const city = /address/iu.test(f.label) ? US_CITY.exec(f.value) : null;
        if (city) push(first, { subject: subjectOfFields, predicate: 'LOCATED_IN', object: { text: city.groups!.city!, type: 'Location', literal: false }, confidence: CONF_FIELD }, f.s, f.e);
      }
    }
    for (const page of list) {
      for (const c of page.text.matchAll(COPYRIGHT)) {
        const org = c.groups!.org!.replace(/\s+/gu, ' ');
        const year = c.groups!.y1 ?? c.groups!.y2;
        if (!year || org.split(' ').length > 8 || /^(?:All|The|This|Notice|Holder|Owner)\b/u.test(org)) continue;
        const s = c.index;
        const e = c.index + c[0].length;
        // A holder named like a person (Osamu Aoki) holds the copyright; only an organization issues the document.
        const person = /^[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+){1,2}$/u.test(org) && !ORG_WORD_EN.test(org);
        const holder = { text: org, type: person ? 'Person' : 'Organization' };
        if (title && person) {
          push(page, { subject: { text: title.text, type: 'Regulation' }, predicate: 'ATTR:Copyright holder', object: { text: org, type: 'Text', literal: true }, confidence: CONF_DOC }, s, e);
          push(page, { subject: { text: title.text, type: 'Regulation' }, predicate: 'ATTR:Copyright year', object: { text: year, type: 'Text', literal: true }, confidence: CONF_DOC }, s, e);
        } else if (title) {
          push(page, { subject: { text: title.text, type: 'Regulation' }, predicate: 'ISSUED_BY', object: { ...holder, literal: false }, confidence: CONF_DOC }, s, e);
          push(page, { subject: { text: title.text, type: 'Regulation' }, predicate: 'ATTR:Copyright year', object: { text: year, type: 'Text', literal: true }, confidence: CONF_DOC }, s, e);
        } else {
          push(page, { subject: holder, predicate: 'ATTR:Copyright year', object: { text: year, type: 'Text', literal: true }, confidence: CONF_DOC }, s, e);
        }
        if (c.groups!.url) push(page, { subject: holder, predicate: 'ATTR:Website', object: { text: c.groups!.url, type: 'Text', literal: true }, confidence: CONF_DOC }, s, e);
      }
      if (!title?.rules) continue;
      for (const m of page.text.matchAll(LIMIT)) {
        const n = m.groups!.n!.toLowerCase();
        const value = `${NUMBER_WORD[n] ?? Number(n)} ${m.groups!.u!.toLowerCase().replace(/\s+/gu, ' ')}`;
        push(page, { subject: { text: title.text, type: 'Regulation' }, predicate: `ATTR:time limit (${m.groups!.kw!.toLowerCase().replace(/^a\s+/u, '')})`, object: { text: value, type: 'Text', literal: true }, confidence: CONF_LIMIT }, m.index, m.index + m[0].length);
      }
    }
  }
  return out;
}
