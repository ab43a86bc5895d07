import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOfflineExtractor } from '../../../graph/extract/offline.js';
import { evaluateExtractor, loadLabelled } from '../../../graph/quality.js';
import { pack } from './helpers.js';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/graph');

describe('extraction quality on the labelled set', () => {
  it('has ≥ 150 triples over several relation types, zh and en, with fact-free sentences', () => {
    const items = loadLabelled(path.join(fixtures, 'labelled.jsonl'));
    expect(items.reduce((n, i) => n + i.triples.length, 0)).toBeGreaterThanOrEqual(150);
    expect(new Set(items.flatMap((i) => i.triples.map((t) => t.p))).size).toBeGreaterThanOrEqual(8);
    expect(new Set(items.map((i) => i.lang))).toEqual(new Set(['zh', 'en']));
    expect(items.filter((i) => i.triples.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  it.each(['labelled.jsonl', 'labelled-holdout.jsonl'])('%s: precision ≥ 0.8 and recall ≥ 0.6', async (file) => {
    const r = await evaluateExtractor(createOfflineExtractor(), loadLabelled(path.join(fixtures, file)), pack);
    expect(r.overall.precision, r.falsePositives.join('\n')).toBeGreaterThanOrEqual(0.8);
    expect(r.overall.recall, r.misses.join('\n')).toBeGreaterThanOrEqual(0.6);
  });
});
