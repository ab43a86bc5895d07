import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heldOutGeneralText } from '../../../evaluation/index.js';
import { BASE_PRETRAIN_CHARS, replayTexts, tinyBasePaths } from '../../../training/index.js';
import { loadEnv } from '../../../configs/env.js';
import { loadBaseText } from '../../../training/base-text.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A fake fortune cache: 4 sources of 999-character entries, so the pretraining budget is crossed mid-round (as with the real text). */
async function fakeCache(home: string): Promise<void> {
  const cache = tinyBasePaths(loadEnv({ KGTUNE_HOME: home }, home)).cacheDir;
  const files: Array<[string, string]> = [['fortunes-zh', 'chinese'], ['fortunes-min', 'fortunes'], ['fortunes-min', 'literature'], ['fortunes-min', 'riddles']];
  for (const [pkg, file] of files) {
    const dir = path.join(cache, pkg, 'usr/share/games/fortunes');
    await mkdir(dir, { recursive: true });
    const entries = Array.from({ length: 120 }, (_, i) => {
      const head = `${file} entry ${i} `;
      return head + 'x'.repeat(999 - head.length);
    });
    await writeFile(path.join(dir, file), entries.join('\n%\n'));
  }
}

describe('held-out general text (forgetting check)', () => {
  it('shares no text with the base pretraining text or the replay text', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'kgtune-general-'));
    dirs.push(home);
    await fakeCache(home);
    const env = loadEnv({ KGTUNE_HOME: home }, home);
    const pretrain = (await loadBaseText(tinyBasePaths(env).cacheDir, BASE_PRETRAIN_CHARS)).texts;
    const replay = await replayTexts(env);
    // the budget is crossed by the first text of a round; the round's other three texts are still pretrained on
    expect(pretrain.reduce((s, t) => s + t.length, 0)).toBeGreaterThan(BASE_PRETRAIN_CHARS + 999);
    const held = await heldOutGeneralText(env);
    expect(held.texts).toHaveLength(24);
    expect(held.disjoint).toBe(true);
    const seen = new Set([...pretrain, ...replay]);
    expect(held.texts.filter((t) => seen.has(t))).toEqual([]);
  });
});
