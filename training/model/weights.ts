import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from './config.js';
import { TrainingError } from '../errors.js';

/**
 * Parameters use HF names. Linear weights are held transposed, in "kernel" layout [in, out], so the
 * forward pass is x·W without transposes; HF/PEFT files hold [out, in] and are converted at the edge.
 */
export interface ParamSpec {
  name: string;
  /** Shape as stored in HF safetensors. */
  hfShape: number[];
  kind: 'embedding' | 'linear' | 'norm' | 'bias';
}

export function isLinearName(name: string): boolean {
  return name.endsWith('_proj.weight') || name === 'lm_head.weight';
}

export function paramSpecs(c: ModelConfig): ParamSpec[] {
  const d = c.hidden;
  const qDim = c.heads * c.headDim;
  const kvDim = c.kvHeads * c.headDim;
  const specs: ParamSpec[] = [{ name: 'model.embed_tokens.weight', hfShape: [c.vocabSize, d], kind: 'embedding' }];
  for (let i = 0; i < c.layers; i++) {
    const p = `model.layers.${i}`;
    specs.push({ name: `${p}.input_layernorm.weight`, hfShape: [d], kind: 'norm' });
    specs.push({ name: `${p}.self_attn.q_proj.weight`, hfShape: [qDim, d], kind: 'linear' });
    specs.push({ name: `${p}.self_attn.k_proj.weight`, hfShape: [kvDim, d], kind: 'linear' });
    specs.push({ name: `${p}.self_attn.v_proj.weight`, hfShape: [kvDim, d], kind: 'linear' });
    if (c.qkvBias) {
      specs.push({ name: `${p}.self_attn.q_proj.bias`, hfShape: [qDim], kind: 'bias' });
      specs.push({ name: `${p}.self_attn.k_proj.bias`, hfShape: [kvDim], kind: 'bias' });
      specs.push({ name: `${p}.self_attn.v_proj.bias`, hfShape: [kvDim], kind: 'bias' });
    }
    if (c.qkNorm) {
      specs.push({ name: `${p}.self_attn.q_norm.weight`, hfShape: [c.headDim], kind: 'norm' });
      specs.push({ name: `${p}.self_attn.k_norm.weight`, hfShape: [c.headDim], kind: 'norm' });
    }
    specs.push({ name: `${p}.self_attn.o_proj.weight`, hfShape: [d, qDim], kind: 'linear' });
    if (c.oBias) specs.push({ name: `${p}.self_attn.o_proj.bias`, hfShape: [d], kind: 'bias' });
    specs.push({ name: `${p}.post_attention_layernorm.weight`, hfShape: [d], kind: 'norm' });
    specs.push({ name: `${p}.mlp.gate_proj.weight`, hfShape: [c.intermediate, d], kind: 'linear' });
    specs.push({ name: `${p}.mlp.up_proj.weight`, hfShape: [c.intermediate, d], kind: 'linear' });
    specs.push({ name: `${p}.mlp.down_proj.weight`, hfShape: [d, c.intermediate], kind: 'linear' });
  }
  specs.push({ name: 'model.norm.weight', hfShape: [d], kind: 'norm' });
  if (!c.tieEmbeddings) specs.push({ name: 'lm_head.weight', hfShape: [c.vocabSize, d], kind: 'linear' });
  return specs;
}

/** HF [out, in] → kernel [in, out] for linear weights; other tensors unchanged. Disposes nothing. */
export function fromHfLayout(name: string, t: tf.Tensor): tf.Tensor {
  return isLinearName(name) ? tf.transpose(t) : tf.clone(t);
}

/** kernel [in, out] → HF [out, in] for linear weights; other tensors unchanged. */
export function toHfLayout(name: string, t: tf.Tensor): tf.Tensor {
  return isLinearName(name) ? tf.transpose(t) : tf.clone(t);
}

/**
 * Random init as HF does (truncated normal, std 0.02; norms one; biases zero), deterministic by seed.
 * `embedStd` may differ: the tiny base uses 0.1 so a token rare in its short pretraining still has
 * |e| ≈ 1 and a frozen (LoRA) model can put a peaked distribution on it (at 0.02, |e| ≈ 0.23 at
 * d=128 caps its logit near 3 and facts with rare characters cannot be learned).
 */
export function initParams(c: ModelConfig, seed: number, std = 0.02, embedStd = std): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  let k = 0;
  for (const s of paramSpecs(c)) {
    const t = tf.tidy(() => {
      if (s.kind === 'norm') return tf.ones(s.hfShape);
      if (s.kind === 'bias') return tf.zeros(s.hfShape);
      const w = tf.truncatedNormal(s.hfShape, 0, s.kind === 'embedding' ? embedStd : std, 'float32', seed * 1000 + k++);
      return s.kind === 'linear' ? tf.transpose(w) : w;
    });
    out.set(s.name, tf.variable(t, true));
    t.dispose();
  }
  return out;
}

/** Build parameters from HF-layout tensors (e.g. read from safetensors), validating names and shapes. */
export function paramsFromHf(c: ModelConfig, hf: Map<string, tf.Tensor>): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const s of paramSpecs(c)) {
    const t = hf.get(s.name);
    if (!t) {
      for (const v of out.values()) v.dispose();
      throw new TrainingError('InvalidCheckpoint', `model weights lack "${s.name}" (expected shape [${s.hfShape.join(', ')}])`);
    }
    if (t.shape.join(',') !== s.hfShape.join(',')) {
      for (const v of out.values()) v.dispose();
      throw new TrainingError('InvalidCheckpoint', `"${s.name}" has shape [${t.shape.join(', ')}], config.json implies [${s.hfShape.join(', ')}]`);
    }
    const k = tf.tidy(() => fromHfLayout(s.name, t.toFloat()));
    out.set(s.name, tf.variable(k, true));
    k.dispose();
  }
  return out;
}
