import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../training/model/config.js';
import { causalMask, MASKED, ropeInvFreq } from '../../../training/model/layers.js';
import { paramSpecs } from '../../../training/model/weights.js';

const base = { vocab_size: 64, hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2 };
const LLAMA3_SCALING = { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 };

describe('architectures: config.json → model', () => {
  it('Llama 3.x rope_scaling llama3: long wavelengths ÷ factor, short kept, medium interpolated', () => {
    const c = resolveConfig({ ...base, model_type: 'llama', head_dim: 64, rope_theta: 500000, rope_scaling: LLAMA3_SCALING });
    const plain = ropeInvFreq(64, 500000);
    const scaled = ropeInvFreq(64, 500000, c.ropeScaling);
    const wavelen = (x: number) => (2 * Math.PI) / x;
    let [kept, divided, between] = [0, 0, 0];
    plain.forEach((x, i) => {
      const y = scaled[i]!;
      if (wavelen(x) < 8192 / 4) {
        expect(y).toBe(x);
        kept++;
      } else if (wavelen(x) > 8192 / 1) {
        expect(y).toBeCloseTo(x / 8, 12);
        divided++;
      } else {
        const s = (8192 / wavelen(x) - 1) / (4 - 1);
        expect(y).toBeCloseTo((1 - s) * (x / 8) + s * x, 9);
        between++;
      }
    });
    expect(kept * divided * between).toBeGreaterThan(0); // all three regimes exercised
  });

  it('rope_scaling: linear divides every frequency; unknown types and missing fields fail with one line', () => {
    const lin = resolveConfig({ ...base, rope_scaling: { type: 'linear', factor: 2 } });
    expect(ropeInvFreq(8, 10000, lin.ropeScaling)).toEqual(ropeInvFreq(8, 10000).map((x) => Math.fround(x / 2)));
    expect(() => resolveConfig({ ...base, rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(/rope_scaling type "yarn" is not supported/);
    expect(() => resolveConfig({ ...base, rope_scaling: { rope_type: 'llama3', factor: 8 } })).toThrow(/llama3 needs factor, low_freq_factor/);
    expect(() => resolveConfig({ ...base, model_type: 'gemma' })).toThrow(/model_type "gemma" is not supported/);
  });

  it('Qwen3: q_norm/k_norm per head ([head_dim]), head_dim from config, no q/k/v bias by default', () => {
    const c = resolveConfig({ ...base, model_type: 'qwen3', head_dim: 16 });
    expect(c.qkNorm).toBe(true);
    expect(c.qkvBias).toBe(false);
    const specs = paramSpecs(c);
    expect(specs.find((s) => s.name === 'model.layers.0.self_attn.q_norm.weight')?.hfShape).toEqual([16]);
    expect(specs.find((s) => s.name === 'model.layers.0.self_attn.k_norm.weight')?.hfShape).toEqual([16]);
    expect(specs.find((s) => s.name === 'model.layers.0.self_attn.q_proj.weight')?.hfShape).toEqual([64, 32]); // 4 heads × 16
    expect(resolveConfig({ ...base, model_type: 'qwen3' }).headDim).toBe(128); // Qwen3Config's default
  });

  it('Qwen2: q/k/v bias, no o bias, no q/k norm; Mistral: no bias, sliding window', () => {
    const q2 = resolveConfig({ ...base, model_type: 'qwen2', sliding_window: 4096, use_sliding_window: false });
    expect([q2.qkvBias, q2.oBias, q2.qkNorm, q2.slidingWindow]).toEqual([true, false, false, undefined]);
    expect(() => resolveConfig({ ...base, model_type: 'qwen2', sliding_window: 8, use_sliding_window: true })).toThrow(/use_sliding_window=true is not supported/);
    const m = resolveConfig({ ...base, model_type: 'mistral', sliding_window: 3 });
    expect([m.qkvBias, m.oBias, m.slidingWindow]).toEqual([false, false, 3]);
    expect(resolveConfig({ ...base, model_type: 'mistral', sliding_window: null }).slidingWindow).toBeUndefined();
  });

  it('tied vs untied embeddings: lm_head.weight only when untied', () => {
    const has = (tie: boolean) => paramSpecs(resolveConfig({ ...base, tie_word_embeddings: tie })).some((s) => s.name === 'lm_head.weight');
    expect([has(true), has(false)]).toEqual([false, true]);
  });

  it('sliding-window causal mask: a query sees itself and the window−1 keys before it', () => {
    const M = MASKED;
    expect(causalMask(4, 4, 2).arraySync()).toEqual([
      [0, M, M, M],
      [0, 0, M, M],
      [M, 0, 0, M],
      [M, M, 0, 0],
    ]);
    expect(causalMask(1, 4, 2).arraySync()).toEqual([[M, M, 0, 0]]); // with 3 cached keys
  });
});
