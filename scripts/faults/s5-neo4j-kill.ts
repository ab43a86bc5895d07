/** 5. Neo4j is SIGKILLed during graph writes and restarted: activities retry and the graph equals a clean run's. */
import { existsSync, readFileSync } from 'node:fs';
import { deleteTenant, graphContentHash } from '../../graph/index.js';
import { isPortFree, neo4jPaths, startNeo4j } from '../../services/index.js';
import { NEO4J_ENTRY_POINT } from '../../services/neo4j.js';
import type { BuildGraphResult } from '../../workflows/graph.js';
import type { IngestResult } from '../../workflows/ingest.js';
import { activityAttempts, ingestAndGraph, SAMPLE, startGraph, startIngest } from './common.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { nodeCountsByLabel, pendingActivities, resultOf, scenario, secs, settled, until } from './harness.js';
import { sha256Hex } from '../../configs/hash.js';

/** The tenant's nodes and relationships with every `…At` timestamp left out: tells a fault's damage from a volatile hash input. */
async function contentWithoutTimestamps(ctx: Ctx, tenant: string): Promise<string> {
  const r = await ctx.driver.executeQuery(
    `MATCH (n {tenant: $tenant})
     OPTIONAL MATCH (n)-[r]->(m)
     WITH n, collect([type(r), coalesce(m.id, m.sha256), [k IN keys(r) WHERE NOT k ENDS WITH 'At' | [k, r[k]]]]) AS rels
     RETURN labels(n) AS l, [k IN keys(n) WHERE NOT k ENDS WITH 'At' | [k, n[k]]] AS props, rels`,
    { tenant },
  );
  const lines = r.records.map((x) => JSON.stringify([x.get('l'), (x.get('props') as unknown[][]).sort(), (x.get('rels') as unknown[][]).map((y) => JSON.stringify(y)).sort()]));
  return sha256Hex(lines.sort().join('\n'));
}

/** SIGKILLs our Neo4j (pid file under the isolated home, command line checked). */
function killNeo4j(ctx: Ctx): number {
  const p = neo4jPaths(ctx.env);
  const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
  const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  if (!cmd.includes(NEO4J_ENTRY_POINT) || !cmd.includes(`--home-dir=${p.home}`)) throw new Error(`pid ${pid} from ${p.pidFile} is not the suite's Neo4j`);
  process.kill(pid, 'SIGKILL');
  return pid;
}

export async function neo4jKilled(ctx: Ctx): Promise<ScenarioResult> {
  const res = scenario(5, 'Neo4j SIGKILL + restart', 'graph activities retry across the outage; buildGraph completes; graphContentHash equals a clean run of the same corpus and tenant');
  // The hash covers ids derived from the tenant, so the clean and the faulted run use the same tenant, one after the other.
  const tenant = `flt-${ctx.tag}-neo`;
  const t0 = Date.now();
  await ingestAndGraph(ctx, tenant, 'sample', SAMPLE(), 'clean');
  const cleanHash = await graphContentHash(ctx.driver, tenant);
  const cleanCounts = await nodeCountsByLabel(ctx.driver, tenant);
  const cleanContent = await contentWithoutTimestamps(ctx, tenant);
  const cleanMs = Date.now() - t0;
  await deleteTenant(ctx.driver, tenant);

  await resultOf<IngestResult>(ctx.client, await startIngest(ctx, tenant, 'sample', SAMPLE(), 'fault'), 600_000);
  const wf = await startGraph(ctx, tenant, 'sample', 'fault');
  const during = await until('a graph write activity to run', async () => {
    const a = (await pendingActivities(ctx.client, wf)).find((x) => x.state === 2 && (x.type === 'extractBatch' || x.type === 'createSnapshot'));
    return a?.type;
  }, 300_000, 30).catch(() => 'none (missed)');
  const killAt = Date.now();
  const pid = killNeo4j(ctx);
  // SIGKILL is asynchronous: restart only once the old JVM is gone (else startNeo4j adopts the dying pid).
  // (A JVM's leader thread shows as a zombie before its other threads have exited and released the port: wait for both.)
  await until(`Neo4j pid ${pid} to exit and free its port`, async () => (!existsSync(`/proc/${pid}`) || /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) && isPortFree(ctx.env.NEO4J_HOST, ctx.env.NEO4J_BOLT_PORT), 60_000, 100);
  ctx.log(`[5] SIGKILLed Neo4j pid ${pid} during ${during} (clean ingest+graph took ${secs(cleanMs)})`);
  await startNeo4j(ctx.env, (m) => ctx.log(`[5] ${m}`));
  const upAt = Date.now();
  const { result: graph, failure } = await settled<BuildGraphResult>(ctx.client, wf, 900_000);
  const doneAt = Date.now();
  const attempts = await activityAttempts(ctx, wf).catch(() => ({} as Record<string, number>));
  const faultHash = graph ? await graphContentHash(ctx.driver, tenant) : '';
  const faultCounts = await nodeCountsByLabel(ctx.driver, tenant);
  const same = faultHash === cleanHash;
  const sameContent = graph ? (await contentWithoutTimestamps(ctx, tenant)) === cleanContent : false;
  const diff = Object.keys({ ...cleanCounts, ...faultCounts }).filter((k) => cleanCounts[k] !== faultCounts[k]).map((k) => `${k} ${cleanCounts[k] ?? 0}→${faultCounts[k] ?? 0}`);
  let reproducible = '';
  if (graph && !same) {
    // Is the hash reproducible at all? A second clean run of the same corpus and tenant.
    await deleteTenant(ctx.driver, tenant);
    await ingestAndGraph(ctx, tenant, 'sample', SAMPLE(), 'clean2');
    const again = await graphContentHash(ctx.driver, tenant);
    reproducible = again === cleanHash ? 'two clean runs hash equal, so the difference comes from the fault' : 'two clean runs ALSO hash differently: graphContentHash is not reproducible';
    res.notes.push(`[5] ${reproducible}`);
  }
  res.observed = [
    graph ? `buildGraph completed (${graph.facts} facts, ${graph.entities} entities)` : `buildGraph FAILED: ${failure}`,
    `killed during ${during}; attempts ${Object.entries(attempts).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `hash ${same ? 'identical to' : 'DIFFERS from'} the clean run (${faultHash.slice(0, 12)} vs ${cleanHash.slice(0, 12)}); content without …At timestamps ${sameContent ? 'identical' : 'DIFFERS'}${diff.length ? `; node counts ${diff.join(', ')}` : '; node counts equal'}`,
  ].join('; ');
  res.dataLost = graph && diff.length === 0 && sameContent ? 'none' : !graph ? 'graph not built' : diff.length ? `node counts differ: ${diff.join(', ')}` : 'content differs from the clean run';
  res.recovery = `Neo4j back in ${secs(upAt - killAt)}; graph done ${secs(doneAt - killAt)} after kill`;
  // A short outage may be absorbed by the driver's managed-transaction retries (no activity retry needed): either is recovery.
  res.pass = !!graph && same;
  return res;
}
