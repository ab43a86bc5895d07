import { describe, expect, it } from 'vitest';
import { synthesize } from '../../../synthesis/index.js';
import { buildFixture } from './fixture.js';

const snapshot = buildFixture();
const INVERSE: Record<string, string> = { PART_OF: 'HAS_PART', HAS_PART: 'PART_OF' };

/** (subject, predicate, objectId|literal) edges, inverse pairs read both ways. */
function edges() {
  const out: { s: string; p: string; o: string; fact: string }[] = [];
  for (const f of snapshot.facts) {
    out.push({ s: f.subjectId, p: f.predicate, o: f.objectId ?? `lit:${f.object}`, fact: f.id });
    const inv = INVERSE[f.predicate];
    if (inv && f.objectId) out.push({ s: f.objectId, p: inv, o: f.subjectId, fact: f.id });
  }
  return out;
}

describe('multi-hop', () => {
  const ds = synthesize(snapshot, { seed: 2, targetSize: 5000 });
  const hops = ds.examples.filter((e) => e.type === 'multi_hop');
  const all = edges();
  const nameOf = new Map(snapshot.entities.map((e) => [e.id, [e.name, ...e.aliases]]));

  it('follows a real 2-hop path A -p1-> B -p2-> C and answers every C', () => {
    expect(hops.length).toBeGreaterThan(10);
    for (const e of hops) {
      const [p1, p2] = e.predicates!;
      const [a, b] = e.entityIds!;
      const hop1 = all.filter((x) => x.s === a && x.p === p1);
      // The first hop is unambiguous: exactly one B.
      expect(new Set(hop1.map((x) => x.o)), e.instruction).toEqual(new Set([b]));
      expect(e.factIds).toContain(hop1[0]!.fact);
      const hop2 = all.filter((x) => x.s === b && x.p === p2);
      expect(hop2.length).toBeGreaterThan(0);
      for (const x of hop2) expect(e.factIds).toContain(x.fact);
      expect(hop2.some((x) => x.o === a), 'path must not return to A').toBe(false);
      // Gold = the objects of the second hop, in the example's language.
      const expected = new Set(hop2.map((x) => x.o));
      expect(e.gold.length).toBe(expected.size);
      for (const g of e.gold) {
        const match = [...expected].some((o) => (o.startsWith('lit:') ? o.slice(4) === g : (nameOf.get(o) ?? []).includes(g)));
        expect(match, `${g} in ${e.instruction}`).toBe(true);
      }
      expect(e.output).toContain(e.gold[0]!);
    }
  });

  it('keeps both hops in one split', () => {
    const splitOf = new Map<string, string>();
    for (const e of ds.examples) if (e.type !== 'multi_hop' && e.split !== 'test_paraphrase') for (const f of e.factIds) splitOf.set(f, e.split);
    for (const e of hops) {
      const splits = new Set(e.factIds.map((f) => splitOf.get(f)).filter((s) => s !== undefined));
      expect(splits.size).toBeLessThanOrEqual(1);
      if (splits.size === 1) expect([...splits][0]).toBe(e.split);
    }
  });

  it('includes the expected path 曾毓群 -CEO_OF-> 宁德时代 -LOCATED_IN-> 宁德', () => {
    const e = hops.find((x) => x.entityIds?.[0] === 'e:zeng' && x.predicates?.[1] === 'LOCATED_IN' && x.lang === 'zh');
    if (e) {
      expect(e.instruction).toContain('曾毓群');
      expect(e.gold).toEqual(['宁德']);
      expect(e.output).toContain('宁德时代');
    } else {
      // The path exists only when both facts landed in one split; then it must have been dropped as cross-split.
      expect(ds.counts.droppedCrossSplit).toBeGreaterThan(0);
    }
  });
});
