/**
 * Optional LLM extractor (off by default) behind the same Extractor interface: an OpenAI-compatible
 * chat endpoint (vLLM, Ollama, …) set by URL. The reply must be JSON matching LlmReply (zod);
 * an invalid reply is retried once, then the chunk is dropped and counted — never failing the batch.
 */
import { z } from 'zod';
import type { IndustryPack } from '../../configs/industry-pack.js';
import type { ChunkRecord } from '../../ingest/model.js';
import { nameKey } from '../internal/normalize.js';
import { Resolver } from '../resolve/index.js';
import { compilePack } from './internal/compile.js';
import { sentencesOf } from './internal/sentences.js';
import { assembleFacts } from './offline.js';
import { canonicalLiteral } from './relations.js';
import type { ExtractInput, ExtractResult, Extractor, RawFact } from './types.js';

export const LlmTriple = z.object({
  subject: z.string().min(1).max(200),
  subjectType: z.string().min(1).max(64),
  predicate: z.string().min(1).max(64),
  object: z.string().min(1).max(200),
  objectType: z.string().min(1).max(64),
  /** The sentence stating the triple, copied from the text. */
  sentence: z.string().max(2000).optional(),
});
export const LlmReply = z.object({ triples: z.array(LlmTriple).max(200) });
export type LlmTriple = z.infer<typeof LlmTriple>;

export interface LlmOptions {
  /** Base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1 */
  url: string;
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface ChatMessage { role: 'system' | 'user'; content: string }

export function buildPrompt(chunk: ChunkRecord, pack: IndustryPack): ChatMessage[] {
  const types = pack.entityTypes.map((t) => `${t.name} (${t.zh}/${t.en})`).join(', ');
  const rels = pack.relationTypes.filter((r) => r.name !== 'RELATED_TO')
    .map((r) => `${r.name}: ${r.subjectTypes.join('|')} → ${r.objectTypes.join('|')} (${r.zh} / ${r.en})`).join('\n');
  return [
    {
      role: 'system',
      content: [
        'You extract facts stated explicitly in the text. Never guess. Text may be Chinese or English.',
        `Entity types: ${types}.`,
        `Relation types (subject types → object types):\n${rels}`,
        'Answer with JSON only: {"triples":[{"subject":"","subjectType":"","predicate":"","object":"","objectType":"","sentence":""}]}.',
        'Use names exactly as written; "sentence" is the sentence copied verbatim. No facts → {"triples":[]}.',
      ].join('\n'),
    },
    { role: 'user', content: chunk.text },
  ];
}

/** Parses a reply: tolerates a ```json fence; undefined when it is not valid JSON of the schema. */
export function parseReply(content: string): LlmTriple[] | undefined {
  const body = content.trim().replace(/^```(?:json)?\s*/u, '').replace(/```$/u, '').trim();
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const r = LlmReply.safeParse(json);
  return r.success ? r.data.triples : undefined;
}

async function ask(opts: LlmOptions, messages: ChatMessage[]): Promise<string | undefined> {
  const f = opts.fetch ?? fetch;
  try {
    const res = await f(`${opts.url.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
      body: JSON.stringify({ model: opts.model, messages, temperature: 0, response_format: { type: 'json_object' } }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
    });
    if (!res.ok) return undefined;
    const data = (await res.json()) as { choices?: Array<{ message?: { content?: string } }> };
    return data.choices?.[0]?.message?.content;
  } catch {
    return undefined;
  }
}

export function createLlmExtractor(opts: LlmOptions): Extractor {
  return {
    name: 'llm',
    async extract(input: ExtractInput): Promise<ExtractResult> {
      const cp = compilePack(input.pack);
      const resolver = new Resolver(input.tenant);
      const raws: RawFact[] = [];
      let dropped = 0;
      let calls = 0;
      for (const chunk of input.chunks.filter((c) => !c.duplicateOf)) {
        let triples: LlmTriple[] | undefined;
        for (let attempt = 0; attempt < 2 && !triples; attempt++) {
          calls++;
          const content = await ask(opts, buildPrompt(chunk, input.pack));
          triples = content === undefined ? undefined : parseReply(content);
        }
        if (!triples) { dropped++; continue; }
        const sentences = sentencesOf(chunk);
        for (const t of triples) {
          const rel = cp.relationByName.get(t.predicate);
          if (!rel || t.predicate === 'RELATED_TO') continue; // allow-list: the pack's relations only
          const s = sentences.find((x) => (t.sentence && x.raw.includes(t.sentence.trim())) || (x.raw.includes(t.subject) && x.raw.includes(t.object)))
            ?? sentences.find((x) => nameKey(x.raw).includes(nameKey(t.subject)));
          if (!s) continue;
          const literal = rel.objectTypes.every((ty) => cp.literalPatterns.has(ty) || ty === 'Text');
          const subjectType = rel.subjectTypes.includes(t.subjectType) ? t.subjectType : rel.subjectTypes[0]!;
          const objectType = rel.objectTypes.includes(t.objectType) ? t.objectType : rel.objectTypes[0]!;
          resolver.observe(t.subject, subjectType, 1, chunk.id);
          if (!literal) resolver.observe(t.object, objectType, 1, chunk.id);
          raws.push({
            subject: { text: t.subject, type: subjectType }, predicate: rel.name,
            object: { text: literal ? canonicalLiteral(t.object, objectType) : t.object, type: objectType, literal },
            sentence: s, confidence: 0.7, via: 'llm',
          });
        }
      }
      const facts = assembleFacts(input.tenant, raws, resolver);
      const used = new Set(facts.flatMap((f) => [f.subjectId, f.objectId ?? '']));
      return {
        entities: resolver.entities().filter((e) => used.has(e.id)),
        facts,
        stats: { sentences: 0, patternFacts: 0, attributeFacts: 0, tableFacts: 0, cooccurrenceFacts: 0, merges: 0, llmDropped: dropped, llmCalls: calls },
      };
    },
  };
}
