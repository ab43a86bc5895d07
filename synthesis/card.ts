import type { Dataset } from './dataset.js';
import { datasetName } from './exports.js';
import { ExampleType, Split } from './model.js';

const SPLIT_NOTES: Record<Split, string> = {
  train: 'facts trained on',
  val: 'facts never trained on; for early stopping',
  test_paraphrase: 'template swap: facts trained on, asked with a question template held out for them (the template is trained with other facts; the reference answer is the trained one) — not an independent paraphrase',
  test_heldout: 'facts never trained on (expected low) and unanswerable questions (made-up names in the corpus’s own style, relations the documents do not state); reported separately',
};

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The dataset card: what it is, where it came from, counts, and the contamination figures. */
export function datasetCard(dataset: Dataset): string {
  const c = dataset.counts;
  const lines: string[] = [];
  lines.push(`# Dataset ${datasetName(dataset)}`, '');
  lines.push('Instruction pairs synthesised by kgtune from a knowledge-graph snapshot. Every example records the facts and evidence chunks it came from.', '');
  lines.push(row(['field', 'value']), row(['---', '---']));
  lines.push(row(['digest (SHA-256 of examples.jsonl)', `\`${dataset.digest}\``]));
  lines.push(row(['snapshot', `\`${dataset.snapshotId}\``]), row(['tenant', dataset.tenant]), row(['corpus', dataset.corpus]));
  lines.push(row(['industry pack', dataset.options.industry ?? '(not recorded)']));
  lines.push(row(['seed', dataset.seed]), row(['examples', `${c.total} (target ${c.requested})`]));
  lines.push(row(['candidates generated', c.candidates]), row(['dropped by caps', c.droppedByCaps]), row(['dropped by size target', c.droppedByTarget]));
  lines.push(row(['multi-fact questions dropped (facts in different splits)', c.droppedCrossSplit]), '');

  lines.push('## Splits', '', row(['split', 'examples', 'facts', 'meaning']), row(['---', '---:', '---:', '---']));
  for (const s of Split.options) lines.push(row([s, c.bySplit[s], c.factsBySplit[s], SPLIT_NOTES[s]]));
  lines.push('', 'Facts are split in groups (all facts answering the same entity and relation, inverse statements included); a question spanning groups is kept only when they share a split.', '');

  lines.push('## Examples per type and split', '', row(['type', ...Split.options, 'total']), row(['---', ...Split.options.map(() => '---:'), '---:']));
  for (const t of ExampleType.options) lines.push(row([t, ...Split.options.map((s) => c.bySplitType[s][t]), c.byType[t]]));
  lines.push('');

  lines.push('## Languages', '', row(['language', 'examples']), row(['---', '---:']));
  lines.push(row(['zh', c.byLang.zh]), row(['en', c.byLang.en]), '');

  lines.push('## Relation types', '', row(['relation', 'examples']), row(['---', '---:']));
  for (const [rel, n] of Object.entries(c.byRelation)) lines.push(row([`\`${rel}\``, n]));
  lines.push('');

  const k = dataset.contamination;
  lines.push('## Contamination (instructions vs. train)', '');
  lines.push(`n-grams: ${k.ngram.zh.unit} ${k.ngram.zh.n}-grams for Chinese, ${k.ngram.en.unit} ${k.ngram.en.n}-grams for English. Templates are shared across facts, so some overlap is expected; what must hold is zero facts shared with train for val and test_heldout.`, '');
  lines.push(row(['split', 'examples', 'with n-gram overlap', 'overlap rate', 'mean n-gram overlap', 'identical instructions', 'facts', 'facts also in train']));
  lines.push(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const [s, f] of Object.entries(k.splits)) lines.push(row([s, f.examples, f.withOverlap, f.overlapRate, f.meanNgramOverlap, f.exactDuplicates, f.facts, f.factsInTrain]));
  lines.push('');

  lines.push('## Files', '');
  lines.push('- `examples.jsonl` — canonical examples with provenance (digest input)');
  lines.push('- `alpaca_<split>.json`, `sharegpt_<split>.json` — LLaMA-Factory formats; `dataset_info.json` — their entries');
  lines.push('- `openai_<split>.jsonl` — OpenAI chat fine-tuning format');
  lines.push('- `manifest.json` — digest, counts, contamination, options and file hashes', '');
  return lines.join('\n');
}
