/**
 * English cover and profile layouts that print a person's name on one line and the title alone on
 * the next ("Shri Mukesh D. Ambani\nChairman & Managing Director"): Person HAS_ROLE the company the
 * page names with a legal suffix (else the document's issuer), the title kept exactly; a founder's
 * title also states the company FOUNDED_BY the person. No company on the page or in the document,
 * no fact: a title alone says nothing about where it is held. Also the page's headline figures
 * ("BY REVENUE" over "₹7,92,756 crore").
 */
import type { ChunkRecord } from '../../ingest/index.js';
import { pagesOf } from './financial.js';
import { spanCtx } from './internal/sentences.js';
import type { RawFact } from './types.js';

const HONORIFIC = String.raw`(?:Shri|Smt\.?|Sri|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Dame|Prof\.?)`;
const NAME_LINE = new RegExp(String.raw`^(?:${HONORIFIC}\s+)?(?<name>[A-Z][a-z]+(?:\s+[A-Z]\.)*(?:\s+[A-Z][a-z]+){1,2})$`, 'u');
const TITLE_WORD = String.raw`(?:Chairman|Chairperson|Chairwoman|Chair|Managing Director|Chief Executive Officer|CEO|Chief Financial Officer|CFO|Chief Operating Officer|COO|Chief Technology Officer|CTO|President|Director|Company Secretary|Founder|Co-founder)`;
const TITLE_LINE = new RegExp(String.raw`^(?<title>(?:(?:Founder|Co-founder|Executive|Non-Executive|Independent|Deputy|Vice|Joint|Senior|Group)\s+)*${TITLE_WORD}(?:\s*(?:&|and)\s*${TITLE_WORD})?)$`, 'u');
const COMPANY = /(?<![A-Za-z])(?:[A-Z][A-Za-z&'-]* +){0,5}(?:Limited|Ltd\.?|Inc\.?|Incorporated|Corporation|Corp\.?|PLC|plc|LLC|AG|GmbH|N\.V\.|S\.A\.)(?![A-Za-z])/u;
const CEO = /Chief Executive Officer|^CEO$|&\s*CEO|and\s+CEO/u;
const CONF_COVER = 0.85;

export interface CoverOptions {
  issuerOf: (docSha256: string) => string | undefined;
}

/** A headline figure's label printed alone in capitals (BY MARKET CAPITALISATION, EXPORTS). */
const CAPS_LABEL = /^(?:BY\s+)?(?<label>[A-Z][A-Z&'-]*(?:\s+[A-Z&'-]+){0,4})$/u;
/**
 * A headline figure alone on its line: a currency mark or a scale/unit, or digits grouped by commas
 * (₹17,81,841 crore, $4.2 billion, 2,32,822New jobs created); a label may follow on the same line.
 */
const FIGURE_LINE = /^(?<cur>[`₹$€£¥])?\s*(?<v>\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?<unit>crore|lakh|million|billion|trillion|%)?(?:\s*(?<tail>[A-Z][a-z]+(?:\s+[a-z]+){0,5}))?$/u;
const CONF_FIGURE = 0.8;

const sentenceCase = (label: string) => label.charAt(0) + label.slice(1).toLowerCase();

/**
 * Headline figures of a report page ("BY REVENUE\n₹7,92,756 crore"): the figure belongs to the company
 * the page (or else the document) names, under the label above it or the words right after it. A
 * number without a currency, a scale or grouping (a page number, a year) is no figure.
 */
function headlineFigures(page: { text: string; chunks: ChunkRecord[] }, company: string): RawFact[] {
  const out: RawFact[] = [];
  const lines: Array<{ s: number; text: string }> = [];
  let at = 0;
  for (const raw of page.text.split('\n')) {
    lines.push({ s: at + (raw.length - raw.trimStart().length), text: raw.trim() });
    at += raw.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const f = FIGURE_LINE.exec(lines[i]!.text);
    if (!f) continue;
    const g = f.groups!;
    if (!g.cur && !g.unit && !g.v!.includes(',')) continue;
    const above = i > 0 ? CAPS_LABEL.exec(lines[i - 1]!.text) : null;
    const label = g.tail ?? (above ? sentenceCase(above.groups!.label!) : undefined);
    if (!label) continue;
    const start = above && !g.tail ? lines[i - 1]!.s : lines[i]!.s;
    const end = lines[i]!.s + lines[i]!.text.length;
    const chunk = page.chunks.find((c) => c.start <= start && c.end >= end);
    if (!chunk) continue;
    const currency = g.cur ? (g.cur === '`' ? '₹' : g.cur) : '';
    out.push({
      subject: { text: company, type: 'Organization' },
      predicate: `ATTR:${label}`,
      object: { text: `${currency}${g.v}${g.unit ? ` ${g.unit}` : ''}`, type: 'Text', literal: true },
      sentence: spanCtx(chunk, start - chunk.start, end - chunk.start),
      confidence: CONF_FIGURE,
      via: 'table',
    });
  }
  return out;
}

export function extractCoverFacts(chunks: ChunkRecord[], opts: CoverOptions): RawFact[] {
  const out: RawFact[] = [];
  for (const page of pagesOf(chunks.filter((c) => !c.duplicateOf))) {
    const company = COMPANY.exec(page.text)?.[0].trim() ?? opts.issuerOf(page.doc);
    if (!company) continue;
    if (!/\p{Script=Han}/u.test(page.text.slice(0, 2000))) out.push(...headlineFigures(page, company));
    const lines: Array<{ s: number; text: string }> = [];
    let at = 0;
    for (const raw of page.text.split('\n')) {
      lines.push({ s: at + (raw.length - raw.trimStart().length), text: raw.trim() });
      at += raw.length + 1;
    }
    for (let i = 0; i + 1 < lines.length; i++) {
      const n = NAME_LINE.exec(lines[i]!.text);
      const t = n && TITLE_LINE.exec(lines[i + 1]!.text);
      if (!n || !t) continue;
      const start = lines[i]!.s;
      const end = lines[i + 1]!.s + lines[i + 1]!.text.length;
      const chunk = page.chunks.find((c) => c.start <= start && c.end >= end);
      if (!chunk) continue;
      const ctx = spanCtx(chunk, start - chunk.start, end - chunk.start);
      const person = { text: n.groups!.name!, type: 'Person' };
      const org = { text: company, type: 'Organization' };
      const title = t.groups!.title!;
      const base = { sentence: ctx, confidence: CONF_COVER, via: 'pattern' as const };
      out.push(CEO.test(title)
        ? { ...base, subject: org, predicate: 'HAS_CEO', object: { ...person, literal: false } }
        : { ...base, subject: person, predicate: 'HAS_ROLE', object: { ...org, literal: false } });
      if (/^(?:Founder|Co-founder)\b/u.test(title)) out.push({ ...base, subject: org, predicate: 'FOUNDED_BY', object: { ...person, literal: false } });
    }
  }
  return out;
}
