import { execFile } from 'node:child_process';
import { access, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { TrainingError } from './errors.js';

const run = promisify(execFile);

/**
 * General (non-domain) text for the tiny base, from Debian's fortune packages (see BASE-TEXT.md for
 * sources and licences): modern Chinese from `fortunes-zh` (file `chinese`) and English from
 * `fortunes-min`. Fetched with `apt-get download` (no install) into the cache folder, once.
 */
export const BASE_TEXT_PACKAGES = [
  { pkg: 'fortunes-zh', files: ['chinese'] },
  { pkg: 'fortunes-min', files: ['fortunes', 'literature', 'riddles'] },
] as const;

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

async function ensurePackage(cacheDir: string, pkg: string): Promise<string> {
  const root = path.join(cacheDir, pkg);
  if (await exists(path.join(root, 'usr/share/games/fortunes'))) return root;
  await mkdir(cacheDir, { recursive: true });
  try {
    if (!(await readdir(cacheDir)).some((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'))) {
      try {
        await run('apt-get', ['download', pkg], { cwd: cacheDir });
      } catch {
        // A fresh machine may have empty package lists: refresh them once, then try again.
        await run('apt-get', ['update', '-qq'], { cwd: cacheDir });
        await run('apt-get', ['download', pkg], { cwd: cacheDir });
      }
    }
    const deb = (await readdir(cacheDir)).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'))!;
    await run('dpkg-deb', ['-x', path.join(cacheDir, deb), root]);
  } catch (err) {
    throw new TrainingError(
      'InvalidCheckpoint',
      `could not fetch the base text package ${pkg} with apt-get download (run "apt-get update" first?): ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return root;
}

/** Split a fortune file into entries; drop terminal colour codes and attribution indentation. */
export function parseFortunes(text: string): string[] {
  return text
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .split(/^%$/m)
    .map((e) => e.replace(/[ \t]+/g, ' ').replace(/\n /g, '\n').trim())
    .filter((e) => e.length >= 8);
}

export interface BaseText {
  texts: string[];
  chars: number;
  sources: { pkg: string; file: string; entries: number }[];
}

/** Load (fetching once) the general text, at most maxChars characters, Chinese and English interleaved. */
export async function loadBaseText(cacheDir: string, maxChars = 1_500_000): Promise<BaseText> {
  const perSource: string[][] = [];
  const sources: BaseText['sources'] = [];
  for (const { pkg, files } of BASE_TEXT_PACKAGES) {
    const root = await ensurePackage(cacheDir, pkg);
    for (const f of files) {
      const entries = parseFortunes(await readFile(path.join(root, 'usr/share/games/fortunes', f), 'utf8'));
      perSource.push(entries);
      sources.push({ pkg, file: f, entries: entries.length });
    }
  }
  // round-robin so a character budget still mixes both languages
  const texts: string[] = [];
  let chars = 0;
  for (let i = 0; chars < maxChars; i++) {
    let any = false;
    for (const s of perSource) {
      const e = s[i];
      if (e === undefined) continue;
      any = true;
      texts.push(e);
      chars += e.length;
    }
    if (!any) break;
  }
  return { texts, chars, sources };
}
