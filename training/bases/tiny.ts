/**
 * The tiny built-in base in the catalogue. Its settings (seed, steps, the general text's digest)
 * name a build: the same settings reuse the stored base, other settings (`kgtune base --steps N`, a
 * pipeline with another seed) build a NEW base beside it — nothing is retrained in place.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { BackendName } from '../backend.js';
import { loadBaseText } from '../base-text.js';
import type { StepInfo } from '../trainer.js';
import { commitStaged, getId, type ResolvedBase, setId, stagingDir, storedBase } from './catalogue.js';
import { sha256Hex } from '../../configs/hash.js';
import { canonicalJson } from '../../configs/pure/hash.js';

export const TINY_DEFAULTS = { seed: 1, steps: 150, maxChars: 400_000 } as const;

export interface TinyBaseOptions {
  home: string;
  /** Where the general text is downloaded and unpacked once. */
  cacheDir: string;
  seed?: number;
  steps?: number;
  maxChars?: number;
  backend?: BackendName;
  /** General text to pretrain on instead of the downloaded one (tests). */
  texts?: string[];
  onStep?: (s: StepInfo) => void | Promise<void>;
}

export interface TinyBuild {
  /** `tiny` for the default settings, `tiny-<digest>` otherwise. */
  id: string;
  settings: { seed: number; steps: number; maxChars: number; textSha256: string };
}

/** Id and settings of the tiny base these options build (reads the general text to digest it). */
export async function tinyBuild(o: TinyBaseOptions): Promise<TinyBuild & { texts: string[] }> {
  const seed = o.seed ?? TINY_DEFAULTS.seed;
  const steps = o.steps ?? TINY_DEFAULTS.steps;
  const maxChars = o.maxChars ?? TINY_DEFAULTS.maxChars;
  const texts = o.texts ?? (await loadBaseText(o.cacheDir, maxChars)).texts;
  const textSha256 = sha256Hex(JSON.stringify(texts));
  const settings = { seed, steps, maxChars, textSha256 };
  const isDefault = seed === TINY_DEFAULTS.seed && steps === TINY_DEFAULTS.steps && maxChars === TINY_DEFAULTS.maxChars;
  const id = isDefault ? 'tiny' : `tiny-${sha256Hex(canonicalJson(settings)).slice(0, 12)}`;
  return { id, settings, texts };
}

/** Whether a catalogue id names a tiny base (`tiny`, or `tiny-<12 hex>` for other settings, as tinyBuild makes them). */
export function isTinyBaseId(id: string): boolean {
  return /^tiny(-[0-9a-f]{12})?$/.test(id);
}

/** The tiny base for these settings: reused when built before, else pretrained and stored. */
export async function ensureTinyBase(o: TinyBaseOptions): Promise<ResolvedBase & { reused: boolean }> {
  const { id, settings, texts } = await tinyBuild(o);
  const source = `tiny:${canonicalJson(settings)}`;
  const known = await getId(o.home, id);
  const dir = known && known.source === source ? await storedBase(o.home, known.sha256) : undefined;
  if (known && dir) return { id, sha256: known.sha256, dir, reused: true };
  const { pretrainBase, TINY_BASE_TRAINER } = await import('../index.js');
  const staged = await stagingDir(o.home);
  try {
    await pretrainBase({
      outDir: staged, texts, steps: settings.steps, seed: settings.seed, backend: o.backend,
      trainer: TINY_BASE_TRAINER,
      onStep: o.onStep,
    });
    await rm(path.join(staged, 'checkpoints'), { recursive: true, force: true });
    const sha256 = await commitStaged(o.home, staged);
    await setId(o.home, id, sha256, source);
    return { id, sha256, dir: (await storedBase(o.home, sha256))!, reused: false };
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}
