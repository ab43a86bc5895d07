/**
 * npm run bench:graph — extraction quality (precision/recall per relation type on the labelled
 * sets) and Neo4j write speed: batched UNWIND (FACT_BATCH rows per transaction) vs one transaction
 * per fact, same facts, same statements (writeFactRows), same run. BENCH_FACTS sets the number of
 * facts (default 5000), BENCH_BATCH the batch size, BENCH_REPEAT how often the batched mode runs
 * (each time on a fresh tenant with the same data; the median is reported, default 3), BENCH_PARTS
 * which parts run (default `quality,real,speed`). The machine may be shared: the load average is printed
 * with each mode. `real` scores the offline extractor on the real-text labelled set
 * (bench/real-text/, documents read from KGTUNE_REAL_CORPUS); `--split dev|test|both` (or BENCH_SPLIT,
 * default both) picks the split — tune on dev, measure test once per change set.
 */
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import { benchEnv, loadEnv } from '../configs/env.js';
import { loadIndustryPack } from '../configs/industry-pack.js';
import { createOfflineExtractor, TRAINING_MIN_CONFIDENCE } from '../graph/extract/index.js';
import { sha256Hex } from '../configs/hash.js';
import { deleteTenant, ensureSchema, entityId, evaluateExtractor, FACT_BATCH, factId, factRows, labelledChunks, loadLabelled, stableId, upsertChunks, upsertCorpus, upsertDocuments, upsertEntitiesAndFacts, writeFactRows } from '../graph/index.js';

import type { EntityRecord, FactRecord } from '../graph/index.js';
import type { ChunkRecord } from '../ingest/index.js';
import { formatPairCheck, wrongFactPairs } from './real-text/pairs.js';
import { formatConfidence, formatReport, parseSplitArg, scoreSplit } from './real-text/score.js';

const pct = (x: number) => x.toFixed(2);

async function quality(): Promise<void> {
  const pack = loadIndustryPack('manufacturing');
  for (const file of ['labelled.jsonl', 'labelled-holdout.jsonl']) {
    const items = loadLabelled(path.resolve(import.meta.dirname, '../test/fixtures/graph', file));
    const r = await evaluateExtractor(createOfflineExtractor(), items, pack);
    console.log(`\nExtraction quality — ${file} (${items.length} items, ${items.reduce((n, i) => n + i.triples.length, 0)} expected triples)`);
    console.log('relation          TP   FP   FN  precision  recall');
    for (const [p, s] of [...Object.entries(r.byRelation), ['OVERALL', r.overall] as const]) {
      console.log(`${p.padEnd(16)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}`);
    }
  }
  const items = loadLabelled(path.resolve(import.meta.dirname, '../test/fixtures/graph/labelled.jsonl'));
  const chunks = Array.from({ length: 10 }, (_, k) => labelledChunks(items).map((c) => ({ ...c, id: `${c.id}-${k}` }))).flat();
  const t0 = performance.now();
  const res = await createOfflineExtractor().extract({ tenant: 'bench', chunks, pack });
  const s = (performance.now() - t0) / 1000;
  console.log(`\nOffline extraction: ${chunks.length} chunks, ${res.stats.sentences} sentences in ${s.toFixed(2)} s = ${(res.stats.sentences / s).toFixed(0)} sentences/s`);
}

function syntheticGraph(tenant: string, n: number): { chunks: ChunkRecord[]; entities: EntityRecord[]; facts: FactRecord[]; sha: string } {
  const sha = sha256Hex(`bench-${tenant}`);
  const chunks: ChunkRecord[] = Array.from({ length: 100 }, (_, i) => {
    const text = `Company ${i} is headquartered in City ${i % 17}. It released Product ${i}.`;
    return { id: stableId(sha, String(i)), docSha256: sha, page: 1 + (i % 10), start: i * 100, end: i * 100 + text.length, text, lang: 'en', sentences: [[0, 36]] };
  });
  const entities: EntityRecord[] = Array.from({ length: 500 }, (_, i) => ({ id: entityId(tenant, `e${i}`), name: `Entity ${i}`, type: 'Organization', aliases: [], mentions: [chunks[i % 100]!.id] }));
  const facts: FactRecord[] = Array.from({ length: n }, (_, i) => {
    const s = entities[i % 500]!;
    const o = entities[(i * 7 + 1) % 500]!;
    const c = chunks[i % 100]!;
    return {
      id: factId(tenant, s.id, 'RELATED_TO', `${o.id}-${i}`), subjectId: s.id, subject: s.name, subjectType: s.type, predicate: 'RELATED_TO',
      objectId: o.id, object: o.name, objectType: o.type, confidence: 0.8, lang: 'en',
      evidence: [{ chunkId: c.id, docSha256: sha, page: c.page, sentenceStart: 0, sentenceEnd: 36, sentence: c.text.slice(0, 36), confidence: 0.8 }],
    };
  });
  return { chunks, entities, facts, sha };
}

async function prepare(driver: Driver, tenant: string, n: number) {
  const g = syntheticGraph(tenant, n);
  await upsertCorpus(driver, tenant, 'bench');
  await upsertDocuments(driver, tenant, 'bench', [{ sha256: g.sha, name: 'bench.txt', mime: 'text/plain', pages: 10, status: 'ingested', piiCounts: {}, chars: 0 }]);
  await upsertChunks(driver, tenant, g.chunks);
  await upsertEntitiesAndFacts(driver, tenant, 'bench', { entities: g.entities, facts: [] });
  return g;
}

async function oneTxPerFact(driver: Driver, tenant: string, facts: FactRecord[]): Promise<void> {
  const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
  try {
    for (const f of facts) {
      const rows = factRows([f]);
      await session.executeWrite((tx) => writeFactRows(tx, tenant, rows));
    }
  } finally {
    await session.close();
  }
}

const loadAvg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

async function speed(): Promise<void> {
  const n = benchEnv().BENCH_FACTS;
  const batchSize = benchEnv().BENCH_BATCH ?? FACT_BATCH;
  const repeat = benchEnv().BENCH_REPEAT;
  const env = loadEnv();
  const driver = neo4j.driver(env.neo4jUri, neo4j.auth.basic(env.NEO4J_USER, env.NEO4J_PASSWORD));
  const run = randomBytes(3).toString('hex');
  const tenants = ['warm', 'single', ...Array.from({ length: repeat }, (_, k) => `batched${k}`)].map((k) => `bench-${k}-${run}`);
  try {
    await ensureSchema(driver);
    const [warm, single, ...batched] = tenants as [string, string, ...string[]];
    // Warm-up on its own tenant (query plans cached, server JIT warm) for both modes alike.
    const w = await prepare(driver, warm, Math.min(n, 3000));
    await upsertEntitiesAndFacts(driver, warm, 'bench', { entities: [], facts: w.facts }, { batchSize });
    await oneTxPerFact(driver, warm, w.facts.slice(0, 300));
    const times: number[] = [];
    const loads: string[] = [];
    for (const t of batched) {
      const g = await prepare(driver, t, n);
      const t0 = performance.now();
      await upsertEntitiesAndFacts(driver, t, 'bench', { entities: [], facts: g.facts }, { batchSize });
      times.push((performance.now() - t0) / 1000);
      loads.push(loadAvg());
    }
    const gs = await prepare(driver, single, n);
    const t0 = performance.now();
    await oneTxPerFact(driver, single, gs.facts);
    const ts = (performance.now() - t0) / 1000;
    const loadSingle = loadAvg();
    const tb = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    const rb = n / tb;
    const rs = n / ts;
    console.log(`\nNeo4j fact writes (${n} facts with SUBJECT/OBJECT/EVIDENCE, same statements, same run, ${os.availableParallelism()} cores)`);
    console.log('mode                       seconds    facts/s  load average (1/5/15 min, at the end of the mode)');
    console.log(`batched UNWIND (${`${batchSize}/tx)`.padEnd(9)} ${tb.toFixed(2).padStart(8)}  ${rb.toFixed(0).padStart(9)}  ${loads.at(-1)}  (median of ${times.length}: ${times.map((x) => (n / x).toFixed(0)).join(', ')} facts/s)`);
    console.log(`one transaction per fact  ${ts.toFixed(2).padStart(8)}  ${rs.toFixed(0).padStart(9)}  ${loadSingle}`);
    console.log(`ratio (batched / single)  ${(rb / rs).toFixed(1).padStart(8)}×   targets: ≥ 20× and ≥ 20,000 facts/s`);
  } finally {
    for (const t of tenants) await deleteTenant(driver, t);
    await driver.close();
  }
}

/** The real-text tables; a missing corpus or misaligned gold is one line on stderr and a failing exit code. */
async function realText(): Promise<void> {
  try {
    for (const split of parseSplitArg(process.argv.slice(2))) {
      const r = await scoreSplit(split);
      console.log(formatReport(r, process.argv.includes('--verbose')));
      console.log(formatConfidence(r, TRAINING_MIN_CONFIDENCE));
      console.log(formatPairCheck(`${split}, facts ≥ ${TRAINING_MIN_CONFIDENCE} taught (default)`, wrongFactPairs(r)));
      console.log(formatPairCheck(`${split}, every typed fact taught`, wrongFactPairs(r, { minFactConfidence: 0 })));
    }
  } catch (e) {
    console.error(`real-text bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}

const parts = benchEnv().BENCH_PARTS.split(',');
if (parts.includes('quality')) await quality();
if (parts.includes('real')) await realText();
if (parts.includes('speed')) await speed();
