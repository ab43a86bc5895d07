import { describe, expect, it } from 'vitest';
import { synthesize, type Dataset } from '../../../synthesis/index.js';
import { buildFixture } from './fixture.js';

const snapshot = buildFixture();

function factsOf(ds: Dataset, split: string): Set<string> {
  return new Set(ds.examples.filter((e) => e.split === split).flatMap((e) => e.factIds));
}

describe.each([
  ['seed 7, all candidates', { seed: 7, targetSize: 5000 }],
  ['seed 3, trimmed', { seed: 3, targetSize: 250 }],
  ['seed 11, large held-out share', { seed: 11, targetSize: 5000, splitRatios: { test_heldout: 0.3, val: 0.2, paraphrase: 0.5 } }],
])('splits (%s)', (_name, opts) => {
  const ds = synthesize(snapshot, opts);
  const train = factsOf(ds, 'train');
  const val = factsOf(ds, 'val');
  const heldout = factsOf(ds, 'test_heldout');
  const paraphrase = factsOf(ds, 'test_paraphrase');

  it('has all four splits', () => {
    for (const s of ['train', 'val', 'test_paraphrase', 'test_heldout'] as const) expect(ds.counts.bySplit[s], s).toBeGreaterThan(0);
  });

  it('never lets a fact cross train, val and test_heldout', () => {
    for (const f of heldout) expect(train.has(f) || val.has(f), f).toBe(false);
    for (const f of val) expect(train.has(f), f).toBe(false);
  });

  it('asks test_paraphrase only about trained facts, in phrasings never used in train for them', () => {
    for (const f of paraphrase) expect(train.has(f), f).toBe(true);
    const trainTemplates = new Map<string, Set<string>>();
    for (const e of ds.examples.filter((x) => x.split === 'train')) {
      for (const f of e.factIds) {
        const set = trainTemplates.get(f) ?? new Set();
        set.add(e.templateId);
        trainTemplates.set(f, set);
      }
    }
    for (const e of ds.examples.filter((x) => x.split === 'test_paraphrase')) {
      for (const f of e.factIds) expect(trainTemplates.get(f)?.has(e.templateId), `${e.templateId} ${f}`).toBe(false);
      const trainInstructions = new Set(ds.examples.filter((x) => x.split === 'train').map((x) => x.instruction));
      expect(trainInstructions.has(e.instruction)).toBe(false);
    }
  });

  it('keeps inverse statements of one fact (A HAS_PART B = B PART_OF A) in one split', () => {
    const splitOf = new Map<string, string>();
    for (const e of ds.examples) if (e.split !== 'test_paraphrase') for (const f of e.factIds) splitOf.set(f, e.split);
    // f:025..f:028 (锂离子电池 parts, zh) and f:071..f:074 (lithium-ion battery parts, en) answer the same questions.
    const partFacts = ['f:025', 'f:026', 'f:027', 'f:028', 'f:071', 'f:072', 'f:073', 'f:074'].filter((f) => splitOf.has(f));
    expect(new Set(partFacts.map((f) => splitOf.get(f))).size).toBeLessThanOrEqual(1);
  });

  it('reports contamination figures: zero fact overlap for held-out and val, total for paraphrase', () => {
    const c = ds.contamination.splits;
    expect(c.test_heldout.factsInTrain).toBe(0);
    expect(c.val.factsInTrain).toBe(0);
    expect(c.test_paraphrase.factsInTrain).toBe(c.test_paraphrase.facts);
    for (const s of Object.values(c)) {
      expect(s.overlapRate).toBeGreaterThanOrEqual(0);
      expect(s.overlapRate).toBeLessThanOrEqual(1);
      expect(s.exactDuplicates).toBe(0);
    }
    expect(ds.contamination.ngram).toEqual({ zh: { unit: 'char', n: 8 }, en: { unit: 'word', n: 5 } });
  });

  it('lists fact ids per split for lineage', () => {
    expect(new Set(ds.factSplits.train)).toEqual(train);
    expect(new Set(ds.factSplits.test_heldout)).toEqual(heldout);
  });
});
