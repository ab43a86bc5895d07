import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AlpacaFile,
  Example,
  LlamaFactoryDatasetInfo,
  ShareGptFile,
  canonicalJsonl,
  datasetCard,
  datasetDigest,
  parseOpenAiJsonl,
  renderExports,
  synthesize,
  writeDataset,
} from '../../../synthesis/index.js';
import { buildFixture } from './fixture.js';

const snapshot = buildFixture();
const ds = synthesize(snapshot, { seed: 4, targetSize: 400 });
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('exports', () => {
  const files = renderExports(ds);

  it('Alpaca, ShareGPT and OpenAI chat files parse in their formats, one record per example', () => {
    for (const split of ['train', 'val', 'test_paraphrase', 'test_heldout'] as const) {
      const n = ds.counts.bySplit[split];
      const alpaca = AlpacaFile.parse(JSON.parse(files.get(`alpaca_${split}.json`)!));
      const sharegpt = ShareGptFile.parse(JSON.parse(files.get(`sharegpt_${split}.json`)!));
      const chat = parseOpenAiJsonl(files.get(`openai_${split}.jsonl`)!);
      expect([alpaca.length, sharegpt.length, chat.length]).toEqual([n, n, n]);
      const first = ds.examples.find((e) => e.split === split)!;
      expect(alpaca[0]).toMatchObject({ instruction: first.instruction, output: first.output });
      expect(sharegpt[0]!.conversations.map((t) => t.from)).toEqual(['human', 'gpt']);
      expect(chat[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(chat[0]!.messages[2]!.content).toBe(first.output);
    }
  });

  it('the schemas reject malformed records', () => {
    expect(() => ShareGptFile.parse([{ conversations: [{ from: 'gpt', value: 'x' }, { from: 'human', value: 'y' }] }])).toThrow();
    expect(() => parseOpenAiJsonl('{"messages":[{"role":"assistant","content":"a"},{"role":"user","content":"q"}]}')).toThrow();
    expect(() => AlpacaFile.parse([{ instruction: '', input: '', output: 'x' }])).toThrow();
  });

  it('dataset_info.json entries are valid LLaMA-Factory entries pointing at the written files', () => {
    const info = LlamaFactoryDatasetInfo.parse(JSON.parse(files.get('dataset_info.json')!));
    const entries = Object.values(info);
    expect(entries.length).toBe(8);
    for (const entry of entries) expect(files.has(entry.file_name), entry.file_name).toBe(true);
    const alpaca = entries.find((e) => e.formatting === 'alpaca')!;
    expect(alpaca.columns).toMatchObject({ prompt: 'instruction', query: 'input', response: 'output' });
  });

  it('the card shows counts per type, language and split, and the contamination figures', () => {
    const card = datasetCard(ds);
    expect(card).toContain(ds.digest);
    for (const heading of ['## Splits', '## Examples per type and split', '## Languages', '## Contamination']) expect(card).toContain(heading);
    expect(card).toMatch(/\| multi_hop \|/);
    expect(card).toMatch(/\| test_heldout \| \d+ \| \d+ \| [\d.]+ \| [\d.]+ \| \d+ \| \d+ \| 0 \|/);
  });

  it('the card records the industry pack the data was made with', () => {
    expect(datasetCard(synthesize(snapshot, { seed: 4, targetSize: 60, industry: 'manufacturing' }))).toContain('| industry pack | manufacturing |');
    expect(datasetCard(ds)).toContain('| industry pack | (not recorded) |');
  });

  it('writeDataset writes everything atomically, matching the digest, and is idempotent', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'kgtune-synth-'));
    dirs.push(root);
    const dir = path.join(root, 'dataset');
    const written = await writeDataset(dir, ds);
    expect(written.reused).toBe(false);
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(expect.arrayContaining(['README.md', 'dataset_info.json', 'examples.jsonl', 'manifest.json', 'alpaca_train.json', 'sharegpt_test_heldout.json', 'openai_val.jsonl']));
    expect((await readdir(root)).sort()).toEqual(['dataset']);
    const jsonl = await readFile(path.join(dir, 'examples.jsonl'), 'utf8');
    expect(jsonl).toBe(canonicalJsonl(ds.examples));
    const back = jsonl.trim().split('\n').map((l) => Example.parse(JSON.parse(l)));
    expect(datasetDigest(back)).toBe(ds.digest);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as { digest: string; files: Record<string, string> };
    expect(manifest.digest).toBe(ds.digest);
    expect(Object.keys(manifest.files)).toContain('examples.jsonl');
    expect((await writeDataset(dir, ds)).reused).toBe(true);

    // A different dataset replaces the old one whole.
    await writeFile(path.join(dir, 'stale.txt'), 'old');
    const other = synthesize(snapshot, { seed: 5, targetSize: 100 });
    await writeDataset(dir, other);
    expect(await readdir(dir)).not.toContain('stale.txt');
    expect(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')).digest).toBe(other.digest);
    expect((await readdir(root)).sort()).toEqual(['dataset']);
  });

  it('writeDataset leaves the old dataset in place when writing fails', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'kgtune-synth-'));
    dirs.push(root);
    const dir = path.join(root, 'dataset');
    await writeDataset(dir, ds);
    const broken = { ...ds, digest: 'x'.repeat(64), examples: [{ ...ds.examples[0]!, output: '' }] };
    await expect(writeDataset(dir, broken)).rejects.toMatchObject({ type: 'InvalidExport' });
    expect(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')).digest).toBe(ds.digest);
  });
});
