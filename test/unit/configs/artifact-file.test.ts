import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArtifactError } from '../../../configs/artifact-file.js';
import { readEvaluationSummary } from '../../../evaluation/summary-file.js';
import { readExamples } from '../../../synthesis/dataset-files.js';
import { readLosses, writeLosses } from '../../../training/run-folder.js';

const dir = () => mkdtemp(path.join(tmpdir(), 'kgtune-artifacts-'));

describe('artifacts handed between stages are read back with their schema', () => {
  it('losses.json round-trips; a wrong shape is one permanent line naming the file and the field', async () => {
    const d = await dir();
    const file = await writeLosses(d, [{ step: 1, train: 2.5 }, { step: 2, train: 2.1, val: 2.4 }]);
    expect(await readLosses(file)).toEqual([{ step: 1, train: 2.5 }, { step: 2, train: 2.1, val: 2.4 }]);
    await writeFile(file, JSON.stringify([{ step: 1, loss: 2.5 }]));
    const err = await readLosses(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactError);
    expect(err).toMatchObject({ code: 'InvalidArtifact', retryable: false });
    expect((err as Error).message).toBe(`${file} does not match its schema — 0.train: Invalid input: expected number, received undefined`);
  });

  it('examples.jsonl: a bad line is named by file:line; not JSON is said so', async () => {
    const d = await dir();
    const good = { id: 'e1', type: 'fact_qa', lang: 'en', split: 'train', instruction: 'Where?', output: 'Here.', factIds: [], chunkIds: [], templateId: 't' };
    await writeFile(path.join(d, 'examples.jsonl'), `${JSON.stringify(good)}\n\n${JSON.stringify({ ...good, split: 'dev' })}\n`);
    await expect(readExamples(d)).rejects.toThrow(/examples\.jsonl:3 does not match its schema — split: /);
    await writeFile(path.join(d, 'examples.jsonl'), `${JSON.stringify(good)}\n{oops\n`);
    await expect(readExamples(d)).rejects.toThrow(/examples\.jsonl:2 is not valid JSON/);
    await writeFile(path.join(d, 'examples.jsonl'), `${JSON.stringify(good)}\n`);
    expect((await readExamples(d))[0]).toMatchObject({ id: 'e1', input: '', gold: [] });
  });

  it('evaluation-summary.json without gates is refused; a missing file stays a retryable I/O error', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'evaluation-summary.json'), JSON.stringify({ metrics: {}, passed: true }));
    await expect(readEvaluationSummary(d)).rejects.toThrow(/evaluation-summary\.json does not match its schema — gates: /);
    const missing = await readEvaluationSummary(path.join(d, 'nope')).catch((e: unknown) => e);
    expect(missing).not.toBeInstanceOf(ArtifactError);
    expect((missing as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});
