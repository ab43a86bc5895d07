import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterSanityGates, evaluate, gatesPassed, metricGates, runGates } from '../../../evaluation/index.js';
import type { EvaluationReport, GateResult } from '../../../evaluation/index.js';
import { example, writeAdapter } from './fixtures.js';

async function report(adapterRight: boolean, ppl: [number, number] | undefined): Promise<EvaluationReport> {
  const ex = [
    ...Array.from({ length: 4 }, (_, i) => example({ id: `p${i}`, type: 'fact_qa', lang: 'en', split: 'test_paraphrase', output: `ans${i}`, gold: [`ans${i}`] })),
    ...Array.from({ length: 5 }, (_, i) => example({ id: `r${i}`, type: 'refusal', lang: 'zh', split: 'test_heldout', output: '资料中没有相关信息。' })),
  ];
  return evaluate({
    examples: ex,
    generateBase: async (p) => p.map(() => 'I think so'),
    lookup: () => 'lookup answer',
    // adapter: 3/4 paraphrase right (or 1/4), refusals 4/5
    generateAdapter: async (p) => p.map((q) => {
      const id = q.slice(2);
      if (id.startsWith('p')) return (adapterRight ? ['p0', 'p1', 'p2'] : ['p0']).includes(id) ? `ans${id.slice(1)}` : 'nope';
      return id === 'r0' ? '在深圳' : '资料中没有相关信息';
    }),
    ...(ppl === undefined ? {} : { perplexityBase: ppl[0], perplexityAdapter: ppl[1] }),
  });
}

const byName = (gs: GateResult[]) => Object.fromEntries(gs.map((g) => [g.name, g]));

describe('metric gates', () => {
  it('pass: EM gain 0.75 ≥ 0.3, refusal 0.8 ≥ 0.8, perplexity +5 % ≤ 10 %', async () => {
    const g = byName(metricGates(await report(true, [20, 21]), { emGainParaphrase: 0.3, refusalAccuracy: 0.8, maxPerplexityIncrease: 0.1 }));
    expect(g.em_gain_paraphrase).toMatchObject({ value: 0.75, threshold: 0.3, comparator: '>=', verdict: 'pass' });
    expect(g.refusal_accuracy).toMatchObject({ value: 0.8, verdict: 'pass' });
    expect(g.perplexity_increase!.value).toBeCloseTo(0.05, 12);
    expect(g.perplexity_increase!.verdict).toBe('pass');
  });

  it('fail: EM gain 0.25 < 0.3, perplexity +20 %, and not measured fails', async () => {
    const g = byName(metricGates(await report(false, [20, 24])));
    expect(g.em_gain_paraphrase).toMatchObject({ value: 0.25, verdict: 'fail' });
    expect(g.perplexity_increase).toMatchObject({ verdict: 'fail' });
    const missing = byName(metricGates(await report(true, undefined)));
    expect(missing.perplexity_increase).toMatchObject({ value: null, verdict: 'fail', detail: 'perplexity not measured' });
  });

  it('optional gates appear only when configured; config is validated', async () => {
    const r = await report(true, [20, 21]);
    expect(metricGates(r).map((g) => g.name)).toEqual(['em_gain_paraphrase', 'em_gain_over_lookup_paraphrase', 'em_gain_over_lookup_heldout', 'refusal_accuracy', 'over_refusal', 'perplexity_increase']);
    expect(byName(metricGates(r, { minFaithfulness: 0.5 })).faithfulness).toMatchObject({ value: 0.75, verdict: 'pass' });
    expect(() => metricGates(r, { refusalAccuracy: 2 })).toThrow();
  });
});

describe('adapter sanity gates', () => {
  const dirs: string[] = [];
  const tmp = async () => {
    const d = await mkdtemp(path.join(tmpdir(), 'kgtune-gates-'));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a good adapter passes: 2 targets × 3 layers × 2 = 12 tensors, finite, rank 2', async () => {
    const dir = await writeAdapter(await tmp(), { layers: 3, targets: ['q_proj', 'v_proj'], r: 2 });
    const g = await adapterSanityGates(dir, { layers: 3 });
    expect(byName(g).tensor_count).toMatchObject({ value: 12, threshold: 12, verdict: 'pass' });
    expect(g.every((x) => x.verdict === 'pass')).toBe(true);
    expect(g.map((x) => x.name)).toEqual(['adapter_files', 'weights_parse', 'weights_finite', 'tensor_count', 'lora_rank']);
  });

  it('NaN weights fail, naming the tensor', async () => {
    const g = byName(await adapterSanityGates(await writeAdapter(await tmp(), { poison: true }), { layers: 2 }));
    expect(g.weights_finite).toMatchObject({ value: 1, verdict: 'fail' });
    expect(g.weights_finite!.detail).toContain('layers.0.self_attn.q_proj.lora_A.weight');
  });

  it('a missing tensor fails the count; a layer count from the base model is enforced', async () => {
    const g = byName(await adapterSanityGates(await writeAdapter(await tmp(), { skipLast: true }), { layers: 2 }));
    expect(g.tensor_count).toMatchObject({ value: 7, threshold: 8, verdict: 'fail' });
    const h = byName(await adapterSanityGates(await writeAdapter(await tmp(), { layers: 2 }), { layers: 4 }));
    expect(h.tensor_count).toMatchObject({ value: 8, threshold: 16, verdict: 'fail' });
  });

  it('missing, empty and corrupt files fail', async () => {
    const empty = await tmp();
    expect(byName(await adapterSanityGates(empty)).adapter_files).toMatchObject({ value: 0, verdict: 'fail' });
    const corrupt = await writeAdapter(await tmp());
    await writeFile(path.join(corrupt, 'adapter_model.safetensors'), Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    const g = byName(await adapterSanityGates(corrupt));
    expect(g.weights_parse).toMatchObject({ value: 0, verdict: 'fail' });
    expect(g.weights_parse!.detail).toMatch(/header length 200 exceeds/);
    const zero = await writeAdapter(await tmp());
    await writeFile(path.join(zero, 'adapter_config.json'), '');
    expect(byName(await adapterSanityGates(zero)).adapter_files).toMatchObject({ verdict: 'fail', detail: 'missing or empty: adapter_config.json' });
  });

  it('runGates combines metric and sanity gates into one verdict', async () => {
    const dir = await writeAdapter(await tmp());
    const ok = await runGates({ report: await report(true, [20, 21]), adapterDir: dir, adapter: { layers: 2 } });
    expect(ok.passed).toBe(true);
    expect(ok.gates).toHaveLength(11);
    const bad = await runGates({ report: await report(false, [20, 21]), adapterDir: dir });
    expect(bad.passed).toBe(false);
    expect(gatesPassed([])).toBe(false);
  });
});
