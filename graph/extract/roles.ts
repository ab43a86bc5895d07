/**
 * A person's title at an organization, stated as an apposition: 约翰逊航天中心发言人丹尼尔·霍特,
 * 星河精工的副总裁张伟, "Jane Doe, Chief Financial Officer of Orion Robotics Inc.". The title is kept
 * exactly (副总裁 ≠ 总裁 ≠ CEO); only a chief-executive title makes HAS_CEO. Both ends must be
 * recognised names of their type (an organization, a person), and nothing but the title (and a
 * field of up to six characters before it: 社会学荣誉教授) may stand between them.
 */
import type { ChunkRecord } from '../../ingest/index.js';
import { pagesOf } from './financial.js';
import { GENERIC_LATIN } from './internal/names.js';
import { spanCtx } from './internal/sentences.js';
import type { Mention, RawFact, SentenceCtx } from './types.js';

const ZH_TITLE = /(?:前|原|现任|时任)?(?<field>[\p{Script=Han}A-Z]{0,6}?)(?<title>首席执行官|首席财务官|首席技术官|首席科学家|联合创始人|创始人|副董事长|董事长|副总裁|总裁|副总经理|总经理|董事会秘书|独立董事|董事|监事|秘书长|副主任|主任|副院长|院长|副校长|校长|副教授|荣誉教授|教授|研究员|分析师|发言人|宇航员|科学家|工程师|总监|局长|部长|副主席|主席|CEO|CTO|CFO|COO)$/u;
const EN_TITLE = /^,\s*(?:the\s+)?(?<title>(?:(?:Senior|Executive|Vice|Deputy|Chief|Managing|Associate|Assistant|Founding|Co-)\s*)*(?:Chief Executive Officer|CEO|Chief Financial Officer|CFO|Chief Technology Officer|CTO|President|Chairman|Chairwoman|Chair|Director|Founder|Co-founder|Professor|Spokesperson|Spokesman|Spokeswoman|Analyst|Scientist|Engineer|Manager|Secretary|Partner|Head))(?:\s+(?:and|&)\s+[A-Z][A-Za-z ]{2,30}?)?\s+(?:of|at)\s+$/u;
const CEO = /首席执行官|CEO$|Chief Executive Officer/u;
const CONF_ROLE = 0.85;

/**
 * The facts a title states: a chief-executive title (创始人兼CEO too) makes HAS_CEO, any other title
 * HAS_ROLE with the title; a founder's title (创始人, 联合创始人兼CEO) also makes FOUNDED_BY.
 */
function fact(person: Mention, org: Mention, title: string, ctx: SentenceCtx): RawFact[] {
  const ceo = CEO.test(title) && !/副|Vice|Deputy/iu.test(title);
  const base = { sentence: ctx, confidence: CONF_ROLE, via: 'pattern' as const };
  const out: RawFact[] = [ceo
    ? { ...base, subject: { text: org.text, type: 'Organization' }, predicate: 'HAS_CEO', object: { text: person.text, type: 'Person', literal: false } }
    : { ...base, subject: { text: person.text, type: 'Person' }, predicate: 'HAS_ROLE', object: { text: org.text, type: 'Organization', literal: false } }];
  if (/创始人|Founder/iu.test(title)) out.push({ ...base, subject: { text: org.text, type: 'Organization' }, predicate: 'FOUNDED_BY', object: { text: person.text, type: 'Person', literal: false } });
  return out;
}

/** An acronym in capitals before a title is the organization's short name (NASA发言人). */
const isOrg = (m: Mention) => m.type === 'Organization' || (m.type === undefined && /^[A-Z]{2,6}$/.test(m.text) && !GENERIC_LATIN.test(m.text));
/** Two or three capitalized words (Jane Doe, Mukesh D. Ambani) stand for a person before ", Title of". */
const isPersonName = (m: Mention) => m.type === 'Person' || (m.type === undefined && /^[A-Z][a-z]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-z]+$/.test(m.text));

export function extractRoleFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const ms = ctx.mentions;
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (m.type === 'Person' && /\p{Script=Han}/u.test(ctx.match)) {
      // ORG(的)? [field] TITLE PERSON
      // PERSON，ORG(的)TITLE，… / PERSON(ORG TITLE): the title in apposition after the name.
      const next = ms[i + 1];
      if (next && isOrg(next) && /^\s*[,(]\s*$/u.test(ctx.match.slice(m.end, next.end - next.text.length))) {
        const after = /^的?(?<t>[^,.;:()。]{1,12}?)(?=[,.;:)。]|表示|说|指出|认为|介绍|透露|$)/u.exec(ctx.match.slice(next.end));
        const t = after && ZH_TITLE.exec(after.groups!.t!);
        if (t && t.index === 0) out.push(...fact(m, next, `${t.groups!.field ?? ''}${t.groups!.title!}`, ctx));
      }
      // A gloss in parentheses may follow the organization (纽约州立大学(State University of New York)社会学荣誉教授X):
      // names inside it are skipped, the organization is the one before it.
      // Meta首席AI科学家X: in Chinese text a capitalized Latin word right before a title is the organization holding it.
      for (const org of ms.slice(0, i).reverse().filter((x) => isOrg(x) || (x.type === undefined && /^[A-Z][A-Za-z0-9]+$/u.test(x.text) && !GENERIC_LATIN.test(x.text)))) {
        const rawGap = ctx.match.slice(org.end, m.start);
        if (/^[^(]*\)/u.test(rawGap)) continue;
        const paren = /^\([^()]{1,60}\)/u.exec(rawGap)?.[0].length ?? 0;
        const gap = rawGap.slice(paren).replace(/^\s*的/u, '').trim();
        const t = ZH_TITLE.exec(gap);
        if (t && t.index === 0 && !ms.some((x) => x.start >= org.end + paren && x.end <= m.start)) out.push(...fact(m, org, `${t.groups!.field ?? ''}${t.groups!.title!}`, ctx));
        break;
      }
      continue;
    }
    if (m.type === 'Organization' && i > 0) {
      // PERSON, TITLE of ORG
      const person = ms[i - 1]!;
      if (!isPersonName(person)) continue;
      const t = EN_TITLE.exec(ctx.match.slice(person.end, m.start));
      if (t) out.push(...fact(person, m, t.groups!.title!, ctx));
    }
  }
  return out;
}

/** Kinship stated between two named persons: 吕向阳先生为王传福先生之表兄, 张三先生及其配偶李四女士. */
const KIN = /^(?:先生|女士)?(?:为|是)$/u;
const KIN_AFTER = /^(?:先生|女士)?(?:之|的)(?:表兄|表弟|表姐|表妹|堂兄|堂弟|堂姐|堂妹|兄长|哥哥|弟弟|姐姐|妹妹|兄弟|姐妹|父亲|母亲|儿子|女儿|配偶|妻子|丈夫|岳父|岳母|女婿|侄子|外甥|姐夫|妹夫)/u;
const SPOUSE = /^(?:先生|女士)?及其(?:配偶|妻子|丈夫)$/u;
const CONF_KIN = 0.85;

export function extractKinFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  const people = ctx.mentions.filter((m) => m.type === 'Person');
  for (let i = 0; i + 1 < people.length; i++) {
    const a = people[i]!;
    const b = people[i + 1]!;
    const between = ctx.match.slice(a.end, b.start);
    // The subject is the person the kinship word describes: A为B之表兄 → A; A及其配偶B → B.
    const [s, o] = KIN.test(between) && KIN_AFTER.test(ctx.match.slice(b.end)) ? [a, b] : SPOUSE.test(between) ? [b, a] : [];
    if (s && o) out.push({ subject: { text: s.text, type: 'Person' }, predicate: 'RELATIVE_OF', object: { text: o.text, type: 'Person', literal: false }, sentence: ctx, confidence: CONF_KIN, via: 'pattern' });
  }
  return out;
}

/** Words a job title ends in (a biography's "is a senior DB2 consultant", "is an Associate Professor"). */
const BIO_TITLE = `(?:${'specialist consultant engineer scientist manager director professor researcher analyst architect officer president chairman chairwoman chair lecturer fellow editor counsel attorney physician surgeon oncologist nurse advisor adviser developer designer lead head partner administrator coordinator economist strategist instructor librarian curator'
  .split(' ').map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`).join('|')})`;
const ORG_WORD = String.raw`(?:[A-Z][A-Za-z0-9&.'’-]*|of|for|and|the|[a-z])(?![A-Za-z])`;
/**
 * PERSON is a TITLE at/with/on the ORG [in CITY, REGION]: a biography's first sentence. The person is
 * two or three capitalised words, the title up to five words ending in a job noun, the organization
 * a run of capitalised words (connectors and a one-letter word allowed: DB2 for i Center of
 * Excellence) ending before the first lower-case word.
 */
const BIO = new RegExp(String.raw`(?<![A-Za-z])(?<person>[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z]+){1,2})\s+(?:is|was|serves as|served as)\s+(?:a|an|the)\s+(?<title>(?:[A-Za-z0-9/-]+\s+){0,4}?${BIO_TITLE})\s+(?:at|with|for|in|on|of)\s+(?:the\s+)?(?<org>[A-Z][A-Za-z0-9&.'’-]*(?:\s+${ORG_WORD}){0,8})(?<place>\s+in\s+(?<city>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?),\s+[A-Z][a-z]+)?`, 'gu');
const CONF_BIO = 0.8;

/**
 * Person HAS_ROLE organization (title kept) from a biography sentence, and the organization's seat
 * when it follows; read on page text with line breaks as spaces (PDF lines cut names: STG Lab\nServices).
 */
export function extractBioFacts(chunks: ChunkRecord[]): RawFact[] {
  const out: RawFact[] = [];
  for (const page of pagesOf(chunks.filter((c) => !c.duplicateOf))) {
    const text = page.text.replace(/\n/gu, ' ');
    for (const m of text.matchAll(BIO)) {
      const g = m.groups!;
      const e = m.index + m[0].length;
      const chunk = page.chunks.find((c) => c.start <= m.index && c.end >= e);
      if (!chunk) continue;
      const words = g.org!.split(/\s+/u);
      // The organization ends at its last capitalised word (not on a connector).
      let n = words.length;
      while (n > 0 && !/^[A-Z]/u.test(words[n - 1]!)) n--;
      const org = words.slice(0, n).join(' ').replace(/[.,]$/u, '');
      if (words.slice(0, n).filter((w) => /^[A-Z]/u.test(w)).length < 2) continue;
      const base = { sentence: spanCtx(chunk, m.index - chunk.start, e - chunk.start), confidence: CONF_BIO, via: 'pattern' as const };
      out.push({ ...base, subject: { text: g.person!, type: 'Person' }, predicate: 'HAS_ROLE', object: { text: org, type: 'Organization', literal: false } });
      if (g.city) out.push({ ...base, subject: { text: org, type: 'Organization' }, predicate: 'LOCATED_IN', object: { text: g.city, type: 'Location', literal: false } });
    }
  }
  return out;
}
