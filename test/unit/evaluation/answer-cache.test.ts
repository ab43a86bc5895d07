import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerCacheFor, answerCacheKey, cachedBatches, evaluate, LocalAnswerCache } from '../../../evaluation/index.js';
import { PERPLEXITY_MAX_TOKENS } from '../../../training/index.js';
import { example } from './fixtures.js';

const SHA = 'a'.repeat(64);
const ctx = { baseSha256: SHA, backend: 'tensorflow@2.16.2' };
const greedy8 = { maxNewTokens: 8, greedy: true as const };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kgtune-answer-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A generator that answers "A:<prompt>" and records every batch it was asked. */
function counting() {
  const calls: string[][] = [];
  return { calls, gen: async (ps: string[]) => { calls.push(ps); return ps.map((p) => `A:${p}`); } };
}

async function records(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(root).catch(() => [] as string[])) for (const f of await readdir(path.join(root, sub))) out.push(path.join(root, sub, f));
  return out;
}

describe('LocalAnswerCache', () => {
  it('keeps each tenant\'s records in its own artifact folder: another tenant never reads them', async () => {
    const g = counting();
    const a = answerCacheFor({ artifactsDir: dir }, 'acme');
    const b = answerCacheFor({ artifactsDir: dir }, 'globex');
    await a.answers(ctx, greedy8, ['q1'], g.gen);
    expect(await records(path.join(dir, 'acme', 'answer-cache'))).toHaveLength(1);
    expect(await records(path.join(dir, 'globex', 'answer-cache'))).toHaveLength(0);
    await b.answers(ctx, greedy8, ['q1'], g.gen);
    expect(g.calls).toEqual([['q1'], ['q1']]);
  });


  it('computes a batch once and serves it from the cache afterwards, even from a new instance', async () => {
    const g = counting();
    const first = new LocalAnswerCache(dir);
    expect(await first.answers(ctx, greedy8, ['q1', 'q2'], g.gen)).toEqual(['A:q1', 'A:q2']);
    expect(await first.answers(ctx, greedy8, ['q1', 'q2'], g.gen)).toEqual(['A:q1', 'A:q2']);
    const second = new LocalAnswerCache(dir);
    expect(await second.answers(ctx, greedy8, ['q1', 'q2'], g.gen)).toEqual(['A:q1', 'A:q2']);
    expect(g.calls).toEqual([['q1', 'q2']]);
    expect([first.hits, first.misses, second.hits, second.misses]).toEqual([1, 1, 1, 0]);
    expect(await records(dir)).toHaveLength(1);
  });

  it('keys on everything the answers depend on: base, backend, decoding budget, prompts and their order', async () => {
    const g = counting();
    const c = new LocalAnswerCache(dir);
    await c.answers(ctx, greedy8, ['q1', 'q2'], g.gen);
    await c.answers({ ...ctx, baseSha256: 'b'.repeat(64) }, greedy8, ['q1', 'q2'], g.gen);
    await c.answers({ ...ctx, backend: 'wasm' }, greedy8, ['q1', 'q2'], g.gen);
    await c.answers(ctx, { maxNewTokens: 9, greedy: true }, ['q1', 'q2'], g.gen);
    await c.answers(ctx, greedy8, ['q2', 'q1'], g.gen);
    await c.answers(ctx, greedy8, ['q1', 'q2 '], g.gen);
    expect(g.calls).toHaveLength(6);
    expect(c.hits).toBe(0);
    // a heartbeat callback in the decoding options is not part of the key
    await c.answers(ctx, { ...greedy8, onStep: () => undefined } as typeof greedy8, ['q1', 'q2'], g.gen);
    expect(c.hits).toBe(1);
  });

  it('ignores and rewrites a corrupt record or one filed under another key', async () => {
    const g = counting();
    const c = new LocalAnswerCache(dir);
    await c.answers(ctx, greedy8, ['q1'], g.gen);
    const [file] = await records(dir);
    await writeFile(file!, '{"version":1,"kind":"generate"');
    expect(await c.answers(ctx, greedy8, ['q1'], g.gen)).toEqual(['A:q1']);
    expect(g.calls).toHaveLength(2);
    // a valid record copied to another key's name is not served for that key
    const other = answerCacheKey('generate', ctx, { decoding: greedy8, prompts: ['q9'] });
    await mkdir(path.dirname(c.file(other)), { recursive: true });
    await writeFile(c.file(other), await readFile(file!, 'utf8'));
    expect(await c.answers(ctx, greedy8, ['q9'], g.gen)).toEqual(['A:q9']);
    expect(g.calls).toHaveLength(3);
  });

  it('writes idempotently: the same batch computed twice at once leaves one whole record and no temporary files', async () => {
    const a = new LocalAnswerCache(dir);
    const b = new LocalAnswerCache(dir);
    const g = counting();
    const [x, y] = await Promise.all([a.answers(ctx, greedy8, ['q1'], g.gen), b.answers(ctx, greedy8, ['q1'], g.gen)]);
    expect(x).toEqual(y);
    const files = await records(dir);
    expect(files).toHaveLength(1);
    expect(files[0]!.endsWith('.json')).toBe(true);
    expect(JSON.parse(await readFile(files[0]!, 'utf8'))).toMatchObject({ kind: 'generate', baseSha256: SHA, prompts: ['q1'], answers: ['A:q1'] });
  });

  it('refuses to store a generator result with the wrong number of answers', async () => {
    const c = new LocalAnswerCache(dir);
    await expect(c.answers(ctx, greedy8, ['q1', 'q2'], async () => ['only one'])).rejects.toThrow(/one answer per prompt/);
    expect(await records(dir)).toHaveLength(0);
  });

  it('caches the base perplexity per text set', async () => {
    const c = new LocalAnswerCache(dir);
    let runs = 0;
    const ppl = () => { runs++; return 12.5; };
    expect(await c.perplexity(ctx, ['t1', 't2'], ppl)).toBe(12.5);
    expect(await c.perplexity(ctx, ['t1', 't2'], ppl)).toBe(12.5);
    expect(await c.perplexity(ctx, ['t1'], ppl)).toBe(12.5);
    expect(runs).toBe(2);
  });

  it('keys a perplexity by the scored window, so a record made with another window is a miss', async () => {
    const c = new LocalAnswerCache(dir);
    let runs = 0;
    const ppl = () => { runs++; return 7; };
    await c.perplexity(ctx, ['t1'], ppl);
    const [file] = await records(dir);
    const record = JSON.parse(await readFile(file!, 'utf8')) as { maxTokens: number; version: number };
    expect(record).toMatchObject({ version: 2, maxTokens: PERPLEXITY_MAX_TOKENS });
    // The same record written under a different window (or by version 1, which had none) is not reused.
    await writeFile(file!, JSON.stringify({ ...record, maxTokens: 64 }));
    await c.perplexity(ctx, ['t1'], ppl);
    expect(runs).toBe(2);
  });

  it('cachedBatches reproduces the batches it was computed in', async () => {
    const g = counting();
    const c = new LocalAnswerCache(dir);
    const ps = ['a', 'b', 'c', 'd', 'e'];
    expect(await cachedBatches(c, ctx, greedy8, ps, 2, g.gen)).toEqual(ps.map((p) => `A:${p}`));
    expect(g.calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    await cachedBatches(c, ctx, greedy8, ps, 2, g.gen);
    expect(g.calls).toHaveLength(3);
  });
});

describe('evaluate with the base through the answer cache', () => {
  const examples = [
    example({ id: 'p1', type: 'fact_qa', lang: 'en', split: 'test_paraphrase', output: 'Berlin', gold: ['Berlin'], factIds: ['f1'] }),
    example({ id: 'p2', type: 'fact_qa', lang: 'en', split: 'test_paraphrase', output: 'Paris', gold: ['Paris'], factIds: ['f2'] }),
    example({ id: 'h1', type: 'fact_qa', lang: 'en', split: 'test_heldout', output: 'Rome', gold: ['Rome'], factIds: ['f3'] }),
  ];
  const answersBy = (table: Record<string, string>, calls: string[][]) => async (ps: string[]) => {
    calls.push(ps);
    return ps.map((p) => table[p] ?? '');
  };

  it('a second adapter on the same base pays only for its own answers, and the base side of the report is unchanged', async () => {
    const c = new LocalAnswerCache(dir);
    const baseCalls: string[][] = [];
    const base = answersBy({ 'Q p1': 'Munich', 'Q p2': 'Paris', 'Q h1': 'Milan', 'R Q p1': 'Berlin', 'R Q p2': 'Paris', 'R Q h1': 'Rome' }, baseCalls);
    const run = (adapter: Record<string, string>) => evaluate({
      examples,
      formatPrompt: (e) => `Q ${e.id}`,
      generateBase: async (ps) => c.answers(ctx, greedy8, ps, base),
      generateAdapter: answersBy(adapter, []),
      retrievalPrompt: (e) => `R Q ${e.id}`,
      batchSize: 2,
      now: () => new Date('2025-01-01T00:00:00Z'),
    });
    const r1 = await run({ 'Q p1': 'Berlin', 'Q p2': 'Paris', 'Q h1': 'Rome' });
    const callsAfterFirst = baseCalls.length;
    expect(callsAfterFirst).toBe(4); // 2 batches of base prompts + 2 of retrieval prompts
    const r2 = await run({ 'Q p1': 'Berlin', 'Q p2': 'Lyon', 'Q h1': 'Rome' });
    expect(baseCalls.length).toBe(callsAfterFirst);
    expect(r2.examples.map((e) => [e.base.answer, e.retrieval?.answer])).toEqual(r1.examples.map((e) => [e.base.answer, e.retrieval?.answer]));
    expect(r2.examples.map((e) => e.adapter.answer)).toEqual(['Berlin', 'Lyon', 'Rome']);
  });
});
