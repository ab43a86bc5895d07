/** 2. The ingest (cpu) worker is SIGKILLed mid-corpus: every document is stored exactly once, with all its chunks. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IngestResult } from '../../workflows/ingest.js';
import { activityAttempts, startIngest } from './common.js';
import { writeDistinctCorpus } from './corpora.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { pendingActivities, resultOf, scenario, secs, settled, sleep, until } from './harness.js';
import { sha256Hex } from '../../configs/hash.js';

const DOCS = 30;

interface DocRow { sha: string; copies: number; status: string; chunks: number; name: string }

async function documents(ctx: Ctx, tenant: string): Promise<DocRow[]> {
  const r = await ctx.driver.executeQuery(
    `MATCH (d:Document {tenant: $tenant})
     OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk {tenant: $tenant})
     WITH d, count(c) AS chunks
     RETURN d.sha256 AS sha, d.status AS status, d.name AS name, chunks`,
    { tenant },
  );
  const by = new Map<string, DocRow>();
  for (const rec of r.records) {
    const sha = rec.get('sha') as string;
    const row = by.get(sha);
    if (row) row.copies += 1;
    else by.set(sha, { sha, copies: 1, status: rec.get('status') as string, chunks: Number(rec.get('chunks')), name: rec.get('name') as string });
  }
  return [...by.values()];
}

export async function ingestWorkerKilled(ctx: Ctx): Promise<ScenarioResult> {
  const res = scenario(2, 'ingest worker SIGKILL',
    `${DOCS} documents stored exactly once (by sha256), each with all its chunks; ingestCorpus completes and reports ${DOCS} ingested`);
  const tenant = `flt-${ctx.tag}-ingest`;
  const dir = path.join(ctx.tmp, 'gen30');
  const files = writeDistinctCorpus(dir, DOCS);
  const shaOf = new Map(files.map((f) => [sha256Hex(readFileSync(path.join(dir, f))), f]));

  // Reference: the same corpus ingested without a fault (another tenant): chunks per document.
  const t0 = Date.now();
  await resultOf<IngestResult>(ctx.client, await startIngest(ctx, `${tenant}-ref`, 'gen30', dir, 'ref'), 600_000).catch((e: unknown) => res.notes.push(`[2] reference ingest failed: ${(e as Error).message}`));
  const refMs = Date.now() - t0;
  const ref = new Map((await documents(ctx, `${tenant}-ref`)).map((d) => [d.sha, d.chunks]));

  const wf = await startIngest(ctx, tenant, 'gen30', dir, 'fault');
  let closed = false;
  void ctx.client.workflow.getHandle(wf).result().finally(() => { closed = true; }).catch(() => undefined);
  const atKill = await until('the first documents to be stored', async () => {
    if (closed) return -1;
    const r = await ctx.driver.executeQuery('MATCH (d:Document {tenant: $tenant}) RETURN count(d) AS n', { tenant });
    const n = Number(r.records[0]?.get('n') ?? 0);
    return n >= 4 ? n : undefined;
  }, 300_000, 40);
  if (atKill < 0 || atKill >= DOCS) {
    res.observed = `ingest finished before the kill (${atKill} documents): corpus too small for this machine`;
    return res;
  }
  const killAt = Date.now();
  const cpu = await ctx.workers.kill('cpu');
  ctx.log(`[2] killed cpu worker ${cpu.pid} with ${atKill}/${DOCS} documents stored (reference ingest took ${secs(refMs)})`);
  await ctx.workers.spawn('cpu');

  // Watch for the retried attempt to start (the dead worker's activities time out after INGEST.heartbeatTimeout).
  let retryAt: number | undefined;
  const watch = (async () => {
    while (!closed && retryAt === undefined) {
      const acts = await pendingActivities(ctx.client, wf).catch(() => []);
      if (acts.some((a) => a.attempt >= 2 && a.state === 2)) retryAt = Date.now();
      await sleep(500);
    }
  })();
  const { result, failure } = await settled<IngestResult>(ctx.client, wf, 900_000);
  const doneAt = Date.now();
  closed = true;
  await watch;

  const docs = await documents(ctx, tenant);
  const missing = [...shaOf.keys()].filter((s) => !docs.some((d) => d.sha === s));
  const dupNodes = docs.filter((d) => d.copies > 1);
  const notIngested = docs.filter((d) => d.status !== 'ingested');
  const chunkLoss = docs.filter((d) => ref.has(d.sha) && d.chunks < (ref.get(d.sha) ?? 0));
  const attempts = await activityAttempts(ctx, wf).catch(() => ({} as Record<string, number>));
  const reported = result ? Object.entries(result.byStatus).map(([k, v]) => `${k} ${v}`).join(', ') : '';
  const misreported = result && (result.byStatus.ingested ?? 0) !== DOCS;

  res.observed = [
    result ? `ingestCorpus completed, reported ${reported}` : `ingestCorpus FAILED: ${failure}`,
    `killed with ${atKill}/${DOCS} stored; ingestBatch attempts ${attempts.ingestBatch ?? '?'}`,
    `Neo4j: ${docs.length} distinct documents, ${dupNodes.length} with >1 node, ${notIngested.length} not 'ingested'${notIngested.length ? ` (${notIngested.map((d) => `${d.name}: ${d.status}, ${d.chunks} chunks`).slice(0, 4).join('; ')})` : ''}`,
    `${chunkLoss.length} documents with fewer chunks than the clean reference`,
  ].join('; ');
  const lost = missing.length + chunkLoss.length;
  res.dataLost = lost === 0 && dupNodes.length === 0 ? 'none' : `${missing.length} documents missing, ${chunkLoss.length} lost chunks${chunkLoss.length ? ` (${chunkLoss.map((d) => `${d.name} ${d.chunks}/${ref.get(d.sha)}`).slice(0, 3).join(', ')})` : ''}, ${dupNodes.length} duplicated`;
  res.recovery = `${retryAt ? `${secs(retryAt - killAt)} to retry, ` : ''}done ${secs(doneAt - killAt)} after kill`;
  res.pass = !!result && lost === 0 && dupNodes.length === 0 && notIngested.length === 0 && !misreported && (attempts.ingestBatch ?? 0) >= 2;
  if (misreported) res.notes.push(`[2] ingestCorpus reported ${reported} for ${DOCS} distinct files: documents re-processed by the retried ingestBatch were counted as duplicates of themselves.`);
  if (notIngested.length) res.notes.push(`[2] documents stored with status ≠ ingested after the retry: ${notIngested.map((d) => `${d.name} (${d.status}, ${d.chunks} chunks)`).join('; ')}`);
  return res;
}
