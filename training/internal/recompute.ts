import * as tf from '@tensorflow/tfjs';

/** The one engine field this file touches: the tape tfjs records ops on while a gradient is taken. */
interface EngineTapeState {
  state: { activeTape: unknown };
}

/**
 * Gradients of f at xs, times dy, taken while another gradient computation is in its backward pass (a
 * checkpointed layer recomputes its forward there; training/model/llama.ts, checkpointedBlock).
 *
 * tfjs (4.22) has one active tape per engine. A tf.grads started during an outer backward pass (gradient depth
 * 0 again by then) replaces the outer tape with a fresh one and sets it to null when done — the outer backward
 * pass then fails when it frees its saved tensors. The outer tape is set aside here and put back afterwards, so
 * the recomputation has a tape of its own whose saved tensors are freed as soon as this layer's gradients exist.
 * test/unit/training/checkpointing.test.ts fails if a tfjs upgrade changes this.
 */
export function recomputeGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): tf.Tensor[] {
  const engine = tf.engine() as unknown as EngineTapeState;
  const outer = engine.state.activeTape;
  try {
    return tf.grads(f)(xs, dy);
  } finally {
    engine.state.activeTape = outer;
  }
}
