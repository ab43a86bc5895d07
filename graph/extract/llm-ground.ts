/**
 * Grounding of LLM triples: a triple is kept only when its evidence is a real sentence of the chunk
 * and its subject and object are written in that sentence. Comparison is on the name key (NFKC,
 * simplified script, case, no spaces or punctuation), so width, 繁/简 and "Co., Ltd." vs "Co Ltd" do
 * not matter; anything else (a paraphrase, a merged sentence, a name from another chunk) is dropped.
 */
import { nameKey } from '../internal/normalize.js';
import type { LlmTriple } from './llm-schema.js';
import type { SentenceCtx } from './types.js';

import type { DropReason } from '../contract.js';

export type { DropReason };

/** The quote must cover this share of the chunk sentence it is found in (a clause of it is fine, a word is not). */
const MIN_COVER = 0.6;

export type Grounding = { ok: true; sentence: SentenceCtx } | { ok: false; reason: DropReason };

export function groundTriple(t: LlmTriple, sentences: SentenceCtx[], chunkKey: string): Grounding {
  const subject = nameKey(t.subject);
  const object = nameKey(t.object);
  if (!subject || !chunkKey.includes(subject)) return { ok: false, reason: 'subjectNotInChunk' };
  if (!object || !chunkKey.includes(object)) return { ok: false, reason: 'objectNotInChunk' };
  const quote = nameKey(t.sentence ?? '');
  if (!quote) return { ok: false, reason: 'noEvidence' };
  const s = sentences.find((x) => {
    const k = nameKey(x.raw);
    return k.includes(quote) && quote.length >= MIN_COVER * k.length;
  });
  if (!s) return { ok: false, reason: 'evidenceNotInChunk' };
  const k = nameKey(s.raw);
  if (!k.includes(subject) || !k.includes(object)) return { ok: false, reason: 'notInEvidence' };
  return { ok: true, sentence: s };
}
