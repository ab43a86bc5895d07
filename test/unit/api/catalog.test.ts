import { describe, expect, it } from 'vitest';
import { gatePoints } from '../../../api/catalog.js';
import type { GateResult } from '../../../evaluation/gates.js';

describe('gatePoints: gates as the registry stores them', () => {
  it('reads pass/fail from `verdict` and keeps the direction', () => {
    const stored: GateResult[] = [
      { name: 'adapter_files', value: 2, threshold: 2, comparator: '>=', verdict: 'pass' },
      { name: 'perplexity_change', value: 0.25, threshold: 0.1, comparator: '<=', verdict: 'fail', detail: 'general text got worse' },
    ];
    expect(gatePoints(JSON.parse(JSON.stringify(stored)))).toEqual([
      { name: 'adapter_files', value: 2, threshold: 2, comparator: '>=', passed: true, detail: null },
      { name: 'perplexity_change', value: 0.25, threshold: 0.1, comparator: '<=', passed: false, detail: 'general text got worse' },
    ]);
  });

  it('an unmeasured gate (value null) stays failed; junk entries are dropped', () => {
    expect(gatePoints([{ name: 'x', value: null, threshold: 1, comparator: '>=', verdict: 'fail' }, null, 3])).toEqual([
      { name: 'x', value: null, threshold: 1, comparator: '>=', passed: false, detail: null },
    ]);
    expect(gatePoints('nope')).toEqual([]);
  });
});
