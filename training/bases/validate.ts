/** Checks that a folder is a Hugging Face causal-LM folder kgtune can train on, with one-line errors. */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { resolveConfig } from '../model/config.js';
import { BaseError } from './errors.js';

/** The files of an HF folder that make up a base (anything else — README, .bin weights — is left out). */
export const BASE_FILE = /^(config\.json|generation_config\.json|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|.*\.safetensors|model\.safetensors\.index\.json)$/;
const DTYPES = new Set(['F32', 'F16', 'BF16']);

const TokenizerConfigSchema = z.looseObject({
  chat_template: z.union([z.string().min(1), z.array(z.object({ name: z.string(), template: z.string() })).min(1)]),
});
const IndexSchema = z.object({ weight_map: z.record(z.string(), z.string()) });

async function readJson(dir: string, name: string): Promise<unknown> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new BaseError('InvalidBaseFolder', `${dir} is not a Hugging Face model folder: ${name} is missing`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BaseError('InvalidBaseFolder', `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Header of one safetensors file: dtypes allowed, sizes consistent with the file length. */
async function checkSafetensors(file: string): Promise<void> {
  const fh = await open(file, 'r').catch(() => undefined);
  if (!fh) throw new BaseError('InvalidBaseFolder', `${file} is missing`);
  try {
    const { size } = await fh.stat();
    const len = Buffer.alloc(8);
    await fh.read(len, 0, 8, 0);
    const n = Number(len.readBigUInt64LE());
    if (size < 8 || 8 + n > size) throw new BaseError('InvalidBaseFolder', `${file} is not a safetensors file (header length ${n}, file ${size} bytes)`);
    const head = Buffer.alloc(n);
    await fh.read(head, 0, n, 8);
    let header: Record<string, { dtype?: string; data_offsets?: [number, number] }>;
    try {
      header = JSON.parse(head.toString('utf8')) as typeof header;
    } catch {
      throw new BaseError('InvalidBaseFolder', `${file}: safetensors header is not JSON`);
    }
    for (const [name, e] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      if (!e.dtype || !DTYPES.has(e.dtype)) throw new BaseError('InvalidBaseFolder', `${file}: tensor ${name} is ${e.dtype ?? '?'} (F32, F16 and BF16 are supported)`);
      if (!e.data_offsets || 8 + n + e.data_offsets[1] > size) throw new BaseError('InvalidBaseFolder', `${file}: tensor ${name} lies beyond the end of the file (truncated download?)`);
    }
  } finally {
    await fh.close();
  }
}

/**
 * Validate an HF folder: config.json (an architecture kgtune runs), tokenizer.json,
 * tokenizer_config.json with a chat_template, and safetensors weights (one file, or sharded with
 * model.safetensors.index.json). Returns the files that make up the base.
 */
export async function validateHfFolder(dir: string): Promise<string[]> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new BaseError('InvalidBaseFolder', `${dir} is not a folder`);
  try {
    resolveConfig(await readJson(dir, 'config.json'));
  } catch (e) {
    if (e instanceof BaseError) throw e;
    throw new BaseError('InvalidBaseFolder', `${path.join(dir, 'config.json')}: ${(e as Error).message}`);
  }
  const tok = await readJson(dir, 'tokenizer.json');
  if (!tok || typeof tok !== 'object' || !('model' in tok)) throw new BaseError('InvalidBaseFolder', `${path.join(dir, 'tokenizer.json')} has no "model": not a Hugging Face tokenizers file`);
  if (!TokenizerConfigSchema.safeParse(await readJson(dir, 'tokenizer_config.json')).success) {
    throw new BaseError('InvalidBaseFolder', `${path.join(dir, 'tokenizer_config.json')} has no chat_template: kgtune formats training pairs with the base's own chat template`);
  }
  const names = await readdir(dir);
  let weights: string[];
  if (names.includes('model.safetensors.index.json')) {
    const idx = IndexSchema.safeParse(await readJson(dir, 'model.safetensors.index.json'));
    if (!idx.success) throw new BaseError('InvalidBaseFolder', `${path.join(dir, 'model.safetensors.index.json')} has no weight_map`);
    weights = [...new Set(Object.values(idx.data.weight_map))].sort();
    const missing = weights.filter((w) => !names.includes(w));
    if (missing.length) throw new BaseError('InvalidBaseFolder', `${dir}: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} named by model.safetensors.index.json missing`);
  } else if (names.includes('model.safetensors')) {
    weights = ['model.safetensors'];
  } else {
    throw new BaseError('InvalidBaseFolder', `${dir} has no model.safetensors (nor model.safetensors.index.json with shards); .bin/.pt weights are not read`);
  }
  for (const w of weights) await checkSafetensors(path.join(dir, w));
  return names.filter((n) => BASE_FILE.test(n) && (!n.endsWith('.safetensors') || weights.includes(n))).sort();
}
