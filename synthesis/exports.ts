import type { Dataset } from './dataset.js';
import { SynthesisError } from './errors.js';
import { AlpacaFile, LlamaFactoryDatasetInfo, OpenAiChatLine, ShareGptFile, type AlpacaRecord, type OpenAiChatLine as ChatLine, type ShareGptRecord } from './formats.js';
import { Split, type Example } from './model.js';

function systemFor(dataset: Dataset, e: Example): string {
  return dataset.options.systemPrompt[e.lang].split('{corpus}').join(dataset.corpus);
}

function userText(e: Example): string {
  return e.input ? `${e.instruction}\n\n${e.input}` : e.instruction;
}

export function toAlpaca(dataset: Dataset, examples: readonly Example[]): AlpacaRecord[] {
  return AlpacaFile.parse(examples.map((e) => ({ instruction: e.instruction, input: e.input, output: e.output, system: systemFor(dataset, e) })));
}

export function toShareGpt(dataset: Dataset, examples: readonly Example[]): ShareGptRecord[] {
  return ShareGptFile.parse(
    examples.map((e) => ({ conversations: [{ from: 'human', value: userText(e) }, { from: 'gpt', value: e.output }], system: systemFor(dataset, e) })),
  );
}

export function toOpenAiChat(dataset: Dataset, examples: readonly Example[]): ChatLine[] {
  return examples.map((e) =>
    OpenAiChatLine.parse({
      messages: [
        { role: 'system', content: systemFor(dataset, e) },
        { role: 'user', content: userText(e) },
        { role: 'assistant', content: e.output },
      ],
    }),
  );
}

/** Dataset name stem for LLaMA-Factory: kgtune_<corpus>_<digest8>. */
export function datasetName(dataset: Dataset): string {
  const slug = dataset.corpus.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'corpus';
  return `kgtune_${slug}_${dataset.digest.slice(0, 8)}`;
}

/** Entries for LLaMA-Factory's dataset_info.json: per split, the Alpaca and the ShareGPT file. */
export function llamaFactoryDatasetInfo(dataset: Dataset, splits: readonly Split[] = Split.options): LlamaFactoryDatasetInfo {
  const stem = datasetName(dataset);
  const info: Record<string, unknown> = {};
  for (const split of splits) {
    info[`${stem}_${split}`] = {
      file_name: `alpaca_${split}.json`,
      formatting: 'alpaca',
      columns: { prompt: 'instruction', query: 'input', response: 'output', system: 'system' },
    };
    info[`${stem}_${split}_sharegpt`] = {
      file_name: `sharegpt_${split}.json`,
      formatting: 'sharegpt',
      columns: { messages: 'conversations', system: 'system' },
      tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt' },
    };
  }
  return LlamaFactoryDatasetInfo.parse(info);
}

/**
 * Every export file as (name → text), each built through its format's schema. Names:
 * alpaca_<split>.json, sharegpt_<split>.json, openai_<split>.jsonl, dataset_info.json.
 */
export function renderExports(dataset: Dataset): Map<string, string> {
  const files = new Map<string, string>();
  try {
    for (const split of Split.options) {
      const rows = dataset.examples.filter((e) => e.split === split);
      files.set(`alpaca_${split}.json`, `${JSON.stringify(toAlpaca(dataset, rows), null, 1)}\n`);
      files.set(`sharegpt_${split}.json`, `${JSON.stringify(toShareGpt(dataset, rows), null, 1)}\n`);
      files.set(`openai_${split}.jsonl`, toOpenAiChat(dataset, rows).map((l) => JSON.stringify(l)).join('\n') + (rows.length ? '\n' : ''));
    }
    files.set('dataset_info.json', `${JSON.stringify(llamaFactoryDatasetInfo(dataset), null, 2)}\n`);
  } catch (err) {
    throw new SynthesisError('InvalidExport', `dataset ${dataset.digest.slice(0, 12)} does not fit an export format: ${(err as Error).message}`);
  }
  return files;
}
