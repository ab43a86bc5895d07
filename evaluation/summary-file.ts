/** The evaluation summary the registry reads back from a report folder (layout: evaluation/contract.ts). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readJsonFile } from '../configs/artifact-file.js';
import { EVAL_SUMMARY_FILE, EvaluationSummaryFile } from './contract.js';

export async function writeEvaluationSummary(reportDir: string, s: EvaluationSummaryFile): Promise<string> {
  const file = path.join(reportDir, EVAL_SUMMARY_FILE);
  await writeFile(file, JSON.stringify(s, null, 1));
  return file;
}

export async function readEvaluationSummary(reportDir: string): Promise<EvaluationSummaryFile> {
  return readJsonFile(path.join(reportDir, EVAL_SUMMARY_FILE), EvaluationSummaryFile);
}
