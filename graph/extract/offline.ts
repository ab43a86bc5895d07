/** The default extractor: offline, bilingual, no model needed. */
import type { RelationType } from '../../configs/industry-pack.js';
import type { Evidence, FactRecord } from '../model.js';
import { factId } from '../internal/ids.js';
import { literalKey } from '../internal/normalize.js';
import { Resolver } from '../resolve/index.js';
import { detectAliases } from './aliases.js';
import { extractAttributeFacts } from './attributes.js';
import { extractFinancialFacts } from './financial.js';
import { extractCoverFacts } from './cover.js';
import { extractFilingFacts } from './filing.js';
import { extractDocumentFacts } from './document.js';
import { cooccurrencePairs, DEFAULT_COOCCURRENCE } from './cooccurrence.js';
import type { CooccurrenceOptions } from './cooccurrence.js';
import { buildLexicon, compilePack } from './internal/compile.js';
import type { CompiledPack, LexEntry } from './internal/compile.js';
import { isNominal, sentencesOf, tagSentence, VERB } from './internal/sentences.js';
import { isBoilerplate } from './internal/names.js';
import { junkNameReason, onlyInsideLonger } from './internal/junk.js';
import { capitalizedNames, detectMentions } from './mentions.js';
import type { Salience } from './relations.js';
import { extractPatternFacts } from './relations.js';
import { extractBioFacts, extractKinFacts, extractRoleFacts } from './roles.js';
import { extractEventDates, extractQuantityFacts } from './quantities.js';
import { extractCountFacts } from './counts.js';
import { extractDealFacts } from './deals.js';
import { extractCompanyResultFacts, shortNameLinks } from './company-results.js';
import { extractOperatesInFacts, extractSeatFacts } from './seats.js';
import { extractFindingFacts } from './findings.js';
import { extractResultFacts } from './results.js';
import { extractDevelopedFacts, extractIsAFacts, extractPartOfFacts } from './statements.js';
import { extractCategoryFacts, extractDescriptorFacts, extractUnitFacts } from './units.js';
import type { AliasLink, ExtractInput, ExtractResult, Extractor, Mention, MentionSource, RawFact, SentenceCtx } from './types.js';

export interface OfflineOptions {
  cooccurrence?: Partial<CooccurrenceOptions> | false;
}

const WEIGHT: Record<MentionSource, number> = { corpus: 2, dict: 3, pattern: 3, term: 1, pos: 1, caps: 0.5, phrase: 0.5 };
const INFERRED_WEIGHT = 0.25;
/** Entity kinds whose members are proper names (the form-based junk test applies to them). */
const NAMED_KINDS = new Set(['Organization', 'Person', 'Location', 'Product', 'Regulation', 'Event']);
const STRONG = new Set<MentionSource>(['corpus', 'dict', 'pattern', 'term']);

function salienceFor(byChunk: Map<string, SentenceCtx[]>): Salience {
  return (types, ctx, pos) => {
    const list = byChunk.get(ctx.chunk.id) ?? [];
    const fits = (m: Mention) => m.type !== undefined && types.includes(m.type);
    const here = ctx.mentions.filter((m) => m.end <= pos && fits(m)).pop();
    if (here) return here;
    for (let i = list.indexOf(ctx) - 1; i >= 0; i--) {
      const m = list[i]!.mentions.filter(fits)[0];
      if (m) return m;
    }
    return undefined;
  };
}

/**
 * Discovered terms are frequent strings, not always names: one that opens with a verb, preposition,
 * number or function word ("位于云澜市", "年发布") is a fragment of a clause and is not used as a name.
 */
export function nominalTerms(terms: string[], cp: CompiledPack): string[] {
  return terms.filter((t) => {
    // "太空中", "国际空间站上": a noun with a localizer is a place in a clause, not a name.
    if (/^\p{Script=Han}{2,}[上中里内下]$/u.test(t) && terms.includes(t.slice(0, -1))) return false;
    if (/^\p{Script=Han}{3,}[上中里内]$/u.test(t)) return false;
    if (isBoilerplate(t)) return false;
    const first = tagSentence(t)[0];
    return !!first && isNominal(first, cp.stopZh) && !VERB.test(first.tag) && !(first.tag === 'm' && !/[A-Za-z]/.test(t));
  });
}

export function evidenceOf(s: SentenceCtx, confidence: number): Evidence {
  return { chunkId: s.chunk.id, docSha256: s.chunk.docSha256, page: s.chunk.page, sentenceStart: s.start, sentenceEnd: s.end, sentence: s.raw, confidence };
}

/**
 * Resolves raw statements to entities and folds them into facts (noisy-or over evidence). With
 * `relations`, a statement whose resolved subject or object has a type its relation does not allow
 * is dropped: a name untyped where it was found may be typed by the rest of the corpus (协作机器人 is
 * a Concept, so it released nothing).
 */
export function assembleFacts(tenant: string, raws: RawFact[], resolver: Resolver, relations?: Map<string, RelationType>): FactRecord[] {
  const facts = new Map<string, FactRecord>();
  for (const r of raws) {
    const subj = resolver.entityFor(r.subject.text);
    if (!subj) continue;
    const obj = r.object.literal ? undefined : resolver.entityFor(r.object.text);
    if (!r.object.literal && (!obj || obj.id === subj.id)) continue;
    const rel = relations?.get(r.predicate);
    if (rel && (!rel.subjectTypes.includes(subj.type) || (obj && !rel.objectTypes.includes(obj.type)))) continue;
    const objectKey = obj ? obj.id : `lit:${literalKey(r.object.text)}`;
    const id = factId(tenant, subj.id, r.predicate, objectKey);
    const ev = evidenceOf(r.sentence, Math.round(r.confidence * 1000) / 1000);
    const lang = r.sentence.chunk.lang;
    const f = facts.get(id);
    if (!f) {
      facts.set(id, {
        id, subjectId: subj.id, subject: subj.name, subjectType: subj.type, predicate: r.predicate,
        ...(obj ? { objectId: obj.id } : {}), object: obj ? obj.name : r.object.text, objectType: obj ? obj.type : (r.object.type ?? 'Text'),
        confidence: ev.confidence, lang, evidence: [ev],
      });
      continue;
    }
    const same = f.evidence.find((e) => e.chunkId === ev.chunkId && e.sentenceStart === ev.sentenceStart);
    if (same) same.confidence = Math.max(same.confidence, ev.confidence);
    else f.evidence.push(ev);
    if (f.lang !== lang) f.lang = 'mixed';
  }
  for (const f of facts.values()) {
    f.evidence.sort((a, b) => a.chunkId.localeCompare(b.chunkId) || a.sentenceStart - b.sentenceStart);
    f.confidence = Math.round((1 - f.evidence.reduce((p, e) => p * (1 - e.confidence), 1)) * 1000) / 1000;
  }
  return [...facts.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The company a document reports on: the first company name with a legal suffix on its first
 * page (比亚迪股份有限公司 under its title), else none (a table then has no subject).
 */
function issuers(sentences: SentenceCtx[]): (doc: string) => string | undefined {
  const out = new Map<string, { page: number; name: string }>();
  for (const s of sentences) {
    const m = s.mentions.find((x) => x.type === 'Organization' && /(?:有限公司|有限责任公司|Inc\.?|Ltd\.?|Limited|Corporation|Corp\.?)$/u.test(x.text));
    const cur = out.get(s.chunk.docSha256);
    if (m && s.chunk.page === 1 && (!cur || cur.page > s.chunk.page)) out.set(s.chunk.docSha256, { page: s.chunk.page, name: m.text });
  }
  return (doc) => out.get(doc)?.name;
}

export function extractOffline(input: ExtractInput, opts: OfflineOptions = {}): ExtractResult {
  const cp = compilePack(input.pack);
  const terms = buildLexicon(nominalTerms(input.terms ?? [], cp).map((t): [string, LexEntry] => [t, { source: 'term' }]));
  const chunks = input.chunks.filter((c) => !c.duplicateOf);
  const byChunk = new Map<string, SentenceCtx[]>();
  const sentences: SentenceCtx[] = [];
  for (const c of chunks) {
    const list = sentencesOf(c);
    byChunk.set(c.id, list);
    sentences.push(...list);
  }
  // Pass 1: strong names and the alias links the corpus states.
  const links: AliasLink[] = [];
  const known: Array<[string, LexEntry]> = [];
  const capsSeen = new Set<string>();
  for (const s of sentences) {
    s.mentions = detectMentions(s, cp, { terms });
    for (const w of capitalizedNames(s, s.mentions)) capsSeen.add(w);
    links.push(...detectAliases(s, cp));
    // Discovered terms stay terms: only names found by dictionary, pattern or alias become the corpus's names.
    for (const m of s.mentions) if (STRONG.has(m.source) && m.source !== 'term') known.push([m.text, { type: m.type, source: 'corpus' }]);
  }
  // 龙湖集团 … 龙湖实现…: a company's brand used alone again and again in its document is its short name.
  links.push(...shortNameLinks(sentences));
  for (const l of links) known.unshift([l.full, { type: l.type, source: 'corpus' }], [l.short, { type: l.type, source: 'corpus' }]);
  for (const e of input.known ?? []) for (const n of [e.name, ...e.aliases]) known.push([n, { type: e.type, source: 'corpus' }]);
  const corpus = buildLexicon(known);
  const detect = (s: SentenceCtx) => detectMentions(s, cp, { terms, corpus, capsSeen });
  // Pass 2: mentions with the corpus's own names, then facts.
  const resolver = new Resolver(input.tenant);
  for (const e of input.known ?? []) resolver.seed(e);
  for (const l of links) {
    resolver.link(l.full, l.short, l.rule, { chunkId: l.sentence.chunk.id, sentenceStart: l.sentence.start, sentenceEnd: l.sentence.end, sentence: l.sentence.raw }, l.type);
  }
  const salient = salienceFor(byChunk);
  const raws: RawFact[] = [];
  let patternFacts = 0;
  for (const s of sentences) {
    s.mentions = detect(s);
    for (const m of s.mentions) resolver.observe(m.text, m.type, WEIGHT[m.source], s.chunk.id);
    const inChunk = byChunk.get(s.chunk.id) ?? [];
    const prev = inChunk[inChunk.indexOf(s) - 1];
    const found = [...extractResultFacts(s, prev), ...extractPatternFacts(s, cp, salient), ...extractRoleFacts(s), ...extractKinFacts(s), ...extractUnitFacts(s), ...extractDescriptorFacts(s), ...extractCategoryFacts(s), ...extractIsAFacts(s), ...extractPartOfFacts(s), ...extractDevelopedFacts(s), ...extractQuantityFacts(s), ...extractCountFacts(s), ...extractDealFacts(s), ...extractEventDates(s), ...extractCompanyResultFacts(s, inChunk.slice(0, inChunk.indexOf(s))), ...extractSeatFacts(s, inChunk.slice(0, inChunk.indexOf(s))), ...extractOperatesInFacts(s), ...extractFindingFacts(s, prev)];
    patternFacts += found.length;
    raws.push(...found);
  }
  const issuerOf = issuers(sentences);
  const attrs = [...chunks.flatMap((c) => extractAttributeFacts(c, cp, detect)), ...extractFinancialFacts(chunks, { issuerOf }), ...extractFilingFacts(chunks, { issuerOf }), ...extractCoverFacts(chunks, { issuerOf }), ...extractDocumentFacts(chunks, { issuerOf }), ...extractBioFacts(chunks)];
  raws.push(...attrs);
  // A type the relation implies is a weak vote: the mention's own type (suffix, dictionary, context) wins.
  for (const r of raws) {
    resolver.observe(r.subject.text, r.subject.type, r.subject.inferred ? INFERRED_WEIGHT : 1, r.sentence.chunk.id);
    if (!r.object.literal) resolver.observe(r.object.text, r.object.type, r.object.inferred ? INFERRED_WEIGHT : 1, r.sentence.chunk.id);
  }
  // A name that is no name by its form (an abstract noun, a number, a function word at its edge) makes no entity and no fact.
  // Values (a year, a price) and parts (chassis) are entities of their own kinds: only names of the named kinds are judged.
  const resolved = resolver.entities();
  const junk = new Set(resolved.filter((e) => NAMED_KINDS.has(e.type) && !!junkNameReason(e.name, e.type)).map((e) => e.id));
  const facts = assembleFacts(input.tenant, raws, resolver, cp.relationByName).filter((f) => !junk.has(f.subjectId) && !(f.objectId && junk.has(f.objectId)));
  // A name that never stands alone (美国 only inside 美国宇航局) is no entity unless a stated fact names it.
  const chunkText = new Map(chunks.map((c) => [c.id, c.text]));
  const allNames = resolved.flatMap((x) => [x.name, ...x.aliases]);
  const inTyped = new Set(facts.flatMap((f) => [f.subjectId, f.objectId ?? '']));
  for (const e of resolved) {
    if (junk.has(e.id) || inTyped.has(e.id)) continue;
    // Outside a stated fact, a concept or part is judged by its form too (name, shell, display as prose words).
    if (junkNameReason(e.name, e.type)) { junk.add(e.id); continue; }
    const own = new Set([e.name, ...e.aliases]);
    if (onlyInsideLonger(e.name, allNames.filter((n) => !own.has(n)), (e.mentions ?? []).map((id) => chunkText.get(id) ?? ''))) junk.add(e.id);
  }
  const inFacts = new Set(facts.flatMap((f) => [f.subjectId, f.objectId ?? '']));
  const strongIds = new Set<string>();
  // A discovered term alone (境内自然人, 经营活动) is a frequent string, not yet a name: it becomes an entity through a fact.
  // A lower-case English word from the pack's dictionary ("display", "controller") is a common noun in prose: an entity only through a fact.
  const commonNoun = (m: Mention) => (m.source === 'dict' || m.source === 'corpus') && /^[A-Za-z][a-z -]*$/.test(m.text);
  for (const s of sentences) for (const m of s.mentions) if (((STRONG.has(m.source) && m.source !== 'term') || (m.source === 'pos' && m.type)) && !commonNoun(m)) strongIds.add(resolver.entityFor(m.text)!.id);
  const entities = resolved.filter((e) => !junk.has(e.id) && (inFacts.has(e.id) || strongIds.has(e.id)));
  const emitted = new Set(entities.map((e) => e.id));
  let cooccurrenceFacts = 0;
  if (opts.cooccurrence !== false) {
    const linked = new Set(facts.map((f) => [f.subjectId, f.objectId ?? ''].sort().join('\u0000')));
    const pairs = cooccurrencePairs(
      sentences,
      (s) => s.mentions.map((m) => resolver.entityFor(m.text)?.id).filter((id): id is string => !!id && emitted.has(id)),
      (a, b) => linked.has([a, b].join('\u0000')),
      { ...DEFAULT_COOCCURRENCE, ...(opts.cooccurrence ?? {}) },
    );
    const byId = new Map(entities.map((e) => [e.id, e]));
    const weak: RawFact[] = pairs.flatMap((p) => p.sentences.map((s) => ({
      subject: { text: byId.get(p.a)!.name }, predicate: 'RELATED_TO', object: { text: byId.get(p.b)!.name, literal: false },
      sentence: s, confidence: p.confidence, via: 'cooccurrence' as const,
    })));
    const weakFacts = assembleFacts(input.tenant, weak, resolver).map((f) => ({ ...f, confidence: Math.min(f.confidence, 0.5) }));
    cooccurrenceFacts = weakFacts.length;
    facts.push(...weakFacts);
    facts.sort((a, b) => a.id.localeCompare(b.id));
  }
  return {
    entities,
    facts,
    stats: {
      sentences: sentences.length, patternFacts, attributeFacts: attrs.filter((a) => a.via === 'attribute').length,
      tableFacts: attrs.filter((a) => a.via === 'table').length, cooccurrenceFacts, merges: entities.reduce((n, e) => n + (e.merges?.length ?? 0), 0),
    },
  };
}

export function createOfflineExtractor(opts: OfflineOptions = {}): Extractor {
  return { name: 'offline', extract: async (input) => extractOffline(input, opts) };
}
