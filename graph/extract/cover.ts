/**
 * English cover and profile layouts that print a person's name on one line and the title alone on
 * the next ("Shri Mukesh D. Ambani\nChairman & Managing Director"): Person HAS_ROLE the company the
 * page names with a legal suffix (else the document's issuer), the title kept exactly; a founder's
 * title also states the company FOUNDED_BY the person. No company on the page or in the document,
 * no fact: a title alone says nothing about where it is held.
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

export function extractCoverFacts(chunks: ChunkRecord[], opts: CoverOptions): RawFact[] {
  const out: RawFact[] = [];
  for (const page of pagesOf(chunks.filter((c) => !c.duplicateOf))) {
    const company = COMPANY.exec(page.text)?.[0].trim() ?? opts.issuerOf(page.doc);
    if (!company) continue;
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
