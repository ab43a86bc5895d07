/**
 * Reply cache of the LLM extractor: one JSON file per (chunk text hash, model, prompt version),
 * under KGTUNE_HOME/cache/llm-extract. Written atomically (temp file + rename), so a killed worker
 * never leaves a half file; an unreadable or invalid file is a miss. Only valid replies are cached:
 * the triples before grounding, so a change of the grounding rules needs no new model calls.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { jsonAs, writeFileAtomic } from '../../configs/artifact-file.js';
import { sha256Hex } from '../internal/ids.js';
import { LlmTriple } from './llm-schema.js';

const CacheEntry = z.object({ v: z.literal(1), model: z.string(), prompt: z.string(), triples: z.array(LlmTriple) });

export function cacheKey(chunkText: string, modelId: string, promptVersion: string): string {
  return sha256Hex(`${sha256Hex(chunkText)}\u0000${modelId}\u0000${promptVersion}`);
}

export class LlmCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<LlmTriple[] | undefined> {
    const text = await fs.readFile(this.file(key), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : jsonAs(text, CacheEntry)?.triples;
  }

  async put(key: string, entry: { model: string; prompt: string; triples: LlmTriple[] }): Promise<void> {
    await writeFileAtomic(this.file(key), JSON.stringify({ v: 1, ...entry }));
  }
}
