import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../model/config.js';
import type { LlamaModel } from '../model/llama.js';
import { type LoraConfig, type LoraTarget, loraScaling } from './config.js';
import { peftModule } from '../contract.js';

/** One adapted linear layer. A and B are held in kernel layout: A [in, r], B [r, out]. */
export interface LoraModule {
  /** HF module name, e.g. `model.layers.0.self_attn.q_proj`. */
  name: string;
  A: tf.Variable; // [in, r]  (PEFT lora_A.weight is [r, in])
  B: tf.Variable; // [r, out] (PEFT lora_B.weight is [out, r])
}

export interface LoraAdapter {
  config: LoraConfig;
  scaling: number;
  modules: Map<string, LoraModule>;
  /** Whether the deltas are currently merged into the base weights. */
  merged: boolean;
}

export function moduleName(layer: number, target: LoraTarget): string {
  const group = target === 'gate' || target === 'up' || target === 'down' ? 'mlp' : 'self_attn';
  return `model.layers.${layer}.${group}.${peftModule(target)}`;
}

/** [in, out] of a target module. */
export function moduleDims(c: ModelConfig, target: LoraTarget): [number, number] {
  const q = c.heads * c.headDim;
  const kv = c.kvHeads * c.headDim;
  switch (target) {
    case 'q': return [c.hidden, q];
    case 'k': case 'v': return [c.hidden, kv];
    case 'o': return [q, c.hidden];
    case 'gate': case 'up': return [c.hidden, c.intermediate];
    case 'down': return [c.intermediate, c.hidden];
  }
}

/**
 * PEFT's initialisation: A kaiming-uniform with a=√5 (bound 1/√in), B zero, so the adapted model
 * starts equal to the base. Deterministic by seed.
 */
export function createAdapter(c: ModelConfig, config: LoraConfig, seed: number): LoraAdapter {
  const modules = new Map<string, LoraModule>();
  let k = 0;
  for (let i = 0; i < c.layers; i++) {
    for (const t of config.targets) {
      const [inDim, outDim] = moduleDims(c, t);
      const bound = 1 / Math.sqrt(inDim);
      const a = tf.randomUniform([inDim, config.rank], -bound, bound, 'float32', seed * 7919 + k++); // [in, r]
      const b = tf.zeros([config.rank, outDim]); // [r, out]
      const name = moduleName(i, t);
      // tf.variable shares the initial tensor's data and leaves that tensor alive: dispose both initial values.
      modules.set(name, { name, A: tf.variable(a, true), B: tf.variable(b, true) });
      a.dispose();
      b.dispose();
    }
  }
  return { config, scaling: loraScaling(config), modules, merged: false };
}

/** ΔW in kernel layout [in, out] = scaling · A·B, i.e. the transpose of PEFT's B·A·scaling [out, in]. */
export function deltaWeight(m: LoraModule, scaling: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.matMul(m.A, m.B), scaling)); // [in, out]
}

function shiftBase(model: LlamaModel, adapter: LoraAdapter, sign: 1 | -1): void {
  for (const m of adapter.modules.values()) {
    const w = model.params.get(`${m.name}.weight`);
    if (!w) throw new Error(`base model has no ${m.name}.weight`);
    tf.tidy(() => w.assign(tf.add(w, tf.mul(deltaWeight(m, adapter.scaling), sign)))); // [in, out]
  }
  model.invalidateCaches();
}

/** Fold the adapter into the base weights (W += s·BA). Generation is then as fast as the base. */
export function mergeAdapter(model: LlamaModel, adapter: LoraAdapter): void {
  if (adapter.merged) return;
  shiftBase(model, adapter, 1);
  adapter.merged = true;
}

/** Undo `mergeAdapter` (W −= s·BA). */
export function unmergeAdapter(model: LlamaModel, adapter: LoraAdapter): void {
  if (!adapter.merged) return;
  shiftBase(model, adapter, -1);
  adapter.merged = false;
}

export function adapterVariables(adapter: LoraAdapter): tf.Variable[] {
  return [...adapter.modules.values()].flatMap((m) => [m.A, m.B]);
}

export function countParams(vars: Iterable<tf.Tensor>): number {
  let n = 0;
  for (const v of vars) n += v.size;
  return n;
}

export function disposeAdapter(adapter: LoraAdapter): void {
  for (const v of adapterVariables(adapter)) v.dispose();
}
