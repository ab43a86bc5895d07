/**
 * `kgtune base pull smollm2-135m-instruct` checked against transformers' own GGUF loader: the
 * converted HF folder gives the same logits (≤ 1e-3) and the same token ids, and kgtune's own forward
 * pass on it matches too. torch + transformers are installed once into the interop venv
 * (KGTUNE_HOME/venv, the pins of scripts/interop/requirements.txt, incl. what transformers' GGUF loader needs);
 * if that install fails, the test fails with pip's reason. The wheel and GGUF are cached in
 * KGTUNE_HOME/cache/bases; the catalogue itself is a temporary one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../configs/env.js';
import { ensureInteropVenv } from '../../scripts/interop/venv.js';
import { selectBackend } from '../../training/backend.js';
import { fetchGguf, listBases, PULLABLE, pullBase, pullCacheDir, verifyBase } from '../../training/bases/index.js';
import { loadModel } from '../../training/model/io.js';
import { forwardLogits } from '../../training/model/llama.js';

const TOL = 1e-3;
const root = path.resolve(import.meta.dirname, '../..');
const env = loadEnv();

interface Reference {
  logits: { prompt: string; tokens: number; maxAbsDiff: number; maxAbsLogit: number }[];
  tokenizer: { text: string; ref: number[]; ours: number[] }[];
  chatTemplateEqual: boolean;
  answer: string;
  sample: { ids: number[]; lastLogits: number[] };
}

describe('base pull smollm2-135m-instruct vs transformers (GGUF loader)', () => {
  let home: string;
  let pulled: Awaited<ReturnType<typeof pullBase>>;
  let ref: Reference;
  const lines: string[] = [];

  beforeAll(async () => {
    const py = ensureInteropVenv(env.home, (l) => lines.push(l));
    home = await mkdtemp(path.join(os.tmpdir(), 'kgtune-base-pull-'));
    const cacheDir = pullCacheDir(env.home);
    pulled = await pullBase(home, 'smollm2-135m-instruct', { cacheDir, progress: (l) => lines.push(l) });
    const gguf = await fetchGguf(cacheDir, PULLABLE['smollm2-135m-instruct']!, () => {});
    const out = path.join(home, 'reference.json');
    const r = spawnSync(py, [path.join(root, 'scripts/bases/gguf_reference.py'), gguf, pulled.dir, out], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`reference script failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    ref = JSON.parse(await readFile(out, 'utf8')) as Reference;
  }, 1_800_000);

  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('stores an immutable, content-addressed HF folder and reports progress', async () => {
    expect(pulled.reused).toBe(false);
    expect(lines.some((l) => l.startsWith('dequantised'))).toBe(true);
    expect(await verifyBase(home, pulled.sha256)).toBe(true);
    const again = await pullBase(home, 'smollm2-135m-instruct', { cacheDir: pullCacheDir(env.home) });
    expect(again).toMatchObject({ reused: true, sha256: pulled.sha256, dir: pulled.dir });
    expect((await listBases(home)).map((b) => b.id)).toEqual(['smollm2-135m-instruct']);
    const config = JSON.parse(await readFile(path.join(pulled.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ architectures: ['LlamaForCausalLM'], rope_theta: 100000, rms_norm_eps: 1e-5, tie_word_embeddings: true, bos_token_id: 1, eos_token_id: 2, pad_token_id: 2 });
  });

  it('gives transformers the same logits as its own GGUF loader (≤ 1e-3)', () => {
    expect(ref.logits.length).toBeGreaterThan(0);
    for (const l of ref.logits) expect(l.maxAbsDiff, l.prompt).toBeLessThanOrEqual(TOL);
  });

  it('tokenizes multilingual text to the same ids and renders the same chat template', () => {
    for (const t of ref.tokenizer) expect(t.ours, t.text).toEqual(t.ref);
    expect(ref.chatTemplateEqual).toBe(true);
    expect(ref.answer).toContain('Paris');
  });

  it("matches transformers in kgtune's own forward pass (≤ 1e-3)", async () => {
    await selectBackend();
    const model = await loadModel(pulled.dir);
    try {
      const ids = ref.sample.ids;
      const last = tf.tidy(() => forwardLogits(model, tf.tensor2d([ids], [1, ids.length], 'int32')).slice([0, ids.length - 1, 0], [1, 1, -1]).flatten().arraySync() as number[]);
      expect(last.length).toBe(ref.sample.lastLogits.length);
      let max = 0;
      for (let i = 0; i < last.length; i++) max = Math.max(max, Math.abs(last[i]! - ref.sample.lastLogits[i]!));
      expect(max).toBeLessThanOrEqual(TOL);
    } finally {
      model.dispose();
    }
  });
});
