/**
 * Interop with transformers + PEFT (the reference implementations), for every architecture kgtune
 * runs: tiny random models made in the interop venv (<KGTUNE_HOME>/venv, created on first use with
 * the pins of scripts/interop/requirements.txt; if that fails, this test fails with the reason).
 * LLaMA (untied), Llama 3.x (rope_scaling llama3, tied), Mistral (sliding window 4 < 12 tokens),
 * Qwen2 (q/k/v bias, tied), Qwen3 (per-head q/k norm, head_dim ≠ hidden/heads, untied):
 *  (a) kgtune's logits = transformers' (≤ 1e-4), (b) a kgtune adapter loaded by PEFT, (c) a PEFT
 *  adapter loaded by kgtune: same logits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../training/backend.js';
import { type KgtuneSideResult, runKgtuneSide, TOL } from '../../scripts/interop/kgtune-side.js';
import { ensureInteropVenv } from '../../scripts/interop/venv.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const home = path.resolve(repo, process.env.KGTUNE_HOME ?? '.kgtune');
const ARCHITECTURES = ['llama', 'llama3', 'mistral', 'qwen2', 'qwen3'];

function reference(python: string, verb: 'make' | 'check', dir: string): string {
  const r = spawnSync(python, [path.join(repo, 'scripts/interop/reference.py'), verb, dir], { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`reference.py ${verb} failed: ${r.stderr.trim().split('\n').at(-1)}`);
  return r.stdout;
}

describe('interop with transformers + PEFT', () => {
  let dir: string;
  let python: string;
  let ours: KgtuneSideResult[];

  beforeAll(async () => {
    python = ensureInteropVenv(home, (l) => console.log(l)); // throws (fails the suite) with pip's reason
    dir = await mkdtemp(path.join(os.tmpdir(), 'kgtune-interop-'));
    reference(python, 'make', dir);
    await selectBackend('wasm');
    ours = await runKgtuneSide(dir);
  }, 1_800_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('covers every architecture', () => {
    expect(ours.map((r) => r.kind)).toEqual(ARCHITECTURES);
  });

  it.each(ARCHITECTURES)('%s: kgtune logits = transformers logits (≤ 1e-4); a PEFT adapter loads in kgtune with the same logits', (kind) => {
    const r = ours.find((x) => x.kind === kind)!;
    expect(r.base).toBeLessThanOrEqual(TOL);
    expect(r.peftInKgtune).toBeLessThanOrEqual(TOL);
  });

  it('adapters saved by kgtune load in PEFT with the same logits (≤ 1e-4)', () => {
    const diffs = JSON.parse(reference(python, 'check', dir).trim().split('\n').at(-1)!) as Record<string, number>;
    expect(Object.keys(diffs).sort()).toEqual(ARCHITECTURES);
    for (const [kind, d] of Object.entries(diffs)) expect(d, kind).toBeLessThanOrEqual(TOL);
  });
});
