import type { EntityRecord, FactRecord, SnapshotData } from '../graph/index.js';
import { detectLang, hasCjk, literalFits, nameFits, normalizeKey, type Lang } from './internal/text.js';

/** Identity of a fact's object: the entity id, or the normalised literal. */
export function objectKey(f: FactRecord): string {
  return f.objectId ? `id:${f.objectId}` : `lit:${normalizeKey(f.object)}`;
}

/**
 * Relations never taught, whatever the templates skip: RELATED_TO links say only that two names
 * share sentences (co-occurrence), not what the text states about them. They stay in the graph for
 * browsing and still count as true, so no negative contradicts them.
 */
export const NEVER_TAUGHT: readonly string[] = ['RELATED_TO'];

export function forwardKey(subjectId: string, predicate: string): string {
  return `${subjectId}|${predicate}`;
}

/** One answer to "what is <predicate> of <entity>?": a fact read forward, or its inverse read backward. */
export interface Answer {
  fact: FactRecord;
  objectId?: string;
  object: string;
  objectType: string;
  /** True when read from the inverse relation (B PART_OF A answers "A HAS_PART ?"). */
  inverted: boolean;
}

/** Everything the snapshot says about (entity, predicate), in both directions of inverse pairs. */
export interface AnswerSet {
  key: string;
  subjectId: string;
  subject: string;
  subjectType: string;
  predicate: string;
  answers: Answer[];
}

export function answerKey(a: Answer): string {
  return a.objectId ? `id:${a.objectId}` : `lit:${normalizeKey(a.object)}`;
}

/**
 * Read-only lookups over one snapshot: facts by subject and by object, names per language, and the
 * set of true (subject, predicate, object) triples every negative is checked against.
 */
export class GraphIndex {
  readonly entities = new Map<string, EntityRecord>();
  /** Askable facts (not skipped relation types), sorted by id. */
  readonly facts: FactRecord[];
  readonly factById = new Map<string, FactRecord>();
  /** subjectId|predicate → facts, sorted by id. */
  readonly forward = new Map<string, FactRecord[]>();
  /** objectId|predicate → facts (entity objects only), sorted by id. */
  readonly reverse = new Map<string, FactRecord[]>();
  /** entity|predicate → answers (facts read forward, and inverse facts read backward). */
  readonly answerSets = new Map<string, AnswerSet>();
  /** predicates each subject has (askable facts only). */
  readonly predicatesOf = new Map<string, Set<string>>();
  /** Every normalised entity name and alias in the snapshot (entities and fact ends). */
  readonly nameKeys = new Set<string>();
  /** Every evidence sentence, normalised: a made-up name must not occur in the corpus's text. */
  readonly evidenceTexts: string[];
  private readonly truth = new Set<string>();

  constructor(
    readonly snapshot: SnapshotData,
    readonly skip: readonly string[],
    readonly inverse: Readonly<Record<string, string>>,
    /** Facts below this confidence are kept for browsing (and as truth) but never taught. */
    readonly minConfidence = 0,
  ) {
    for (const e of [...snapshot.entities].sort((a, b) => cmp(a.id, b.id))) {
      this.entities.set(e.id, e);
      for (const n of [e.name, ...e.aliases]) this.nameKeys.add(normalizeKey(n));
    }
    const all = [...snapshot.facts].sort((a, b) => cmp(a.id, b.id));
    for (const f of all) {
      this.nameKeys.add(normalizeKey(f.subject));
      if (f.objectId) this.nameKeys.add(normalizeKey(f.object));
      this.addTruth(f);
    }
    // Withdrawn facts (their last document was withdrawn) are never taught; they still count as
    // true above, so no negative contradicts them.
    this.evidenceTexts = [...new Set(all.flatMap((f) => f.evidence.map((e) => normalizeKey(e.sentence))))].sort();
    this.facts = all.filter((f) => !skip.includes(f.predicate) && !NEVER_TAUGHT.includes(f.predicate) && f.withdrawn !== true && f.confidence >= minConfidence);
    for (const f of this.facts) {
      this.factById.set(f.id, f);
      push(this.forward, forwardKey(f.subjectId, f.predicate), f);
      if (f.objectId) push(this.reverse, forwardKey(f.objectId, f.predicate), f);
      this.addAnswer(f.subjectId, f.subject, f.subjectType, f.predicate, { fact: f, objectId: f.objectId, object: f.object, objectType: f.objectType, inverted: false });
      const inv = inverse[f.predicate];
      if (inv && f.objectId) {
        this.addAnswer(f.objectId, f.object, f.objectType, inv, { fact: f, objectId: f.subjectId, object: f.subject, objectType: f.subjectType, inverted: true });
      }
      let preds = this.predicatesOf.get(f.subjectId);
      if (!preds) this.predicatesOf.set(f.subjectId, (preds = new Set()));
      preds.add(f.predicate);
    }
  }

  private addAnswer(subjectId: string, subject: string, subjectType: string, predicate: string, answer: Answer): void {
    const key = forwardKey(subjectId, predicate);
    let set = this.answerSets.get(key);
    if (!set) this.answerSets.set(key, (set = { key, subjectId, subject, subjectType: this.entityType(subjectId, subjectType), predicate, answers: [] }));
    if (!set.answers.some((a) => a.fact.id === answer.fact.id)) set.answers.push(answer);
  }

  /** Answer sets in key order. */
  sortedAnswerSets(): AnswerSet[] {
    return [...this.answerSets.values()].sort((a, b) => cmp(a.key, b.key));
  }

  /** Render an answer's object in a language (see `name` for loose/strict). */
  answerText(a: Answer, lang: Lang, strict: boolean): string | undefined {
    if (a.objectId) return this.name(a.objectId, lang, strict, a.object);
    if (lang === 'en' && hasCjk(a.object)) return undefined;
    if (!strict) return a.object;
    return literalFits(a.object, lang) ? a.object : undefined;
  }

  private addTruth(f: FactRecord): void {
    const add = (s: string, p: string, o: string) => this.truth.add(`${s}|${p}|${o}`);
    add(f.subjectId, f.predicate, `lit:${normalizeKey(f.object)}`);
    if (!f.objectId) return;
    add(f.subjectId, f.predicate, `id:${f.objectId}`);
    for (const n of this.namesOf(f.objectId)) add(f.subjectId, f.predicate, `lit:${normalizeKey(n)}`);
    const inv = this.inverse[f.predicate];
    if (inv) {
      add(f.objectId, inv, `id:${f.subjectId}`);
      add(f.objectId, inv, `lit:${normalizeKey(f.subject)}`);
      for (const n of this.namesOf(f.subjectId)) add(f.objectId, inv, `lit:${normalizeKey(n)}`);
    }
  }

  /**
   * Does the snapshot state (subject, predicate, object), directly or through the inverse
   * relation, under any of the object's names? Used to keep negatives false and refusals honest.
   */
  holds(subjectId: string, predicate: string, object: { id?: string; text: string }): boolean {
    const keys = [`lit:${normalizeKey(object.text)}`];
    if (object.id) keys.push(`id:${object.id}`, ...this.namesOf(object.id).map((n) => `lit:${normalizeKey(n)}`));
    return keys.some((k) => this.truth.has(`${subjectId}|${predicate}|${k}`));
  }

  /** Does the snapshot say anything about (entity, predicate), in either direction of an inverse pair? */
  hasRelation(entityId: string, predicate: string): boolean {
    return this.answerSets.has(forwardKey(entityId, predicate));
  }

  namesOf(entityId: string): string[] {
    const e = this.entities.get(entityId);
    return e ? [e.name, ...e.aliases] : [];
  }

  entityType(entityId: string, fallback = ''): string {
    return this.entities.get(entityId)?.type ?? fallback;
  }

  /**
   * The entity's name in a language. Loose (the document's own language): any name, preferring one
   * in the language's script. Strict (asking across languages): only a name in that script.
   */
  name(entityId: string, lang: Lang, strict: boolean, fallback?: string): string | undefined {
    const names = this.namesOf(entityId);
    if (names.length === 0 && fallback !== undefined) names.push(fallback);
    const fitting = names.find((n) => nameFits(n, lang));
    if (fitting) return fitting;
    if (strict || lang === 'en') return undefined;
    return names[0];
  }

  subjectText(f: FactRecord, lang: Lang, strict: boolean): string | undefined {
    return this.name(f.subjectId, lang, strict, f.subject);
  }

  /** Language of the fact's evidence. */
  factLang(f: FactRecord): Lang {
    if (f.lang === 'zh' || f.lang === 'en') return f.lang;
    return detectLang(f.evidence.map((e) => e.sentence).join(' '));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
