import { draw } from './internal/prng.js';
import type { Candidate } from './generators/context.js';
import type { ExampleType } from './model.js';

export interface BalanceCaps {
  perRelation?: number;
  perEntity?: number;
}

export interface BalanceResult {
  kept: Candidate[];
  droppedByCaps: number;
  droppedByTarget: number;
}

const stratumOf = (c: Candidate) => `${c.example.split}|${c.example.type}|${c.example.lang}`;

/**
 * Caps first, then the size target.
 * Caps: candidates are visited first phrasings before extra paraphrases, in seeded order within a
 * rank, and skipped once their relation type or one of their entities is full.
 * Target: if too many remain, first phrasings are shared out over (split, type, language) strata
 * in proportion to their sizes, at least one per stratum, so every type stays present; extra
 * paraphrases fill what the first phrasings leave, stratum by stratum in turn.
 */
export function balance(candidates: readonly Candidate[], caps: BalanceCaps, targetSize: number, seed: number): BalanceResult {
  const ordered = candidates
    .map((c) => ({ c, k: draw(seed, `balance|${c.example.id}`) }))
    .sort((a, b) => a.c.rank - b.c.rank || a.k - b.k || (a.c.example.id < b.c.example.id ? -1 : 1))
    .map((x) => x.c);

  const perRel = new Map<string, number>();
  const perEnt = new Map<string, number>();
  const capped: Candidate[] = [];
  for (const c of ordered) {
    const rels = c.example.predicates ?? [];
    const ents = c.example.entityIds ?? [];
    if (caps.perRelation !== undefined && rels.some((r) => (perRel.get(r) ?? 0) >= (caps.perRelation as number))) continue;
    if (caps.perEntity !== undefined && ents.some((e) => (perEnt.get(e) ?? 0) >= (caps.perEntity as number))) continue;
    for (const r of rels) perRel.set(r, (perRel.get(r) ?? 0) + 1);
    for (const e of ents) perEnt.set(e, (perEnt.get(e) ?? 0) + 1);
    capped.push(c);
  }
  const droppedByCaps = ordered.length - capped.length;
  if (capped.length <= targetSize) return { kept: capped, droppedByCaps, droppedByTarget: 0 };

  const first = capped.filter((c) => c.rank === 0);
  const extra = capped.filter((c) => c.rank > 0);
  let kept: Candidate[];
  if (first.length >= targetSize) kept = proportional(first, targetSize);
  else kept = [...first, ...roundRobin(extra, targetSize - first.length)];
  return { kept, droppedByCaps, droppedByTarget: capped.length - kept.length };
}

function groupByStratum(items: readonly Candidate[]): Map<string, Candidate[]> {
  const strata = new Map<string, Candidate[]>();
  for (const c of items) {
    const k = stratumOf(c);
    const list = strata.get(k);
    if (list) list.push(c);
    else strata.set(k, [c]);
  }
  return new Map([...strata.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** Largest-remainder allocation of `n` over strata, proportional to size, at least one each. */
function proportional(items: readonly Candidate[], n: number): Candidate[] {
  const strata = groupByStratum(items);
  const total = items.length;
  const keys = [...strata.keys()];
  const floor = n >= keys.length ? 1 : 0;
  const quota = new Map<string, number>();
  let used = 0;
  const remainders: { k: string; r: number }[] = [];
  for (const k of keys) {
    const size = (strata.get(k) as Candidate[]).length;
    const exact = (size / total) * n;
    const q = Math.min(size, Math.max(floor, Math.floor(exact)));
    quota.set(k, q);
    used += q;
    remainders.push({ k, r: exact - Math.floor(exact) });
  }
  remainders.sort((a, b) => b.r - a.r || (a.k < b.k ? -1 : 1));
  // Hand out what is left by largest remainder; take back from the largest strata if the floors overshot.
  const room = (k: string) => (strata.get(k) as Candidate[]).length - (quota.get(k) as number);
  while (used < n && remainders.some((x) => room(x.k) > 0)) {
    for (const { k } of remainders) {
      if (used >= n) break;
      if (room(k) > 0) {
        quota.set(k, (quota.get(k) as number) + 1);
        used++;
      }
    }
  }
  while (used > n) {
    const k = [...keys].sort((a, b) => (quota.get(b) as number) - (quota.get(a) as number) || (a < b ? -1 : 1))[0] as string;
    if ((quota.get(k) as number) <= 1) break;
    quota.set(k, (quota.get(k) as number) - 1);
    used--;
  }
  return keys.flatMap((k) => (strata.get(k) as Candidate[]).slice(0, quota.get(k)));
}

/** Take `n` items visiting strata in turn (lowest rank first inside each). */
function roundRobin(items: readonly Candidate[], n: number): Candidate[] {
  const strata = [...groupByStratum(items).values()];
  const out: Candidate[] = [];
  for (let i = 0; out.length < n; i++) {
    let any = false;
    for (const s of strata) {
      const c = s[i];
      if (c && out.length < n) {
        out.push(c);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

/**
 * At most `shares[type]` of the train split for the capped types (true/false and multi-hop pairs
 * are plentiful and long, and crowd out the questions a paraphrase test asks). First phrasings are
 * kept before extra paraphrases, in seeded order; val and the test splits are left as they are.
 */
export function capTrainShares(kept: readonly Candidate[], shares: Partial<Record<ExampleType, number>>, seed: number): { kept: Candidate[]; dropped: number } {
  const capped = (Object.entries(shares) as [ExampleType, number | undefined][]).filter((e): e is [ExampleType, number] => e[1] !== undefined);
  if (capped.length === 0) return { kept: [...kept], dropped: 0 };
  const train = kept.filter((c) => c.example.split === 'train');
  const ofType = new Map(capped.map(([t]) => [t, train.filter((c) => c.example.type === t)]));
  const others = train.length - [...ofType.values()].reduce((n, l) => n + l.length, 0);
  // Fixed point of allowed = min(available, share × (others + Σ allowed)), approached from above.
  const allowed = new Map(capped.map(([t]) => [t, (ofType.get(t) as Candidate[]).length]));
  for (let i = 0; i < 50; i++) {
    const total = others + [...allowed.values()].reduce((a, b) => a + b, 0);
    let changed = false;
    for (const [t, share] of capped) {
      const next = Math.min((ofType.get(t) as Candidate[]).length, Math.floor(share * total));
      if (next !== allowed.get(t)) changed = true;
      allowed.set(t, next);
    }
    if (!changed) break;
  }
  const drop = new Set<Candidate>();
  for (const [t] of capped) {
    const order = (ofType.get(t) as Candidate[])
      .map((c) => ({ c, k: draw(seed, `share|${c.example.id}`) }))
      .sort((a, b) => a.c.rank - b.c.rank || a.k - b.k || (a.c.example.id < b.c.example.id ? -1 : 1));
    for (const { c } of order.slice(allowed.get(t))) drop.add(c);
  }
  return { kept: kept.filter((c) => !drop.has(c)), dropped: drop.size };
}
