import { describe, expect, it } from 'vitest';
import { configDigest, parsePipelineInput, pipelineWorkflowId } from '../../../configs/pipeline-input.js';

const good = { tenant: 'acme', domain: 'manufacturing', corpus: 'sample', source: '/data/acme' };

describe('pipeline input', () => {
  it('fills documented defaults', () => {
    const p = parsePipelineInput(good);
    expect(p.industry).toBe('generic');
    expect(p.training).toMatchObject({ rank: 32, alpha: 64, steps: 800, learningRate: 5e-3, replayEvery: 4, keepBestValidation: false });
    expect(p.promote).toBe('staging');
  });

  it('names every bad field in one line', () => {
    expect(() => parsePipelineInput({ tenant: 'Bad Tenant!', domain: '', source: '', training: { rank: 0 } }))
      .toThrow(/tenant: .*; domain: .*corpus: .*source: .*training\.rank/);
  });

  it('derives the same workflow id from the same tenant, corpus and config, another from another config', () => {
    const a = parsePipelineInput(good);
    const b = parsePipelineInput({ ...good, training: { steps: 301 } });
    expect(pipelineWorkflowId(a)).toBe(pipelineWorkflowId(parsePipelineInput({ ...good })));
    expect(pipelineWorkflowId(a)).not.toBe(pipelineWorkflowId(b));
    expect(pipelineWorkflowId(a)).toMatch(/^pipeline-acme-sample-[0-9a-f]{12}$/);
  });

  it('refuses a replay interval of 1 (every batch general text)', () => {
    expect(() => parsePipelineInput({ ...good, training: { replayEvery: 1 } })).toThrow(/training\.replayEvery: must be 0 \(off\) or at least 2/);
    expect(parsePipelineInput({ ...good, training: { replayEvery: 0 } }).training.replayEvery).toBe(0);
  });

  it('digest ignores key order', () => {
    expect(configDigest({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(configDigest({ b: [1, { d: 3, c: 2 }], a: 1 }));
  });

  it('takes a per-tenant PII policy, optional so that inputs without it keep their workflow id', () => {
    const plain = parsePipelineInput(good);
    expect('pii' in plain).toBe(false);
    expect(pipelineWorkflowId(plain)).toBe('pipeline-acme-sample-2b2027ee79e0'); // unchanged by `pii`; pinned: a new defaulted field (base, industry, extraction) changes every id — update it only when that is meant
    const p = parsePipelineInput({ ...good, pii: { kinds: ['mobile', 'email'], action: 'hash' } });
    expect(p.pii).toEqual({ kinds: ['mobile', 'email'], action: 'hash', allow: [] });
    expect(parsePipelineInput({ ...good, pii: {} }).pii).toEqual({ kinds: ['email', 'idCard', 'uscc', 'bankCard', 'mobile', 'landline', 'enPhone'], action: 'mask', allow: [] });
    expect(pipelineWorkflowId(p)).not.toBe(pipelineWorkflowId(plain));
    expect(() => parsePipelineInput({ ...good, pii: { kinds: ['phone'], action: 'erase' } })).toThrow(/pii\.kinds\.0: .*; pii\.action: /);
  });
});

describe('pipeline input: base', () => {
  it('defaults to the tiny base and keeps an id or folder as given; an empty base is refused', () => {
    expect(parsePipelineInput(good).base).toBe('tiny');
    expect(parsePipelineInput({ ...good, base: 'smollm2-135m-instruct' }).base).toBe('smollm2-135m-instruct');
    expect(parsePipelineInput({ ...good, base: '/models/acme' }).base).toBe('/models/acme');
    expect(() => parsePipelineInput({ ...good, base: ' ' })).toThrow(/base: /);
    expect(pipelineWorkflowId(parsePipelineInput({ ...good, base: 'smollm2-135m-instruct' }))).not.toBe(pipelineWorkflowId(parsePipelineInput(good)));
  });
});
