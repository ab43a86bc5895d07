/** 6. Two tenants' pipelines at once (sharing two identical documents): no node, dataset or adapter crosses tenants. */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listAdapters } from '../../registry/index.js';
import type { PipelineResult } from '../../workflows/pipeline.js';
import { foreignReachable, startPipe, TINY } from './common.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { resultOf, scenario, secs } from './harness.js';

const MARKER = 'Zephyrine';

export async function twoTenants(ctx: Ctx): Promise<ScenarioResult> {
  const res = scenario(6, 'two tenants at once', "both pipelines complete; every node reachable from a tenant's Corpus has that tenant; shared files ingested in both (not deduplicated across tenants); datasets and adapters under each tenant only", 'n/a (no fault injected)');
  const a = `flt-${ctx.tag}-ta`;
  const b = `flt-${ctx.tag}-tb`;
  const dirB = path.join(ctx.tmp, 'tenant-b');
  mkdirSync(dirB, { recursive: true });
  for (const f of readdirSync(TINY())) copyFileSync(path.join(TINY(), f), path.join(dirB, f));
  writeFileSync(path.join(dirB, 'zephyrine-en.md'), `# ${MARKER} Robotics\n\n${MARKER} Robotics Ltd. is headquartered in Qingdao. ${MARKER} Robotics makes welding robots. ${MARKER} Robotics was founded in 2011 and has 240 employees.\n`);
  const t0 = Date.now();
  const [ida, idb] = await Promise.all([startPipe(ctx, a, 'tiny', TINY()), startPipe(ctx, b, 'tiny', dirB)]);
  const settle = (id: string) => resultOf<PipelineResult>(ctx.client, id, 900_000).then((r) => ({ r, e: '' }), (e: unknown) => ({ r: undefined, e: (e as Error).message }));
  const [ra, rb] = await Promise.all([settle(ida), settle(idb)]);
  const took = Date.now() - t0;
  const problems: string[] = [];
  for (const [t, r] of [[a, ra], [b, rb]] as const) {
    if (!r.r) {
      problems.push(`${t}: pipeline failed: ${r.e}`);
      continue;
    }
    const base = path.join(ctx.env.artifactsDir, t) + path.sep;
    if (!r.r.dataset.dir.startsWith(base)) problems.push(`${t}: dataset dir ${r.r.dataset.dir} outside ${base}`);
    if (!r.r.training.adapterDir.startsWith(base)) problems.push(`${t}: adapter dir ${r.r.training.adapterDir} outside ${base}`);
    const adapters = await listAdapters(ctx.driver, { tenant: t });
    if (adapters.length !== 1) problems.push(`${t}: ${adapters.length} adapters registered`);
    if (r.r.ingest.byStatus.duplicate) problems.push(`${t}: ${r.r.ingest.byStatus.duplicate} documents reported as duplicates`);
  }
  const reach = { a: await foreignReachable(ctx, a), b: await foreignReachable(ctx, b) };
  for (const [t, x] of [[a, reach.a], [b, reach.b]] as const) if (x.foreign.length) problems.push(`${t}: reaches ${x.foreign.length} foreign nodes (${[...new Set(x.foreign)].slice(0, 3).join(', ')})`);
  const cross = await ctx.driver.executeQuery(
    'MATCH (x)-[r]-(y) WHERE x.tenant IN $ts AND (y.tenant IS NULL OR y.tenant <> x.tenant) RETURN count(r) AS n',
    { ts: [a, b] },
  );
  const crossRels = Number(cross.records[0]?.get('n') ?? 0);
  if (crossRels) problems.push(`${crossRels} relationships between the tenants`);
  if (ra.r) {
    const examples = await readFile(path.join(ra.r.dataset.dir, 'examples.jsonl'), 'utf8').catch(() => '');
    if (examples.includes(MARKER)) problems.push(`${a}'s dataset mentions ${MARKER} (only in ${b}'s corpus)`);
  }
  const bHasMarker = rb.r ? (await readFile(path.join(rb.r.dataset.dir, 'examples.jsonl'), 'utf8').catch(() => '')).includes(MARKER) : false;
  res.observed = [
    `${ra.r && rb.r ? 'both pipelines completed' : 'a pipeline FAILED'} in ${secs(took)}`,
    `reachable from Corpus: ${a} ${reach.a.reached} nodes, ${b} ${reach.b.reached} nodes, ${reach.a.foreign.length + reach.b.foreign.length} foreign`,
    `${crossRels} cross-tenant relationships`,
    `${b}'s dataset ${bHasMarker ? 'has' : 'lacks'} its own ${MARKER} facts`,
    problems.length ? `problems: ${problems.join('; ')}` : 'no crossing',
  ].join('; ');
  res.dataLost = ra.r && rb.r ? 'none' : 'a pipeline failed';
  res.pass = problems.length === 0;
  return res;
}
