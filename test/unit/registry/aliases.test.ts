import { describe, expect, it } from 'vitest';
import { previousVersion, renderModelCard } from '../../../registry/index.js';
import type { AdapterDetail } from '../../../registry/index.js';

const set = (v: number) => ({ kind: 'set' as const, toVersion: v });
const back = (v: number) => ({ kind: 'rollback' as const, toVersion: v });

describe('previousVersion (rollback target)', () => {
  it('nothing to go back to', () => {
    expect(previousVersion([])).toBeNull();
    expect(previousVersion([set(1)])).toBeNull();
  });
  it('one step back', () => {
    expect(previousVersion([set(1), set(2)])).toBe(1);
    expect(previousVersion([set(1), set(2), set(3)])).toBe(2);
  });
  it('repeated rollbacks walk further back instead of toggling', () => {
    expect(previousVersion([set(1), set(2), set(3), back(2)])).toBe(1);
    expect(previousVersion([set(1), set(2), set(3), back(2), back(1)])).toBeNull();
  });
  it('a version set again after a rollback stacks normally', () => {
    expect(previousVersion([set(1), set(2), back(1), set(3)])).toBe(1);
    expect(previousVersion([set(1), set(2), set(1)])).toBe(2);
  });
});

describe('renderModelCard', () => {
  const detail: AdapterDetail = {
    adapter: {
      id: 'adapter-x', domain: 'manufacturing', version: 3, sha256: 'a'.repeat(64), sizeBytes: 1234, baseModelId: 'kgtune-tiny', baseModelSha256: 'b'.repeat(64),
      datasetId: 'ds-1', datasetDigest: 'sha256:dd', snapshotId: 'snap-1', aliases: ['staging'], weightsUri: 'file:///w', manifestSha256: 'c'.repeat(64), manifestUri: 'file:///m',
      reports: { 'loss.svg': 'file:///loss.svg', 'report.md': 'file:///report.md' }, createdAt: '2025-01-01T00:00:00Z',
    },
    trainingRun: { id: 'run-1', backend: 'wasm', baseModel: 'kgtune-tiny', config: { lr: 0.001 }, losses: [], steps: 100, finalTrainLoss: 0.5, finalValLoss: 0.7 },
    dataset: { id: 'ds-1', digest: 'sha256:dd', splits: null },
    snapshotId: 'snap-1',
    evaluation: {
      metrics: { groups: [{ split: 'test_paraphrase', lang: 'all', type: 'all', n: 10, base: { values: { exactMatch: 0.1 }, counts: { exactMatch: 10 } }, adapter: { values: { exactMatch: 0.6 }, counts: { exactMatch: 10 } }, delta: {} }] },
      gates: [{ name: 'em_gain_paraphrase', value: 0.5, threshold: 0.3, comparator: '>=', verdict: 'pass' }],
      passed: true,
    },
    lineage: { facts: 40, chunks: 12, documents: 3 },
    aliasHistory: [{ alias: 'staging', seq: 1, kind: 'set', fromVersion: 2, toVersion: 3, actor: 'pipeline', reason: 'gates passed', at: '2025-01-01T00:00:01Z' }],
  };
  it('has base, data, metrics with charts, gates, lineage, aliases and intended use', () => {
    const md = renderModelCard(detail);
    for (const h of ['# Adapter manufacturing v3', '## Base model', '## Data', '## Training', '## Evaluation', '## Gates', '## Lineage', '## Alias history', '## Intended use']) expect(md).toContain(h);
    expect(md).toContain('| Test: template swap (trained facts asked with a question template held out for them) | all | 10 | Exact match | 0.100 | – | – | 0.600 |');
    expect(md).toContain('![loss](file:///loss.svg)');
    expect(md).toContain('40 facts → 12 chunks → 3 documents');
    expect(md).toContain('| 1 | staging | 2 → 3 | pipeline |');
    expect(md).toContain('"lr": 0.001');
    expect(md).toContain(`Base id \`kgtune-tiny\`, stored immutably in the base catalogue as \`models/bases/${'b'.repeat(64)}/\``);
  });
  it('names the industry pack of the data', () => {
    expect(renderModelCard({ ...detail, adapter: { ...detail.adapter, industry: 'manufacturing' } })).toContain('Industry pack: `manufacturing`');
    expect(renderModelCard(detail)).toContain('Industry pack: not recorded');
  });
  it('shows every system on answerable and unanswerable questions when the report has them', () => {
    const s = (em: number, n = 8) => ({ values: { exactMatch: em, refusalAccuracy: em }, counts: { exactMatch: n, refusalAccuracy: n } });
    const groups = [
      { split: 'test_heldout', lang: 'all', type: 'answerable', n: 8, base: s(0), lookup: s(0.1), retrieval: s(0.4), adapter: s(0.2), delta: {}, gains: {} },
      { split: 'test_heldout', lang: 'all', type: 'refusal', n: 5, base: { values: { refusalAccuracy: 0 }, counts: { refusalAccuracy: 5 } }, adapter: { values: { refusalAccuracy: 0.6 }, counts: { refusalAccuracy: 5 } }, lookup: { values: { refusalAccuracy: 0.2 }, counts: { refusalAccuracy: 5 } }, delta: {}, gains: {} },
    ];
    const md = renderModelCard({ ...detail, evaluation: { ...detail.evaluation!, metrics: { groups } } });
    expect(md).toContain('| Test: held-out facts (never trained on) and unanswerable questions | answerable | 8 | Exact match | 0.000 | 0.100 | 0.400 | 0.200 |');
    expect(md).toContain('| unanswerable | 5 | Refusal accuracy (unanswerable) | 0.000 | 0.200 | – | 0.600 |');
  });
});
