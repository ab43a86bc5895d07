import type { ChunkRecord } from '../../../ingest/model.js';
import { loadIndustryPack } from '../../../configs/industry-pack.js';

export const pack = loadIndustryPack('manufacturing');

export function chunks(...texts: string[]): ChunkRecord[] {
  return texts.map((text, i) => ({ id: `c${i}`, docSha256: 'a'.repeat(64), page: i + 1, start: 0, end: text.length, text, lang: /\p{Script=Han}/u.test(text) ? 'zh' : 'en', sentences: [] }));
}
