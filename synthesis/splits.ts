import type { GraphIndex } from './graph-index.js';
import { cmp } from './graph-index.js';
import { draw, seededOrder } from './internal/prng.js';
import type { Split } from './model.js';

/** Splits a fact can belong to (test_paraphrase re-asks train facts, so it holds none of its own). */
export type FactSplit = Exclude<Split, 'test_paraphrase'>;

export interface SplitRatios {
  test_heldout: number;
  val: number;
  paraphrase: number;
}

/**
 * Facts are split as groups: every fact with the same (subject, relation) — they are answered
 * together — and the fact stated from the other end (A HAS_PART B = B PART_OF A). Whatever is
 * generated from a group goes to the group's split; examples spanning groups are kept only when
 * all their groups share one split. No fact, nor any phrasing of it, can then reach two splits.
 */
export interface SplitPlan {
  groupOf: ReadonlyMap<string, string>;
  splitOfGroup: ReadonlyMap<string, FactSplit>;
  /** Train groups also asked, in their held-out phrasing, in test_paraphrase. */
  paraphraseGroups: ReadonlySet<string>;
}

export function planSplits(index: GraphIndex, ratios: SplitRatios, seed: number): SplitPlan {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    let c = x;
    while (c !== r) {
      const next = parent.get(c) as string;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The smaller id becomes the root, so group ids do not depend on iteration order.
    if (cmp(ra, rb) < 0) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  for (const f of index.facts) parent.set(f.id, f.id);
  // An answer set holds every fact answering (entity, relation), inverse facts included.
  for (const set of index.answerSets.values()) {
    const first = set.answers[0];
    if (first) for (const a of set.answers.slice(1)) union(first.fact.id, a.fact.id);
  }

  const groupOf = new Map<string, string>();
  const members = new Map<string, string[]>();
  for (const f of index.facts) {
    const g = find(f.id);
    groupOf.set(f.id, g);
    const list = members.get(g);
    if (list) list.push(f.id);
    else members.set(g, [f.id]);
  }

  // Stratify by relation type: order groups by (relation of their root fact, seeded key), then
  // take held-out and val groups by systematic sampling, so every relation type reaches the tests.
  const groups = [...members.keys()];
  const stratum = (g: string) => index.factById.get(g)?.predicate ?? '';
  const ordered = seededOrder(groups, (g) => g, seed, 'split').sort((a, b) => cmp(stratum(a), stratum(b)));
  const splitOfGroup = new Map<string, FactSplit>();
  const rHeld = ratios.test_heldout;
  const rVal = rHeld < 1 ? ratios.val / (1 - rHeld) : 0;
  let accHeld = draw(seed, 'split-phase-heldout');
  let accVal = draw(seed, 'split-phase-val');
  for (const g of ordered) {
    accHeld += rHeld;
    if (accHeld >= 1) {
      accHeld -= 1;
      splitOfGroup.set(g, 'test_heldout');
      continue;
    }
    accVal += rVal;
    if (accVal >= 1) {
      accVal -= 1;
      splitOfGroup.set(g, 'val');
      continue;
    }
    splitOfGroup.set(g, 'train');
  }

  const trainGroups = seededOrder(groups.filter((g) => splitOfGroup.get(g) === 'train'), (g) => g, seed, 'paraphrase');
  const paraphraseGroups = new Set(trainGroups.slice(0, Math.round(trainGroups.length * ratios.paraphrase)));
  return { groupOf, splitOfGroup, paraphraseGroups };
}

/** The one split all these facts share, or undefined when they straddle splits. */
export function commonSplit(plan: SplitPlan, factIds: readonly string[]): FactSplit | undefined {
  let split: FactSplit | undefined;
  for (const id of factIds) {
    const g = plan.groupOf.get(id);
    const s = g === undefined ? undefined : plan.splitOfGroup.get(g);
    if (s === undefined) return undefined;
    if (split !== undefined && s !== split) return undefined;
    split = s;
  }
  return split;
}
