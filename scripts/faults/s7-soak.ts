/** 7. Soak: the tiny corpus back to back under new tenants: worker memory and per-tenant node counts stay flat, every run registers. */
import { listAdapters } from '../../registry/index.js';
import { runPipe, TINY } from './common.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { nodeCount, rssMb, secs } from './harness.js';

const RUNS = 4;
/** Allowed RSS growth from the end of the first run to the end of the last (warm-up excluded). */
const RSS_SLACK_MB = 150;

export async function soak(ctx: Ctx): Promise<ScenarioResult> {
  const res: ScenarioResult = {
    id: 7, name: 'soak', pass: false, notes: [],
    expected: `${RUNS} pipelines back to back: each registers an adapter; nodes per tenant identical; worker RSS growth after run 1 ≤ ${RSS_SLACK_MB} MB`,
    observed: '', dataLost: '?', recovery: 'n/a (no fault injected)',
  };
  const cpu = ctx.workers.get('cpu').pid;
  const gpu = ctx.workers.get('gpu').pid;
  const rows: { tenant: string; ok: boolean; nodes: number; adapters: number; cpu?: number; gpu?: number; ms: number }[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const tenant = `flt-${ctx.tag}-soak${i}`;
    const t0 = Date.now();
    let ok = true;
    try {
      await runPipe(ctx, tenant, 'tiny', TINY());
    } catch (e) {
      ok = false;
      res.notes.push(`[7] run ${i} failed: ${(e as Error).message}`);
    }
    const row = { tenant, ok, nodes: await nodeCount(ctx.driver, tenant), adapters: (await listAdapters(ctx.driver, { tenant })).length, cpu: rssMb(cpu), gpu: rssMb(gpu), ms: Date.now() - t0 };
    rows.push(row);
    ctx.log(`[7] run ${i}: ${ok ? 'ok' : 'FAILED'} in ${secs(row.ms)}, ${row.nodes} nodes, ${row.adapters} adapter(s), RSS cpu ${row.cpu} MB gpu ${row.gpu} MB`);
  }
  const nodes = new Set(rows.map((r) => r.nodes));
  const grow = (k: 'cpu' | 'gpu'): number => (rows.at(-1)?.[k] ?? Infinity) - (rows[0]?.[k] ?? 0);
  const allOk = rows.every((r) => r.ok && r.adapters === 1);
  res.observed = [
    `${rows.filter((r) => r.ok).length}/${RUNS} completed, ${rows.filter((r) => r.adapters === 1).length} registered`,
    `nodes per tenant ${rows.map((r) => r.nodes).join(', ')}`,
    `RSS cpu ${rows.map((r) => r.cpu).join('→')} MB, gpu ${rows.map((r) => r.gpu).join('→')} MB`,
    `run times ${rows.map((r) => secs(r.ms)).join(', ')}`,
  ].join('; ');
  res.dataLost = allOk ? 'none' : 'a run did not register';
  res.pass = allOk && nodes.size === 1 && grow('cpu') <= RSS_SLACK_MB && grow('gpu') <= RSS_SLACK_MB;
  return res;
}
