/**
 * The LLM extractor against a fake OpenAI-compatible server on loopback: protocol, grounding,
 * cache, retries, concurrency and rate limits — counted, never timed.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LlmExtractionError } from '../../../graph/errors.js';
import { createLlmExtractor } from '../../../graph/extract/llm.js';
import type { Clock } from '../../../graph/extract/llm-limit.js';
import { extractWithMode } from '../../../graph/extract/llm-mode.js';
import { chunks, pack } from './helpers.js';

interface Req { auth?: string; body: { model: string; messages: Array<{ role: string; content: string }>; response_format?: { type: string } } }
type Handler = (req: Req, n: number) => { status: number; content?: string; headers?: Record<string, string> };

let server: http.Server;
let url = '';
let handler: Handler = () => ({ status: 500 });
let requests: Req[] = [];
let inFlight = 0;
let maxInFlight = 0;
let clockNow = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => { data += c.toString(); });
    req.on('end', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const r: Req = { auth: req.headers.authorization, body: JSON.parse(data) as Req['body'] };
      requests.push(r);
      const out = handler(r, requests.length);
      setImmediate(() => {
        inFlight--;
        res.writeHead(out.status, { 'content-type': 'application/json', ...(out.headers ?? {}) });
        res.end(out.status === 200 ? JSON.stringify({ choices: [{ message: { role: 'assistant', content: out.content } }] }) : '{"error":"nope"}');
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
const dirs: string[] = [];
afterEach(() => {
  requests = []; sentAt.length = 0; inFlight = 0; maxInFlight = 0; clockNow = 0;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kgtune-llm-')); dirs.push(d); return d; };

/** Virtual time: a sleep advances it on the next turn of the event loop, after the calls already let through have started. */
const clock: Clock = { now: () => clockNow, sleep: (ms) => new Promise((r) => setImmediate(() => { clockNow += Math.max(0, ms); r(); })) };
/** Records the virtual time at which each request is sent. */
const sentAt: number[] = [];
const timedFetch = ((input: string, init: RequestInit) => { sentAt.push(clockNow); return fetch(input, init); }) as typeof fetch;

const T = (subject: string, predicate: string, object: string, sentence?: string, types: [string, string] = ['Organization', 'Location']) =>
  ({ subject, subjectType: types[0], predicate, object, objectType: types[1], ...(sentence !== undefined ? { sentence } : {}) });
const reply = (...triples: object[]) => JSON.stringify({ triples });

const TEXT_A = '蓝海电子有限公司总部位于深圳。公司成立于2008年。';
const TEXT_B = 'Orion Robotics is headquartered in Austin. It makes arms.';

describe('LLM extractor over HTTP (fake OpenAI-compatible server)', () => {
  it('speaks the chat-completions protocol and keeps a grounded triple with its sentence as evidence', async () => {
    handler = () => ({ status: 200, content: reply(T('蓝海电子有限公司', 'LOCATED_IN', '深圳', '蓝海电子有限公司总部位于深圳。')) });
    const ex = createLlmExtractor({ url: `${url}/`, model: 'qwen2.5-7b-instruct', apiKey: 'sk-test', clock });
    const r = await ex.extract({ tenant: 't', chunks: chunks(TEXT_A), pack });
    expect(requests).toHaveLength(1);
    const q = requests[0]!;
    expect(q.auth).toBe('Bearer sk-test');
    expect(q.body.model).toBe('qwen2.5-7b-instruct');
    expect(q.body.response_format).toEqual({ type: 'json_object' });
    expect(q.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(q.body.messages[1]!.content).toBe(TEXT_A);
    expect(r.facts.map((f) => `${f.subject}|${f.predicate}|${f.object}`)).toEqual(['蓝海电子有限公司|LOCATED_IN|深圳']);
    expect(r.facts[0]!.evidence[0]).toMatchObject({ chunkId: 'c0', sentence: '蓝海电子有限公司总部位于深圳。', sentenceStart: 0 });
    expect(r.stats.llm).toMatchObject({ chunks: 1, calls: 1, cached: 0, failedChunks: 0, triples: 1, grounded: 1 });
  });

  it('drops and counts every triple that is not grounded in its chunk', async () => {
    handler = () => ({ status: 200, content: reply(
      T('蓝海电子有限公司', 'LOCATED_IN', '深圳', '蓝海电子有限公司总部位于深圳。'), // kept
      T('星辰精密', 'LOCATED_IN', '深圳', '星辰精密总部位于深圳。'), // subject from nowhere
      T('蓝海电子有限公司', 'LOCATED_IN', '上海', '蓝海电子有限公司总部位于上海。'), // object from nowhere
      T('蓝海电子有限公司', 'LOCATED_IN', '深圳', '蓝海电子的总部设在深圳市。'), // paraphrased evidence
      T('蓝海电子有限公司', 'LOCATED_IN', '深圳'), // no evidence
      T('蓝海电子有限公司', 'LOCATED_IN', '深圳', '公司成立于2008年。'), // real sentence, but it does not state the triple
      T('蓝海电子有限公司', 'RELATED_TO', '深圳', '蓝海电子有限公司总部位于深圳。'), // co-occurrence is not an LLM fact
      T('蓝海电子有限公司', 'OWNS]->(x) DETACH DELETE x //', '深圳', '蓝海电子有限公司总部位于深圳。'), // not in the pack
    ) });
    const r = await createLlmExtractor({ url, model: 'm', clock }).extract({ tenant: 't', chunks: chunks(TEXT_A), pack });
    expect(r.facts.map((f) => `${f.subject}|${f.predicate}|${f.object}`)).toEqual(['蓝海电子有限公司|LOCATED_IN|深圳']);
    expect(r.stats.llm).toMatchObject({
      triples: 8, grounded: 1,
      dropped: { subjectNotInChunk: 1, objectNotInChunk: 1, evidenceNotInChunk: 1, noEvidence: 1, notInEvidence: 1, unknownPredicate: 2 },
    });
  });

  it('answers a re-run from the cache (chunk hash + model + prompt version), and asks again for another model', async () => {
    const cacheDir = tmp();
    handler = (q) => ({ status: 200, content: q.body.messages[1]!.content === TEXT_A
      ? reply(T('蓝海电子有限公司', 'LOCATED_IN', '深圳', '蓝海电子有限公司总部位于深圳。'))
      : reply(T('Orion Robotics', 'LOCATED_IN', 'Austin', 'Orion Robotics is headquartered in Austin.')) });
    const input = { tenant: 't', chunks: chunks(TEXT_A, TEXT_B), pack };
    const first = await createLlmExtractor({ url, model: 'm', clock, cacheDir }).extract(input);
    expect(requests).toHaveLength(2);
    const files = fs.readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.json'));
    expect(files).toHaveLength(2);
    expect(fs.readdirSync(cacheDir, { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toHaveLength(0);
    const again = await createLlmExtractor({ url, model: 'm', clock, cacheDir }).extract(input);
    expect(requests).toHaveLength(2);
    expect(again.stats.llm).toMatchObject({ cached: 2, calls: 0 });
    expect(again.facts).toEqual(first.facts);
    await createLlmExtractor({ url, model: 'other', clock, cacheDir }).extract(input);
    expect(requests).toHaveLength(4);
    // a corrupt cache file is a miss, not an error
    for (const f of files) fs.writeFileSync(path.join(cacheDir, String(f)), '{"v":1,"triples":');
    const healed = await createLlmExtractor({ url, model: 'm', clock, cacheDir }).extract(input);
    expect(requests).toHaveLength(6);
    expect(healed.facts).toEqual(first.facts);
  });

  it('retries a failed call or an invalid reply, then gives up on that chunk only', async () => {
    // chunk A: 503, then not JSON, then a good reply → kept after 2 retries; chunk B: always 500 → given up after 1 + maxRetries calls
    const good = reply(T('蓝海电子有限公司', 'LOCATED_IN', '深圳', '蓝海电子有限公司总部位于深圳。'));
    let aCalls = 0;
    handler = (q) => {
      if (q.body.messages[1]!.content !== TEXT_A) return { status: 500 };
      aCalls++;
      return aCalls === 1 ? { status: 503, headers: { 'retry-after': '7' } } : aCalls === 2 ? { status: 200, content: 'Sure! Here are the facts.' } : { status: 200, content: good };
    };
    const r = await createLlmExtractor({ url, model: 'm', clock, concurrency: 1, maxRetries: 2, retryDelayMs: 1000 }).extract({ tenant: 't', chunks: chunks(TEXT_A, TEXT_B), pack });
    expect(aCalls).toBe(3);
    expect(requests).toHaveLength(6);
    expect(r.stats.llm).toMatchObject({ chunks: 2, calls: 6, retries: 4, failedChunks: 1, grounded: 1 });
    expect(r.stats.llmDropped).toBe(1);
    expect(r.facts).toHaveLength(1);
    // back-off: A waited 7 s (Retry-After) then 2 s; B waited 1 s then 2 s
    expect(clockNow).toBe(7000 + 2000 + 1000 + 2000);
  });

  it('stops the batch with one clear error when the endpoint refuses the key (permanent)', async () => {
    handler = () => ({ status: 401 });
    const run = createLlmExtractor({ url, model: 'm', clock, maxRetries: 3 }).extract({ tenant: 't', chunks: chunks(TEXT_A), pack });
    await expect(run).rejects.toBeInstanceOf(LlmExtractionError);
    await expect(run).rejects.toThrow(/HTTP 401 \(set KGTUNE_LLM_API_KEY on the workers\)/);
    expect(requests).toHaveLength(1);
  });

  it('keeps to the concurrency limit and to requests per minute', async () => {
    handler = () => ({ status: 200, content: reply() });
    const texts = Array.from({ length: 7 }, (_, i) => `第${i}号工厂位于深圳。`);
    const r = await createLlmExtractor({ url, model: 'm', clock, fetch: timedFetch, concurrency: 3, requestsPerMinute: 3 }).extract({ tenant: 't', chunks: chunks(...texts), pack });
    expect(requests).toHaveLength(7);
    expect(r.stats.llm).toMatchObject({ chunks: 7, calls: 7, failedChunks: 0 });
    expect(maxInFlight).toBeLessThanOrEqual(3);
    const at = [...sentAt].sort((a, b) => a - b);
    for (const t of at) expect(at.filter((x) => x >= t && x < t + 60_000).length).toBeLessThanOrEqual(3);
    expect(at).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
  });

  it('mode both = offline facts ∪ grounded LLM facts, deduped by fact id', async () => {
    const text = '蓝海电子有限公司总部位于深圳。星辰精密有限公司由张伟创立。';
    handler = () => ({ status: 200, content: reply(
      T('蓝海电子有限公司', 'LOCATED_IN', '深圳', '蓝海电子有限公司总部位于深圳。'),
      T('张伟', 'FOUNDED', '星辰精密有限公司', '星辰精密有限公司由张伟创立。', ['Person', 'Organization']),
    ) });
    const input = { tenant: 't', chunks: chunks(text), pack };
    const llm = createLlmExtractor({ url, model: 'm', clock });
    const off = await extractWithMode('offline', input);
    const on = await extractWithMode('llm', input, llm);
    const both = await extractWithMode('both', input, llm);
    const ids = (fs: Array<{ id: string }>) => fs.map((f) => f.id);
    expect(new Set(ids(both.facts))).toEqual(new Set([...ids(off.facts), ...ids(on.facts)]));
    expect(ids(both.facts).length).toBe(new Set(ids(both.facts)).size);
    const shared = off.facts.find((f) => ids(on.facts).includes(f.id));
    expect(shared, 'offline and LLM find the same LOCATED_IN fact').toBeDefined();
    expect(both.stats.llm?.grounded).toBe(on.stats.llm?.grounded);
  });
});
