import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../training/generate.js';
import { forwardLogits } from '../../../training/model/llama.js';
import { trainTokenizer } from '../../../training/tokenizer/train-bpe.js';
import { microModel, useWasm } from './helpers.js';

beforeAll(useWasm);

describe('generation', () => {
  const tok = trainTokenizer(['abc def 你好'], { merges: 0, maxChars: 0 });

  it('greedy with KV cache equals argmax of full forward passes, batched with left padding', () => {
    const m = microModel({ vocab_size: tok.size, max_position_embeddings: 64 }, 7);
    const prompts = ['ab', 'abc def 你'];
    const batched = generate({ model: m, tokenizer: tok }, prompts, { maxNewTokens: 6 });
    for (const [i, p] of prompts.entries()) {
      const single = generate({ model: m, tokenizer: tok }, [p], { maxNewTokens: 6 });
      expect(batched[i]).toBe(single[0]);
      // reference: no cache, full forward each step
      const ids = [tok.bosId, ...tok.encode(p)];
      const out: number[] = [];
      for (let n = 0; n < 6; n++) {
        const next = tf.tidy(() => {
          const l = forwardLogits(m, tf.tensor2d([ids], [1, ids.length], 'int32')); // [1, T, V]
          return tf.argMax(tf.reshape(tf.slice(l, [0, ids.length - 1, 0], [1, 1, -1]), [-1])).dataSync()[0]!;
        });
        if (next === tok.eosId) break;
        ids.push(next);
        out.push(next);
      }
      expect(single[0]).toBe(tok.decode(out));
    }
    m.dispose();
  });

  it('top-p sampling is reproducible by seed', () => {
    const m = microModel({ vocab_size: tok.size }, 8);
    const a = generate({ model: m, tokenizer: tok }, ['ab'], { maxNewTokens: 8, topP: 0.9, seed: 4 });
    const b = generate({ model: m, tokenizer: tok }, ['ab'], { maxNewTokens: 8, topP: 0.9, seed: 4 });
    expect(a).toEqual(b);
    m.dispose();
  });
});
