/** 3. A hostile corpus through the whole pipeline: bad files reported with a reason, good ones processed, other tenants untouched. */
import path from 'node:path';
import { graphContentHash } from '../../graph/index.js';
import { listAdapters } from '../../registry/index.js';
import type { PipelineResult } from '../../workflows/pipeline.js';
import { ingestAndGraph, startPipe, TINY } from './common.js';
import { GBK_PHRASE, INJECTION, writeHostileCorpus } from './corpora.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { nodeCount, scenario, secs, settled } from './harness.js';

async function globalCounts(ctx: Ctx, except: string): Promise<{ others: number; untenanted: number }> {
  const r = await ctx.driver.executeQuery(
    'MATCH (n) RETURN sum(CASE WHEN n.tenant IS NULL THEN 1 ELSE 0 END) AS untenanted, sum(CASE WHEN n.tenant <> $t THEN 1 ELSE 0 END) AS others',
    { t: except },
  );
  return { others: Number(r.records[0]?.get('others') ?? 0), untenanted: Number(r.records[0]?.get('untenanted') ?? 0) };
}

export async function hostileCorpus(ctx: Ctx): Promise<ScenarioResult> {
  const res = scenario(3, 'hostile corpus', 'each bad file stored with a non-ingested status and a reason; good and adversarial-but-valid files ingested literally; pipeline completes; canary tenant unchanged', 'n/a (no fault injected)');
  const canary = `flt-${ctx.tag}-canary`;
  const tenant = `flt-${ctx.tag}-hostile`;
  await ingestAndGraph(ctx, canary, 'tiny', TINY(), 'canary');
  const canaryHash0 = await graphContentHash(ctx.driver, canary);
  const canaryNodes0 = await nodeCount(ctx.driver, canary);
  const before = await globalCounts(ctx, tenant);

  const dir = path.join(ctx.tmp, 'hostile');
  const files = writeHostileCorpus(dir, { huge: !ctx.reduced });
  const t0 = Date.now();
  const workflowId = await startPipe(ctx, tenant, 'hostile', dir, { training: { steps: 8, checkpointEvery: 4, batchSize: 8 } });
  const { result, failure } = await settled<PipelineResult>(ctx.client, workflowId, 1_200_000);
  const took = Date.now() - t0;

  const r = await ctx.driver.executeQuery(
    `MATCH (:Corpus {tenant: $tenant, id: 'hostile'})<-[:IN_CORPUS]-(d:Document {tenant: $tenant})
     OPTIONAL MATCH (d)-[:HAS_CHUNK]->(c:Chunk {tenant: $tenant})
     WITH d, collect(c.text) AS texts
     RETURN d.name AS name, d.status AS status, d.reason AS reason, size(texts) AS chunks,
            reduce(m = 0, t IN texts | CASE WHEN size(t) > m THEN size(t) ELSE m END) AS longest,
            any(t IN texts WHERE t CONTAINS $inj) AS hasInjection, any(t IN texts WHERE t CONTAINS $gbk) AS hasGbk,
            any(t IN texts WHERE t =~ $ctl) AS hasCtl`,
    { tenant, inj: INJECTION, gbk: GBK_PHRASE, ctl: '(?s).*[\\x00-\\x08\\x0b\\x0e-\\x1f\\x7f].*' },
  );
  const docs = new Map(r.records.map((x) => [x.get('name') as string, {
    status: x.get('status') as string, reason: (x.get('reason') as string | null) ?? '', chunks: Number(x.get('chunks')), longest: Number(x.get('longest')),
    hasInjection: x.get('hasInjection') as boolean, hasGbk: x.get('hasGbk') as boolean, hasCtl: x.get('hasCtl') as boolean,
  }]));
  const problems: string[] = [];
  const lines: string[] = [];
  for (const f of files) {
    const d = docs.get(f.name);
    if (!d) {
      problems.push(`${f.name}: no Document node`);
      continue;
    }
    lines.push(`${f.name} → ${d.status}${d.reason ? ` (${d.reason.slice(0, 70)})` : ''}, ${d.chunks} chunks`);
    if (f.expect === 'bad' && (d.status === 'ingested' || d.reason.trim().length < 5)) problems.push(`${f.name} (${f.why}): ${d.status} without a reason`);
    if (f.expect === 'either' && d.status !== 'ingested' && d.reason.trim().length < 5) problems.push(`${f.name} (${f.why}): ${d.status} without a reason`);
    if (f.expect === 'good' && (d.status !== 'ingested' || d.chunks === 0)) problems.push(`${f.name} (${f.why}): ${d.status}${d.reason ? ` — ${d.reason.slice(0, 120)}` : ''}`);
    if (f.name.startsWith('inject') && d.status === 'ingested' && !d.hasInjection) problems.push(`${f.name}: injection text not stored literally`);
    if (f.name === 'gbk-notice.txt' && d.status === 'ingested' && !d.hasGbk) problems.push('gbk-notice.txt: Chinese text not decoded from GBK');
    if (f.name === 'long-word.txt' && d.longest > 20_000) problems.push(`long-word.txt: a chunk of ${d.longest} characters`);
    if (d.hasCtl) res.notes.push(`[3] ${f.name}: stored chunk text still contains C0 control characters or DEL`);
  }
  const canaryHash1 = await graphContentHash(ctx.driver, canary);
  const canaryNodes1 = await nodeCount(ctx.driver, canary);
  const after = await globalCounts(ctx, tenant);
  const canaryOk = canaryHash0 === canaryHash1 && canaryNodes0 === canaryNodes1;
  if (!canaryOk) problems.push(`canary tenant changed: ${canaryNodes0} → ${canaryNodes1} nodes, hash ${canaryHash0.slice(0, 12)} → ${canaryHash1.slice(0, 12)}`);
  if (after.others !== before.others) problems.push(`nodes of other tenants: ${before.others} → ${after.others}`);
  if (after.untenanted !== before.untenanted) problems.push(`nodes without a tenant: ${before.untenanted} → ${after.untenanted}`);
  const adapters = await listAdapters(ctx.driver, { tenant });
  // Failures the summary must list: every bad file, and every "either" file that was not ingested — each once.
  const notIngested = files.filter((f) => f.expect !== 'good' && docs.get(f.name)?.status !== 'ingested').map((f) => f.name).sort();
  const bad = notIngested.length;
  const listed = result ? result.ingest.failures.map((x) => path.basename(x.file)).sort() : [];
  const reportedBad = listed.length;
  if (result && JSON.stringify(listed) !== JSON.stringify(notIngested)) problems.push(`ingest summary lists failures [${listed.join(', ')}], expected [${notIngested.join(', ')}]`);

  res.observed = [
    result ? `pipeline completed in ${secs(took)}; ingest reported ${Object.entries(result.ingest.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')} (${reportedBad} failures listed for ${bad} files not ingested); adapter v${adapters.map((a) => a.version).join(',')}` : `pipeline FAILED after ${secs(took)}: ${failure}`,
    `canary ${canaryNodes0} nodes, hash ${canaryOk ? 'unchanged' : 'CHANGED'}; nodes of other tenants ${before.others} → ${after.others}`,
    problems.length ? `problems: ${problems.join('; ')}` : `all ${files.length} files as expected`,
  ].join('; ');
  const goodLost = files.filter((f) => f.expect === 'good' && docs.get(f.name)?.status !== 'ingested').length;
  res.dataLost = goodLost === 0 && canaryOk ? 'none' : `${goodLost} good files not ingested${canaryOk ? '' : '; canary changed'}`;
  res.pass = !!result && problems.length === 0 && adapters.length >= 1;
  res.notes.push(...lines.map((l) => `[3]   ${l}`));
  return res;
}
