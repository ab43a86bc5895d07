/**
 * The `extraction.mode` of the pipeline: offline, llm, or both (offline facts ∪ grounded LLM facts,
 * deduped by fact id: a fact both found keeps one record with the evidence of both).
 */
import type { EntityRecord, FactRecord } from '../model.js';
import { extractOffline } from './offline.js';
import type { ExtractInput, ExtractResult, Extractor } from './types.js';

export type ExtractionMode = 'offline' | 'llm' | 'both';

function mergeFacts(a: FactRecord[], b: FactRecord[]): FactRecord[] {
  const byId = new Map(a.map((f) => [f.id, { ...f, evidence: [...f.evidence] }]));
  for (const f of b) {
    const have = byId.get(f.id);
    if (!have) { byId.set(f.id, f); continue; }
    for (const ev of f.evidence) {
      if (!have.evidence.some((e) => e.chunkId === ev.chunkId && e.sentenceStart === ev.sentenceStart)) have.evidence.push(ev);
    }
    have.evidence.sort((x, y) => x.chunkId.localeCompare(y.chunkId) || x.sentenceStart - y.sentenceStart);
    have.confidence = Math.round((1 - have.evidence.reduce((p, e) => p * (1 - e.confidence), 1)) * 1000) / 1000;
  }
  return [...byId.values()].sort((x, y) => x.id.localeCompare(y.id));
}

function mergeEntities(a: EntityRecord[], b: EntityRecord[]): EntityRecord[] {
  const byId = new Map(a.map((e) => [e.id, e]));
  for (const e of b) {
    const have = byId.get(e.id);
    if (!have) byId.set(e.id, e);
    else byId.set(e.id, { ...have, aliases: [...new Set([...have.aliases, ...e.aliases])].filter((x) => x !== have.name) });
  }
  return [...byId.values()].sort((x, y) => x.id.localeCompare(y.id));
}

/** Runs the mode's extractors. In `both`, the LLM's names resolve to the offline entities first. */
export async function extractWithMode(mode: ExtractionMode, input: ExtractInput, llm?: Extractor): Promise<ExtractResult> {
  if (mode === 'offline') return extractOffline(input);
  if (!llm) throw new Error(`extraction mode '${mode}' needs an LLM extractor`);
  if (mode === 'llm') return llm.extract(input);
  const off = extractOffline(input);
  const on = await llm.extract({ ...input, known: [...(input.known ?? []), ...off.entities] });
  return {
    entities: mergeEntities(off.entities, on.entities),
    facts: mergeFacts(off.facts, on.facts),
    stats: { ...off.stats, llmDropped: on.stats.llmDropped, llmCalls: on.stats.llmCalls, ...(on.stats.llm ? { llm: on.stats.llm } : {}) },
  };
}
