import type { ChunkRecord } from '../../../ingest/model.js';
import { loadIndustryPack } from '../../../configs/industry-pack.js';
import { extractOffline } from '../../../graph/extract/offline.js';
import type { ExtractResult } from '../../../graph/extract/types.js';

export const pack = loadIndustryPack('manufacturing');

export function chunks(...texts: string[]): ChunkRecord[] {
  return texts.map((text, i) => ({ id: `c${i}`, docSha256: 'a'.repeat(64), page: i + 1, start: 0, end: text.length, text, lang: /\p{Script=Han}/u.test(text) ? 'zh' : 'en', sentences: [] }));
}

/** The offline extractor over `texts` (one chunk each, manufacturing pack), without co-occurrence links. */
export function extractTexts(...texts: string[]): ExtractResult {
  return extractOffline({ tenant: 't', chunks: chunks(...texts), pack }, { cooccurrence: false });
}
