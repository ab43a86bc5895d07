import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Driver } from 'neo4j-driver';
import { competitorsFromFacts, evaluate, findGroup, runGates, writeReport, type EvaluationReport } from '../evaluation/index.js';
import { generate, loadForGeneration, perplexity, promptText } from '../training/index.js';
import { loadBaseText } from '../training/base-text.js';
import { readSnapshot } from '../graph/index.js';
import type { KgtuneEnv } from '../configs/env.js';
import type { EvaluationActivities } from './types.js';
import { classified } from './errors.js';
import { BASE_PRETRAIN_CHARS, readExamples, tinyBasePaths } from './training.js';
import { EVAL_SUMMARY_FILE } from './registry.js';

/** Answers are short facts: 40 new tokens cover the longest gold answer in the sample data set. */
const MAX_NEW_TOKENS = 40;
const GENERAL_HELDOUT_TEXTS = 24;

/** General text past the base's pretraining budget, held out for the forgetting check (perplexity). */
export async function heldOutGeneralText(env: KgtuneEnv): Promise<string[]> {
  const { texts } = await loadBaseText(tinyBasePaths(env).cacheDir, BASE_PRETRAIN_CHARS + 40_000);
  let chars = 0;
  const tail: string[] = [];
  for (const t of texts) {
    if (chars >= BASE_PRETRAIN_CHARS) tail.push(t);
    chars += t.length;
  }
  return tail.slice(0, GENERAL_HELDOUT_TEXTS);
}

/** The headline numbers the CLI and Web UI show: paraphrase/held-out EM, F1, refusal, true/false, perplexity. */
export function summarize(report: EvaluationReport): Record<string, { base: number; adapter: number }> {
  const out: Record<string, { base: number; adapter: number }> = {};
  for (const split of ['test_paraphrase', 'test_heldout'] as const) {
    const g = findGroup(report, { split });
    if (!g) continue;
    const short = split === 'test_paraphrase' ? 'paraphrase' : 'heldout';
    for (const m of ['exactMatch', 'tokenF1', 'rougeL', 'faithfulness', 'refusalAccuracy', 'trueFalseAccuracy'] as const) {
      const b = g.base.values[m];
      const a = g.adapter.values[m];
      if (b !== null && a !== null) out[`${short}.${m}`] = { base: b, adapter: a };
    }
  }
  const p = report.perplexity;
  if (p.base !== null && p.adapter !== null) out['general.perplexity'] = { base: p.base, adapter: p.adapter };
  return out;
}

export function createEvaluationActivities(deps: { driver: Driver; env: KgtuneEnv }): EvaluationActivities {
  const { driver, env } = deps;
  return {
    /**
     * Base and base+adapter answer the test splits (batched greedy generation); metrics per split ×
     * language × type, perplexity on held-out general text, gates, and a report with charts.
     */
    async evaluate({ tenant, runId, baseDir, adapterDir, datasetDir, lossesFile, gates, snapshotId }) {
      return classified(async () => {
        const ctx = Context.current();
        const examples = await readExamples(datasetDir);
        const snapshot = await readSnapshot(driver, tenant, snapshotId);
        const base = await loadForGeneration({ baseDir, backend: env.KGTUNE_TRAIN_BACKEND });
        const tuned = await loadForGeneration({ baseDir, adapterDir, merge: true, backend: env.KGTUNE_TRAIN_BACKEND });
        try {
          const general = await heldOutGeneralText(env);
          const report = await evaluate({
            examples,
            formatPrompt: (e) => promptText({ instruction: e.instruction, input: e.input }),
            generateBase: async (prompts) => generate(base, prompts, { maxNewTokens: MAX_NEW_TOKENS, greedy: true }),
            generateAdapter: async (prompts) => generate(tuned, prompts, { maxNewTokens: MAX_NEW_TOKENS, greedy: true }),
            perplexityBase: general.length ? perplexity(base, general) : undefined,
            perplexityAdapter: general.length ? perplexity(tuned, general) : undefined,
            competitors: competitorsFromFacts(snapshot.facts),
            batchSize: 16,
            onProgress: (p: unknown) => ctx.heartbeat(p),
          });
          const verdict = await runGates({ report, config: gates, adapterDir, adapter: { layers: base.model.config.layers } });
          const reportDir = path.join(path.dirname(lossesFile), 'evaluation');
          const losses = JSON.parse(await readFile(lossesFile, 'utf8')) as { step: number; train: number; val?: number }[];
          await writeReport(report, reportDir, { title: `Evaluation of ${runId}`, losses, gates: verdict.gates });
          const summary = summarize(report);
          await writeFile(path.join(reportDir, EVAL_SUMMARY_FILE), JSON.stringify({ metrics: summary, gates: verdict.gates, passed: verdict.passed }, null, 1));
          return {
            reportDir, passed: verdict.passed, summary,
            gates: verdict.gates.map((g) => ({ name: g.name, value: g.value ?? Number.NaN, threshold: g.threshold, passed: g.verdict === 'pass' })),
          };
        } finally {
          base.dispose();
          tuned.dispose();
        }
      });
    },
  };
}
