import { describe, expect, it } from 'vitest';
import { synthesize } from '../../../synthesis/index.js';
import { nudgeNumber } from '../../../synthesis/generators/true-false.js';
import { buildFixture } from './fixture.js';
import { norm, truthOracle } from './helpers.js';

const snapshot = buildFixture();
const holds = truthOracle(snapshot);

describe('true/false verification', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`never presents a true fact as a negative (seed ${seed})`, () => {
      const ds = synthesize(snapshot, { seed, targetSize: 5000 });
      const tf = ds.examples.filter((e) => e.type === 'true_false');
      const negatives = tf.filter((e) => e.label === false);
      expect(negatives.length).toBeGreaterThan(10);
      for (const e of negatives) {
        const c = e.claim;
        expect(c?.subjectId).toBeDefined();
        expect(c?.object).toBeDefined();
        expect(holds(c!.subjectId!, c!.predicate, { id: c!.objectId, text: c!.object! }), e.instruction).toBe(false);
        expect(e.instruction).toContain(c!.object!);
        expect(e.output.startsWith(e.lang === 'zh' ? '错误。' : 'False.')).toBe(true);
      }
      for (const e of tf.filter((x) => x.label === true)) {
        const c = e.claim!;
        expect(holds(c.subjectId!, c.predicate, { id: c.objectId, text: c.object! }), e.instruction).toBe(true);
        expect(e.output.startsWith(e.lang === 'zh' ? '正确。' : 'True.')).toBe(true);
      }
    });
  }

  it('draws hard negatives of the same type as the true object', () => {
    const ds = synthesize(snapshot, { seed: 9, targetSize: 5000 });
    const typeOf = new Map(snapshot.entities.map((e) => [e.id, e.type]));
    for (const e of ds.examples.filter((x) => x.type === 'true_false' && x.label === false)) {
      const trueObjects = snapshot.facts.filter((f) => e.factIds.includes(f.id));
      const c = e.claim!;
      if (c.objectId) {
        const types = new Set(trueObjects.map((f) => (f.subjectId === c.subjectId ? f.objectType : f.subjectType)));
        expect(types.has(typeOf.get(c.objectId) ?? ''), e.instruction).toBe(true);
      } else {
        expect(trueObjects.some((f) => !f.objectId), e.instruction).toBe(true);
      }
      expect(trueObjects.map((f) => norm(f.object))).not.toContain(norm(c.object!));
    }
  });

  it('nudges numbers into plausible wrong values', () => {
    expect(nudgeNumber('2011年', 0)).toBe('2008年');
    expect(nudgeNumber('45.8万元', 0)).toBe('68.7万元');
    expect(nudgeNumber('no number', 0)).toBeUndefined();
  });
});
