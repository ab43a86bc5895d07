/**
 * Exports of a registered adapter from the artifact store and the base catalogue (the registry
 * entry is given; the Neo4j lookup is covered by test/integration/export-cli.test.ts), and chat.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdapterDetail, LocalArtifactStore, exportDetail, missingBaseMessage, putAdapterDir } from '../../../registry/index.js';
import { chatReply } from '../../../registry/export-chat.js';
import { importFiles, setId } from '../../../training/bases/catalogue.js';
import { compareGreedy } from '../../../training/export/index.js';
import { generate, loadForGeneration, renderChat } from '../../../training/index.js';
import { tinyBaseAndAdapter } from '../training/export-helpers.js';
import { useWasm } from '../training/helpers.js';

let dir = '';
let home = '';
let store: LocalArtifactStore;
let detail: AdapterDetail;
let baseDir = '';
let adapterDir = '';

beforeAll(async () => {
  await useWasm();
  dir = await mkdtemp(path.join(os.tmpdir(), 'kgtune-export-reg-'));
  home = path.join(dir, 'home');
  ({ baseDir, adapterDir } = await tinyBaseAndAdapter(dir));
  const sha = await importFiles(home, baseDir, await readdir(baseDir));
  await setId(home, 'smol-style@test', sha, `folder:${baseDir}`);
  store = new LocalArtifactStore(path.join(home, 'artifacts'));
  const stored = await putAdapterDir(store, adapterDir);
  detail = {
    adapter: { id: 'a', domain: 'mfg', version: 2, sha256: stored.weights.sha256, sizeBytes: stored.sizeBytes, baseModelId: 'smol-style@test', baseModelSha256: sha, datasetId: 'd', datasetDigest: 'x', snapshotId: 's', aliases: ['production'], weightsUri: stored.weights.uri, manifestSha256: stored.manifest.sha256, manifestUri: stored.manifest.uri, reports: {}, createdAt: '2026-01-01' },
    trainingRun: null, dataset: null, snapshotId: null, evaluation: null, lineage: { facts: 0, chunks: 0, documents: 0 }, aliasHistory: [],
  };
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('exporting a registered adapter', () => {
  it('peft: the stored PEFT folder, byte for byte, with a record of what it is', async () => {
    const out = path.join(dir, 'out-peft');
    const { record } = await exportDetail({ store, home }, detail, { tenant: 'acme', domain: 'mfg', format: 'peft', outDir: out });
    expect(record).toMatchObject({ tenant: 'acme', domain: 'mfg', version: 2, format: 'peft', baseModelId: 'smol-style@test', files: ['adapter_config.json', 'adapter_model.safetensors'] });
    for (const f of record.files) expect(await readFile(path.join(out, f))).toEqual(await readFile(path.join(adapterDir, f)));
    expect(JSON.parse(await readFile(path.join(out, 'kgtune-export.json'), 'utf8'))).toEqual(record);
  });

  it('merged-hf: the base\'s own tokenizer files beside the merged weights; a second export replaces the first', async () => {
    const out = path.join(dir, 'out-hf');
    const first = await exportDetail({ store, home }, detail, { tenant: 'acme', domain: 'mfg', format: 'merged-hf', outDir: out });
    expect(first.record.files).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const bytes = await readFile(path.join(out, 'model.safetensors'));
    await exportDetail({ store, home }, detail, { tenant: 'acme', domain: 'mfg', format: 'merged-hf', outDir: out });
    expect(await readFile(path.join(out, 'model.safetensors'))).toEqual(bytes);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('gguf: a file llama.cpp runs with the same greedy tokens as the adapter on its base', async () => {
    const out = path.join(dir, 'out-gguf');
    const { record } = await exportDetail({ store, home }, detail, { tenant: 'acme', domain: 'mfg', format: 'gguf', outDir: out, dtype: 'f32' });
    expect(record.files).toEqual(['acme-mfg-v2-f32.gguf']);
    const r = await compareGreedy({ baseDir, adapterDir, ggufFile: path.join(out, record.files[0]!), prompts: ['Hello world, the', '<|im_start|>user\nWho makes the X200?<|im_end|>\n<|im_start|>assistant\n'], maxNewTokens: 12 });
    expect(r.identical).toBe(true);
  });

  it('gguf-lora: the base GGUF and a GGUF LoRA adapter that llama.cpp applies to it', async () => {
    const out = path.join(dir, 'out-gguf-lora');
    const { record } = await exportDetail({ store, home }, detail, { tenant: 'acme', domain: 'mfg', format: 'gguf-lora', outDir: out, dtype: 'f32' });
    expect(record.files).toEqual(['acme-mfg-v2-lora.gguf', 'smol-style_test-f32.gguf']);
    const r = await compareGreedy({ baseDir, adapterDir, ggufFile: path.join(out, 'smol-style_test-f32.gguf'), loraFile: path.join(out, 'acme-mfg-v2-lora.gguf'), prompts: ['Hello world, the'], maxNewTokens: 12 });
    expect(r.identical).toBe(true);
  });

  it('refuses a non-empty folder that is not an export, and a base missing from the catalogue, in one line', async () => {
    const busy = path.join(dir, 'busy');
    await mkdir(busy);
    await writeFile(path.join(busy, 'notes.txt'), 'mine');
    await expect(exportDetail({ store, home }, detail, { tenant: 'acme', domain: 'mfg', format: 'peft', outDir: busy })).rejects.toThrow(/is not empty and holds no earlier kgtune export/);
    const gone = { ...detail, adapter: { ...detail.adapter, baseModelId: 'smollm2-135m-instruct', baseModelSha256: 'f'.repeat(64) } };
    await expect(exportDetail({ store, home }, gone, { tenant: 'acme', domain: 'mfg', format: 'gguf', outDir: path.join(dir, 'none') })).rejects.toThrow('base "smollm2-135m-instruct" (sha256 ffffffffffff) of mfg v2 is not in the base catalogue: run ./kgtune base pull smollm2-135m-instruct');
    expect(missingBaseMessage({ ...gone.adapter, baseModelId: 'acme-base@0123456789ab' })).toMatch(/import the folder it was trained from with \.\/kgtune base import <dir>$/);
  });
});

describe('chat', () => {
  it('answers through the base\'s chat template, as generation from the rendered conversation does', async () => {
    const gm = await loadForGeneration({ baseDir, adapterDir });
    try {
      const history = [{ role: 'user' as const, content: 'Who makes the X200 drill?' }];
      const reply = chatReply(gm, history, { maxNewTokens: 10 });
      expect(reply).toBe(generate(gm, [renderChat(gm.tokenizer, history, true)], { maxNewTokens: 10, greedy: true })[0]!.trim());
      // a long conversation keeps its newest turns within the 128-token context
      const long = Array.from({ length: 12 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `turn ${i} about the drill and its price` }));
      expect(typeof chatReply(gm, [...long, { role: 'user', content: 'and now?' }], { maxNewTokens: 10 })).toBe('string');
      expect(() => chatReply(gm, [{ role: 'user', content: 'word '.repeat(200) }], { maxNewTokens: 10 })).toThrow(/does not fit the model's context of 128 tokens/);
    } finally {
      gm.dispose();
    }
  });
});
