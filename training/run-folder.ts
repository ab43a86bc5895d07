/**
 * A training run's folder (layout: training/contract.ts): where it is, the checkpoint a retried attempt
 * resumes from, and the loss curve handed to the evaluation and the registry.
 */
import { access, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readJsonFile } from '../configs/artifact-file.js';
import { type LossPoint, LOSSES_FILE, LossesSchema } from './contract.js';
import { STATE_FILE } from './trainer/checkpoint.js';

/** `<artifacts>/<tenant>/runs/<runId>` (the run id made safe as a folder name). */
export function runDir(artifactsDir: string, tenant: string, runId: string): string {
  return path.join(artifactsDir, tenant, 'runs', runId.replace(/[^A-Za-z0-9_.-]+/g, '_'));
}

/** The step of a `checkpoint-N` folder (-1 for anything else). */
export const checkpointStep = (dir: string): number => Number(/checkpoint-(\d+)$/.exec(dir)?.[1] ?? -1);

const complete = (dir: string): Promise<boolean> => access(path.join(dir, STATE_FILE)).then(() => true, () => false);

/** Newest complete `checkpoint-N` folder under `<outDir>/checkpoints` (its state file is written last). */
export async function latestCheckpoint(outDir: string): Promise<string | undefined> {
  const root = path.join(outDir, 'checkpoints');
  const names = await readdir(root).catch(() => [] as string[]);
  const dirs = names.filter((n) => /^checkpoint-\d+$/.test(n)).map((n) => path.join(root, n)).sort((a, b) => checkpointStep(b) - checkpointStep(a));
  for (const dir of dirs) {
    if (await complete(dir)) return dir;
  }
  return undefined;
}

/**
 * Where a retried attempt resumes: the newer of the last heartbeat's checkpoint and the newest complete
 * one on disk (heartbeats are throttled by the server, so the heartbeat's can be a minute old).
 */
export async function resumePoint(outDir: string, heartbeatCheckpoint: string | undefined): Promise<string | undefined> {
  const onDisk = await latestCheckpoint(outDir);
  const hb = heartbeatCheckpoint && (await complete(heartbeatCheckpoint)) ? heartbeatCheckpoint : undefined;
  if (!hb) return onDisk;
  if (!onDisk) return hb;
  return checkpointStep(onDisk) > checkpointStep(hb) ? onDisk : hb;
}

export async function writeLosses(outDir: string, losses: readonly LossPoint[]): Promise<string> {
  const file = path.join(outDir, LOSSES_FILE);
  await writeFile(file, JSON.stringify(losses));
  return file;
}

export async function readLosses(file: string): Promise<LossPoint[]> {
  return readJsonFile(file, LossesSchema);
}
