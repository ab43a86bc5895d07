import type { FactRecord } from '../../graph/index.js';
import type { GraphIndex } from '../graph-index.js';
import { sha256Hex } from '../../configs/hash.js';
import { pickIndex, seededOrder } from '../internal/prng.js';
import { capitalize, hasCjk, type Lang } from '../internal/text.js';
import type { Example, ExampleType, Split } from '../model.js';
import type { ResolvedSynthesisOptions } from '../options.js';
import { commonSplit, type SplitPlan } from '../splits.js';
import { fill, type TemplateSet } from '../templates.js';

/** What every generator reads. */
export interface GenContext {
  index: GraphIndex;
  templates: TemplateSet;
  plan: SplitPlan;
  seed: number;
  options: ResolvedSynthesisOptions;
  stats: { droppedCrossSplit: number };
}

/** A generated example with its priority: rank 0 is a fact's first phrasing, higher ranks are extra paraphrases. */
export interface Candidate {
  example: Example;
  rank: number;
}

export interface Rendered {
  instruction: string;
  output: string;
  gold: string[];
  label?: boolean;
  claim?: Example['claim'];
}

export interface SlotSpec {
  type: ExampleType;
  lang: Lang;
  /** Facts the question is answered from (provenance and split). */
  facts: FactRecord[];
  /** Identifies the question across phrasings, e.g. `fwd|<entity>|LOCATED_IN|zh`. */
  slotKey: string;
  /** Template id prefix; the phrasing index is appended. */
  templateBase: string;
  phrasings: readonly string[];
  render: (phrasing: string, index: number) => Rendered | undefined;
  predicates: string[];
  entityIds: string[];
  /** May a held-out phrasing of it form a test_paraphrase example? */
  paraphrasable: boolean;
  /** Distinguishes several examples of one slot and phrasing (true/false: positive vs negative). */
  variant?: string;
  /** Split for examples about no fact (refusals). */
  fixedSplit?: Exclude<Split, 'test_paraphrase'>;
  refusalKind?: Example['refusalKind'];
}

/**
 * Turn one question slot into examples. Train slots hold one phrasing out for good (never used in
 * train for these facts) and emit the others ranked; paraphrase-sampled groups are also asked in
 * the held-out phrasing, in test_paraphrase. val and test_heldout slots get one phrasing.
 */
export function emitSlot(ctx: GenContext, spec: SlotSpec): Candidate[] {
  const n = spec.phrasings.length;
  if (n === 0) return [];
  const factIds = [...new Set(spec.facts.map((f) => f.id))].sort();
  const split = spec.fixedSplit ?? commonSplit(ctx.plan, factIds);
  if (split === undefined) {
    ctx.stats.droppedCrossSplit++;
    return [];
  }
  const out: Candidate[] = [];
  const make = (i: number, exampleSplit: Split, rank: number) => {
    const phrasing = spec.phrasings[i] as string;
    const r = spec.render(phrasing, i);
    if (!r) return;
    const ex = buildExample(ctx, spec, factIds, exampleSplit, `${spec.templateBase}:${i}`, r);
    if (ex) out.push({ example: ex, rank });
  };
  if (split !== 'train') {
    make(pickIndex(ctx.seed, `one|${spec.slotKey}`, n), split, 0);
    return out;
  }
  const heldOut = n >= 2 ? pickIndex(ctx.seed, `held|${spec.slotKey}`, n) : -1;
  const trainOrder = seededOrder(
    [...Array(n).keys()].filter((i) => i !== heldOut),
    String,
    ctx.seed,
    `rank|${spec.slotKey}|${spec.variant ?? ''}`,
  );
  trainOrder.forEach((i, rank) => make(i, 'train', rank));
  if (heldOut >= 0 && spec.paraphrasable) {
    const group = ctx.plan.groupOf.get(factIds[0] as string);
    if (group !== undefined && ctx.plan.paraphraseGroups.has(group)) make(heldOut, 'test_paraphrase', 0);
  }
  return out;
}

function buildExample(ctx: GenContext, spec: SlotSpec, factIds: string[], split: Split, templateId: string, r: Rendered): Example | undefined {
  const lang = spec.lang;
  const instruction = lang === 'en' ? capitalize(r.instruction) : r.instruction;
  let output = lang === 'en' ? capitalize(r.output) : r.output;
  // An English example must not leak Chinese text (a name without an English form).
  if (lang === 'en' && (hasCjk(instruction) || hasCjk(output))) return undefined;
  const chunkIds = [...new Set(spec.facts.flatMap((f) => f.evidence.map((e) => e.chunkId)))].sort();
  const cites = ctx.options.citations?.enabled ? citationsOf(spec.facts) : [];
  if (cites.length > 0 && spec.type !== 'refusal') {
    const names = ctx.options.citations?.docNames ?? {};
    const shown = cites.slice(0, ctx.options.citations?.maxPerAnswer ?? 2);
    output += shown.map((c) => fill(ctx.templates[lang].citation, { doc: names[c.docSha256] ?? c.docSha256.slice(0, 12), page: String(c.page) })).join('');
  }
  const variant = spec.variant ?? '';
  const id = sha256Hex(`${templateId}|${lang}|${variant}|${factIds.join(',')}|${instruction}`).slice(0, 20);
  const ex: Example = {
    id,
    type: spec.type,
    lang,
    split,
    instruction,
    input: '',
    output,
    gold: r.gold,
    factIds,
    chunkIds,
    citations: spec.type === 'refusal' ? [] : cites,
    templateId,
    predicates: spec.predicates,
    entityIds: [...new Set(spec.entityIds)],
  };
  if (r.label !== undefined) ex.label = r.label;
  if (r.claim) ex.claim = r.claim;
  if (spec.refusalKind) ex.refusalKind = spec.refusalKind;
  return ex;
}

/** Distinct (document, page) pairs of the facts' evidence, most confident first. */
export function citationsOf(facts: readonly FactRecord[]): { docSha256: string; page: number }[] {
  const ev = facts.flatMap((f) => f.evidence).sort((a, b) => b.confidence - a.confidence || (a.docSha256 < b.docSha256 ? -1 : a.docSha256 > b.docSha256 ? 1 : a.page - b.page));
  const seen = new Set<string>();
  const out: { docSha256: string; page: number }[] = [];
  for (const e of ev) {
    const k = `${e.docSha256}#${e.page}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ docSha256: e.docSha256, page: e.page });
  }
  return out;
}
