import { cp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stagingDir } from '../../../../training/bases/catalogue.js';
import { baseDir, ensureTinyBase, getId, listBases, resolveBase, setId, validateHfFolder, verifyBase } from '../../../../training/bases/index.js';
import { saveModel } from '../../../../training/model/io.js';
import { microModel, tmpDir, useWasm } from '../helpers.js';

/** A small but real HF folder: config.json + model.safetensors from a random model, tokenizer files. */
async function hfFolder(dir: string, seed = 3): Promise<string> {
  const m = microModel({}, seed);
  await saveModel(m, dir);
  m.dispose();
  await writeFile(path.join(dir, 'tokenizer.json'), JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: {}, merges: [] } }));
  await writeFile(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}', eos_token: '</s>' }));
  await writeFile(path.join(dir, 'generation_config.json'), JSON.stringify({ eos_token_id: 2 }));
  await writeFile(path.join(dir, 'README.md'), 'not part of the base');
  return dir;
}

describe('base catalogue', () => {
  let home: string;
  let src: string;
  beforeAll(async () => {
    await useWasm();
    home = await tmpDir('kgtune-bases-');
    src = await hfFolder(path.join(await tmpDir('kgtune-hf-'), 'My Model'));
  });

  it('imports an HF folder by content: same content → same sha256 and folder, never rewritten', async () => {
    const a = await resolveBase({ home }, src, { cacheDir: '/unused' });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.dir).toBe(baseDir(home, a.sha256));
    expect(a.id).toBe(`my-model@${a.sha256.slice(0, 12)}`);
    expect((await readdir(a.dir)).sort()).toEqual(['config.json', 'generation_config.json', 'kgtune-base.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const manifest = await readFile(path.join(a.dir, 'kgtune-base.json'), 'utf8');
    const b = await resolveBase({ home }, src, { cacheDir: '/unused' });
    expect(b).toEqual(a);
    expect(await readFile(path.join(a.dir, 'kgtune-base.json'), 'utf8')).toBe(manifest);
    expect(await verifyBase(home, a.sha256)).toBe(true);
    // nothing left in staging
    expect((await readdir(path.join(home, 'models', 'bases'))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    // resolvable again by its id and by its sha256
    expect(await resolveBase({ home }, a.id, { cacheDir: '/unused' })).toEqual(a);
    expect((await resolveBase({ home }, a.sha256, { cacheDir: '/unused' })).dir).toBe(a.dir);
  });

  it('different weights → a new base beside the first; an edit to a stored base is detected', async () => {
    const other = await hfFolder(path.join(await tmpDir('kgtune-hf-'), 'My Model'), 9);
    const a = await resolveBase({ home }, src, { cacheDir: '/unused' });
    const b = await resolveBase({ home }, other, { cacheDir: '/unused' });
    expect(b.sha256).not.toBe(a.sha256);
    expect(await verifyBase(home, a.sha256)).toBe(true);
    const tampered = await tmpDir('kgtune-bases-');
    await cp(path.join(home, 'models'), path.join(tampered, 'models'), { recursive: true });
    await writeFile(path.join(baseDir(tampered, a.sha256), 'generation_config.json'), '{}');
    expect(await verifyBase(tampered, a.sha256)).toBe(false);
  });

  it('accepts sharded safetensors with an index, and names what is missing in one line', async () => {
    const dir = await hfFolder(path.join(await tmpDir('kgtune-hf-'), 'sharded'));
    const weights = await readFile(path.join(dir, 'model.safetensors'));
    await rm(path.join(dir, 'model.safetensors'));
    await writeFile(path.join(dir, 'model-00001-of-00002.safetensors'), weights);
    await writeFile(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'model.embed_tokens.weight': 'model-00001-of-00002.safetensors', 'model.norm.weight': 'model-00002-of-00002.safetensors' } }));
    await expect(validateHfFolder(dir)).rejects.toThrow(/shard model-00002-of-00002\.safetensors named by model\.safetensors\.index\.json missing/);
    await writeFile(path.join(dir, 'model-00002-of-00002.safetensors'), weights);
    expect(await validateHfFolder(dir)).toEqual(['config.json', 'generation_config.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json', 'tokenizer.json', 'tokenizer_config.json']);
  });

  it('refuses folders that are not HF bases, each with one line', async () => {
    const bad = async (edit: (dir: string) => Promise<void>) => {
      const dir = await hfFolder(path.join(await tmpDir('kgtune-hf-'), 'bad'));
      await edit(dir);
      return resolveBase({ home }, dir, { cacheDir: '/unused' });
    };
    await expect(bad((d) => rm(path.join(d, 'config.json')))).rejects.toThrow(/config\.json is missing/);
    await expect(bad((d) => writeFile(path.join(d, 'tokenizer_config.json'), '{"eos_token":"</s>"}'))).rejects.toThrow(/has no chat_template/);
    await expect(bad((d) => rm(path.join(d, 'model.safetensors')))).rejects.toThrow(/has no model\.safetensors/);
    await expect(bad(async (d) => {
      const w = await readFile(path.join(d, 'model.safetensors'));
      await writeFile(path.join(d, 'model.safetensors'), w.subarray(0, w.length - 100));
    })).rejects.toThrow(/beyond the end of the file/);
    await expect(bad(async (d) => {
      const c = JSON.parse(await readFile(path.join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(path.join(d, 'config.json'), JSON.stringify({ ...c, hidden_act: 'gelu' }));
    })).rejects.toThrow(/hidden_act "gelu" unsupported/);
    await expect(resolveBase({ home }, '/nonexistent/folder', { cacheDir: '/unused' })).rejects.toThrow(/is not a folder/);
  });

  it('unknown ids say what to do; a pullable id not yet pulled names the pull command', async () => {
    await expect(resolveBase({ home }, 'smollm2-135m-instruct', { cacheDir: '/unused' })).rejects.toThrow('base "smollm2-135m-instruct" is not pulled yet: run ./kgtune base pull smollm2-135m-instruct');
    await expect(resolveBase({ home }, 'llama-9000', { cacheDir: '/unused' })).rejects.toThrow(/unknown base "llama-9000": use tiny, a pulled id/);
    await expect(resolveBase({ home }, 'f'.repeat(64), { cacheDir: '/unused' })).rejects.toThrow(/no stored base has sha256/);
    await expect(setId(home, 'x', 'e'.repeat(64), 'test')).rejects.toThrow(/no stored base/);
  });

  it('removes staging folders a killed process left more than a day ago, keeps recent ones', async () => {
    const old = await stagingDir(home);
    const recent = await stagingDir(home);
    const later = Date.now() + 25 * 3600_000;
    await utimes(recent, new Date(later), new Date(later));
    const fresh = await stagingDir(home, later);
    const left = await readdir(path.join(home, 'models', 'bases'));
    expect(left).not.toContain(path.basename(old));
    expect(left).toContain(path.basename(recent));
    await rm(recent, { recursive: true });
    await rm(fresh, { recursive: true });
  });

  it('lists ids with their stored base', async () => {
    const ids = (await listBases(home)).map((b) => b.id);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    for (const b of await listBases(home)) expect((await getId(home, b.id))?.sha256).toBe(b.sha256);
  });
});

describe('tiny base in the catalogue', () => {
  const texts = Array.from({ length: 60 }, (_, i) => `The quick brown fox number ${i} jumps over the lazy dog. A stitch in time saves nine.`);

  it('other steps or another seed build a NEW base; the same settings reuse it; nothing is retrained in place', async () => {
    await useWasm();
    const home = await tmpDir('kgtune-tiny-');
    const o = { home, cacheDir: '/unused', texts, backend: 'wasm' as const };
    const a = await ensureTinyBase({ ...o, steps: 2 });
    expect(a.reused).toBe(false);
    expect(a.id).toMatch(/^tiny-[0-9a-f]{12}$/);
    const manifest = await readFile(path.join(a.dir, 'kgtune-base.json'), 'utf8');
    const again = await ensureTinyBase({ ...o, steps: 2 });
    expect(again).toMatchObject({ reused: true, id: a.id, sha256: a.sha256 });
    const b = await ensureTinyBase({ ...o, steps: 3 });
    const c = await ensureTinyBase({ ...o, steps: 2, seed: 5 });
    expect(new Set([a.sha256, b.sha256, c.sha256]).size).toBe(3);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(await readFile(path.join(a.dir, 'kgtune-base.json'), 'utf8')).toBe(manifest);
    expect(await verifyBase(home, a.sha256)).toBe(true);
    expect(await readdir(a.dir)).not.toContain('checkpoints');
  }, 240_000);
});
