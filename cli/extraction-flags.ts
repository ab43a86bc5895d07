/** `kgtune run` flags of the `extraction` input: --extraction offline|llm|both, --llm-url/--llm-model or --llm-model-path, --llm-concurrency, --llm-rpm. */
import path from 'node:path';
import type { ExtractionOptionsRaw } from '../graph/contract.js';
import { UsageError } from './errors.js';

export const EXTRACTION_FLAGS = {
  extraction: { type: 'string' }, 'llm-url': { type: 'string' }, 'llm-model': { type: 'string' }, 'llm-model-path': { type: 'string' },
  'llm-concurrency': { type: 'string' }, 'llm-rpm': { type: 'string' },
} as const;

export function extractionFromFlags(values: Record<string, unknown>): ExtractionOptionsRaw | undefined {
  const v = (k: string) => values[k] as string | undefined;
  const anyLlm = ['llm-url', 'llm-model', 'llm-model-path', 'llm-concurrency', 'llm-rpm'].some((k) => v(k) !== undefined);
  if (v('extraction') === undefined && !anyLlm) return undefined;
  const mode = (v('extraction') ?? 'llm') as ExtractionOptionsRaw['mode'];
  if (mode === 'offline' && anyLlm) throw new UsageError('--llm-* flags need --extraction llm or both');
  if (mode === 'offline') return { mode };
  const num = (k: string) => {
    if (v(k) === undefined) return undefined;
    const n = Number(v(k));
    if (!Number.isInteger(n)) throw new UsageError(`--${k} must be a whole number, not '${v(k)}'`);
    return n;
  };
  const llm = {
    ...(v('llm-url') ? { url: v('llm-url') } : {}), ...(v('llm-model') ? { model: v('llm-model') } : {}),
    ...(v('llm-model-path') ? { modelPath: path.resolve(v('llm-model-path')!) } : {}),
    ...(num('llm-concurrency') !== undefined ? { concurrency: num('llm-concurrency') } : {}),
    ...(num('llm-rpm') !== undefined ? { requestsPerMinute: num('llm-rpm') } : {}),
  };
  return { mode, ...(Object.keys(llm).length ? { llm } : {}) } as ExtractionOptionsRaw;
}
