import { describe, expect, it } from 'vitest';
import { buildPrompt, createLlmExtractor, parseReply } from '../../../graph/extract/llm.js';
import { chunks, pack } from './helpers.js';

const reply = (content: string) => new Response(JSON.stringify({ choices: [{ message: { content } }] }), { status: 200 });
const good = JSON.stringify({ triples: [
  { subject: '蓝海电子有限公司', subjectType: 'Organization', predicate: 'LOCATED_IN', object: '深圳', objectType: 'Location', sentence: '蓝海电子有限公司总部位于深圳。' },
  { subject: '蓝海电子有限公司', subjectType: 'Organization', predicate: 'OWNS]->(x) DETACH DELETE x //', object: '深圳', objectType: 'Location' },
] });

function fakeFetch(replies: string[]) {
  const calls: Array<{ url: string; body: { model: string; messages: Array<{ content: string }> } }> = [];
  const f = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(init.body as string) });
    return reply(replies.shift() ?? 'not json');
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe('LLM extractor (fake endpoint)', () => {
  it('prompts with the pack ontology and the chunk text, and parses zod-valid JSON', async () => {
    const c = chunks('蓝海电子有限公司总部位于深圳。');
    const prompt = buildPrompt(c[0]!, pack);
    expect(prompt[0]!.content).toContain('LOCATED_IN: Organization → Location');
    expect(prompt[0]!.content).toContain('JSON only');
    expect(prompt[1]!.content).toBe(c[0]!.text);
    const { f, calls } = fakeFetch(['```json\n' + good + '\n```']);
    const res = await createLlmExtractor({ url: 'http://llm.local/v1/', model: 'm', fetch: f }).extract({ tenant: 't', chunks: c, pack });
    expect(calls[0]!.url).toBe('http://llm.local/v1/chat/completions');
    expect(calls[0]!.body.model).toBe('m');
    expect(res.facts.map((x) => `${x.subject}|${x.predicate}|${x.object}`)).toEqual(['蓝海电子有限公司|LOCATED_IN|深圳']);
    expect(res.facts[0]!.evidence[0]!.sentence).toBe('蓝海电子有限公司总部位于深圳。');
    expect(res.stats.llmDropped).toBe(0);
  });

  it('retries an invalid reply once, then drops the chunk and counts it without failing the batch', async () => {
    const c = chunks('蓝海电子有限公司总部位于深圳。', '星辰精密总部位于苏州。');
    const { f, calls } = fakeFetch(['{"triples": "nope"}', good, 'garbage', '{"facts": []}']);
    const res = await createLlmExtractor({ url: 'http://llm.local/v1', model: 'm', fetch: f, concurrency: 1, maxRetries: 1, retryDelayMs: 0 }).extract({ tenant: 't', chunks: c, pack });
    expect(calls).toHaveLength(4);
    expect(res.stats).toMatchObject({ llmDropped: 1, llmCalls: 4 });
    expect(res.facts).toHaveLength(1);
  });

  it('parseReply rejects non-JSON and schema violations', () => {
    expect(parseReply('sure! here are the facts')).toBeUndefined();
    expect(parseReply('{"triples":[{"subject":"a"}]}')).toBeUndefined();
    expect(parseReply('{"triples":[]}')).toEqual([]);
  });
});
