/**
 * Where a body sits, as rules and notices state it (issue 14): "The Office of the Federal Register is
 * located at 732 N. Capitol Street NW, suite A-734, Washington, DC." — the city and state closing the
 * address are the place. The subject is an organisation named before "is located", or a definite
 * description ("The office", "the Commission") standing for the one organisation named in the sentences
 * just before whose name holds that head word. An address without a city and a two-letter state, or a
 * description that fits no or two organisations, gives no fact.
 */
import type { Mention, RawFact, SentenceCtx } from './types.js';

/** Markup tags at a sentence's edges (<P>…</P> of a text ingested from XML) and a paragraph mark "(b)". */
const OPEN = String.raw`^\s*(?:<[A-Za-z/][^<>]*>\s*)*(?:\([a-z0-9]+\)\s*)?`;
const CLOSE = String.raw`\s*(?:<\/?[A-Za-z][^<>]*>\s*)*$`;
const LOCATED = new RegExp(String.raw`\s+(?:is|are)\s+(?:located|situated|headquartered)\s+(?:at|in)\s+(?<addr>[^;<>]*?)\s*\.?` + CLOSE, 'u');
/** ", Washington, DC" / ", Rockville, MD 20852" closing the address. */
const CITY_STATE = /(?:^|,\s*)(?<city>[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){0,2}),\s*(?<state>[A-Z]{2}|D\.C\.)(?:\s+\d{5}(?:-\d{4})?)?$/u;
/** "The office", "the Commission": a definite description by a body's head word. */
const DESCRIPTION = new RegExp(`${OPEN}(?:The|the)\\s+(?<head>[A-Za-z]+)\\s*$`, 'u');
/** What may stand before the organisation that opens a seat sentence: markup, a paragraph mark, "The". */
const NAME_OPENS = new RegExp(`${OPEN}(?:The|the)?\\s*$`, 'u');
const CONF_SEAT = 0.85;
/** How many sentences back a description may reach for its organisation. */
const REACH = 3;

/** The one organisation, named in `ctx` before `at` or in the sentences just before, whose name ends a word `head`. */
export function describedOrganization(head: string, ctx: SentenceCtx, before: SentenceCtx[], at: number): Mention | undefined {
  const re = new RegExp(`(?:^|\\s)${head}(?:\\s|$)`, 'iu');
  const fits = (m: Mention) => m.type === 'Organization' && re.test(m.text);
  const found = [...before.slice(-REACH).flatMap((s) => s.mentions), ...ctx.mentions.filter((m) => m.end <= at)].filter(fits);
  return found.length > 0 && new Set(found.map((m) => m.text)).size === 1 ? found[0] : undefined;
}

export function extractSeatFacts(ctx: SentenceCtx, before: SentenceCtx[] = []): RawFact[] {
  const m = LOCATED.exec(ctx.match);
  if (!m) return [];
  const place = CITY_STATE.exec(m.groups!.addr!.replace(/\.$/u, ''));
  if (!place) return [];
  const head = ctx.match.slice(0, m.index);
  const named = ctx.mentions.filter((x) => x.type === 'Organization' && x.end <= m.index && NAME_OPENS.test(head.slice(0, x.start)) && x.end === head.trimEnd().length);
  const desc = DESCRIPTION.exec(head);
  const subject = named[0] ?? (desc ? describedOrganization(desc.groups!.head!, ctx, before, m.index) : undefined);
  if (!subject) return [];
  const city = place.groups!.city!;
  const state = place.groups!.state!;
  return [{
    subject: { text: subject.text, type: 'Organization' },
    predicate: 'LOCATED_IN',
    object: { text: `${city}, ${state}`, type: 'Location', literal: false },
    sentence: ctx,
    confidence: CONF_SEAT,
    via: 'pattern',
  }];
}

/** 在 / 位于 right after the company, before the place. */
const ZH_AT = /^\s*(?:方面)?\s*(?:目前|已经?|还|也)?\s*(?:在|位于)\s*$/u;
/** …的观宸项目 / 所有的楼盘: what the company has in the place, right after it. */
const ZH_HOLDING = /^\s*(?:所有的|全部的|的)[^,，。;；:：!?！？]{0,10}?(?:项目|楼盘|工厂|门店|基地|分公司|子公司|办事处|园区|业务)/u;

/**
 * 龙湖在福建晋江的观宸项目, 龙湖位于厦门的春江彼岸项目: a company's project, plant or branch in a place
 * says the company operates there (OPERATES_IN; LOCATED_IN stays for its seat). The place must follow
 * 在/位于 right after the company, and a project word must follow the place within a short phrase.
 */
export function extractOperatesInFacts(ctx: SentenceCtx): RawFact[] {
  const out: RawFact[] = [];
  for (const o of ctx.mentions) {
    if (o.type !== 'Organization') continue;
    const places: Mention[] = [];
    let at = o.end;
    for (const m of ctx.mentions) {
      if (m.start < at) continue;
      const gap = ctx.match.slice(at, m.start);
      if (m.type !== 'Location' || !(places.length === 0 ? ZH_AT.test(gap) : /^\s*$/u.test(gap))) break;
      places.push(m);
      at = m.end;
    }
    if (places.length === 0 || !ZH_HOLDING.test(ctx.match.slice(at))) continue;
    for (const p of places) {
      out.push({ subject: { text: o.text, type: 'Organization' }, predicate: 'OPERATES_IN', object: { text: p.text, type: 'Location', literal: false }, sentence: ctx, confidence: CONF_SEAT, via: 'pattern' });
    }
  }
  return out;
}
