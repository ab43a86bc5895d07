/**
 * The general (non-domain) text around a base: the tiny base is pretrained on its first
 * BASE_PRETRAIN_CHARS characters, fine-tuning replays that same text, and the evaluation holds out
 * what follows (evaluation/general-text.ts).
 */
import path from 'node:path';
import type { KgtuneEnv } from '../configs/env.js';
import { loadBaseText } from './base-text.js';
import { BASE_PRETRAIN_CHARS } from './contract.js';

/** Where the general text (tiny base pretraining, replay, held-out perplexity) is cached. */
export function tinyBasePaths(env: Pick<KgtuneEnv, 'home'>): { cacheDir: string } {
  return { cacheDir: path.join(env.home, 'cache', 'base-text') };
}

/** The base's own pretraining text, replayed during fine-tuning (never the tail the evaluation holds out). */
export async function replayTexts(env: Pick<KgtuneEnv, 'home'>): Promise<string[]> {
  return (await loadBaseText(tinyBasePaths(env).cacheDir, BASE_PRETRAIN_CHARS)).texts;
}
