/** The extraction prompt and the parsing of its reply. Change PROMPT_VERSION with the wording: it keys the cache. */
import { jsonAs } from '../../configs/artifact-file.js';
import type { IndustryPack } from '../../configs/industry-pack.js';
import type { ChunkRecord } from '../../ingest/index.js';
import { LlmReply } from './llm-schema.js';
import type { LlmTriple } from './llm-schema.js';

export const PROMPT_VERSION = 'extract-v2';

export interface ChatMessage { role: 'system' | 'user'; content: string }

export function systemPrompt(pack: IndustryPack): string {
  const types = pack.entityTypes.map((t) => `${t.name} (${t.zh}/${t.en})`).join(', ');
  const rels = pack.relationTypes.filter((r) => r.name !== 'RELATED_TO')
    .map((r) => `${r.name}: ${r.subjectTypes.join('|')} → ${r.objectTypes.join('|')} (${r.zh} / ${r.en})`).join('\n');
  return [
    'You extract facts stated explicitly in the text. Never guess. Text may be Chinese or English.',
    `Entity types: ${types}.`,
    `Relation types (subject types → object types):\n${rels}`,
    'Answer with JSON only: {"triples":[{"subject":"","subjectType":"","predicate":"","object":"","objectType":"","sentence":""}]}.',
    'Use names exactly as written; "sentence" is the one sentence stating the fact, copied verbatim. No facts → {"triples":[]}.',
  ].join('\n');
}

export function buildPrompt(chunk: ChunkRecord, pack: IndustryPack): ChatMessage[] {
  return [{ role: 'system', content: systemPrompt(pack) }, { role: 'user', content: chunk.text }];
}

/** Parses a reply: tolerates a ```json fence; undefined when it is not valid JSON of the schema. */
export function parseReply(content: string): LlmTriple[] | undefined {
  const body = content.trim().replace(/^```(?:json)?\s*/u, '').replace(/```$/u, '').trim();
  return jsonAs(body, LlmReply)?.triples;
}
