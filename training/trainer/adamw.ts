import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/**
 * AdamW as in PyTorch (decoupled decay, bias correction), with state held by parameter name so it
 * can be checkpointed and resumed exactly.
 */
export class AdamW {
  t = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(
    readonly params: Map<string, tf.Variable>,
    readonly opts: AdamWOptions,
  ) {
    // tidy: tf.variable keeps its initial tensor alive otherwise (the moments leaked 2 × the trainables per run).
    tf.tidy(() => {
      for (const [name, p] of params) {
        this.m.set(name, tf.variable(tf.zerosLike(p), false));
        this.v.set(name, tf.variable(tf.zerosLike(p), false));
      }
    });
  }

  /** One update with gradients by parameter name. Decay applies to matrices (rank ≥ 2) only. */
  step(grads: Map<string, tf.Tensor>, lr: number): void {
    this.t += 1;
    const { beta1, beta2, eps, weightDecay } = this.opts;
    const bc1 = 1 - Math.pow(beta1, this.t);
    const bc2 = 1 - Math.pow(beta2, this.t);
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g = grads.get(name);
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        const decayed = weightDecay > 0 && p.rank >= 2 ? tf.mul(p, 1 - lr * weightDecay) : p;
        const update = tf.div(tf.div(m1, bc1), tf.add(tf.sqrt(tf.div(v1, bc2)), eps));
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
    });
  }

  /** State tensors for a checkpoint: `m.<name>` and `v.<name>`. */
  stateTensors(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const [n, t] of this.m) out.set(`m.${n}`, t);
    for (const [n, t] of this.v) out.set(`v.${n}`, t);
    return out;
  }

  loadState(t: number, tensors: Map<string, tf.Tensor>): void {
    this.t = t;
    for (const [n, m] of this.m) {
      const src = tensors.get(`m.${n}`);
      if (src) m.assign(src);
    }
    for (const [n, v] of this.v) {
      const src = tensors.get(`v.${n}`);
      if (src) v.assign(src);
    }
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
