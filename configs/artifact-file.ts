/**
 * Reading back the files one stage hands to the next (losses.json, examples.jsonl, evaluation-summary.json, …):
 * parsed with the zod schema of the producing stage's contract, never cast. A file that does not parse is a
 * permanent failure naming the file and the first bad field; a missing file propagates as the I/O error it is
 * (a shared folder may catch up, so Temporal retries it).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { issuesLine, PermanentError } from './pure/errors.js';

export class ArtifactError extends PermanentError('InvalidArtifact') {}

function checked<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new ArtifactError(`${where} does not match its schema — ${issuesLine(r.error.issues.slice(0, 1), '(file)')}`);
}

function parsed(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ArtifactError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
}

/** One JSON document, checked against `schema`. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  return checked(schema, parsed(await readFile(file, 'utf8'), file), file);
}

/** JSON Lines (blank lines skipped), every line checked against `schema`. */
export async function readJsonLinesFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const out: z.infer<S>[] = [];
  lines.forEach((line, i) => {
    if (line.trim()) out.push(checked(schema, parsed(line, `${file}:${i + 1}`), `${file}:${i + 1}`));
  });
  return out;
}

/**
 * Text that may or may not be a `schema` document — a cache record, a model's reply: the value when it parses and
 * matches, else undefined (the caller treats it as absent: recompute, retry, count it). Never throws.
 */
export function jsonAs<S extends z.ZodType>(text: string, schema: S): z.infer<S> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

/**
 * Writes `text` to `file` all at once or not at all: a temporary file beside it (unique per process and call), renamed
 * into place, so a killed writer never leaves half a file and two writers of the same content never collide; the
 * folder is created first. A failed write removes its temporary file and throws.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.part`;
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
