/** 7. Soak: the tiny corpus back to back under new tenants: worker memory and per-tenant node counts stay flat, every run registers. */
import { listAdapters } from '../../registry/index.js';
import { runPipe, TINY } from './common.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { nodeCount, rssMb, scenario, secs } from './harness.js';

const RUNS = 10;
/**
 * Allowed growth of the workers' peak RSS from the first half of the runs to the second (run 1 is warm-up).
 * A worker's RSS is a sawtooth plus a slowly filling allocator, not a line. Measured on the gpu worker (native
 * backend) with a forced GC after every activity: tf.memory() 0 tensors, JS heap 78→80 MB and external memory
 * flat over 12 runs, RSS 1186→1415 MB rising +60 MB/run for 4 runs then ~+8 MB/run and slowing (the same
 * train + evaluate code in one process for 20 cycles stays at 1086–1130 MB). Without the forced GC the garbage
 * V8 keeps between collections adds ~100–250 MB on top. So one reading at the end of each of 4 runs ("last
 * minus first") measured warm-up and the collector's phase, not a leak; the peak per run (sampled every 0.5 s)
 * over 10 runs, second half against first, measures the plateau. A leak of L MB per run still shows as ≈ L × 5.
 * Tensor leaks are too small to see here (LoRA B + AdamW moments were 2.9 MB per run): a unit test counts them.
 */
const RSS_SLACK_MB = 150;
const SAMPLE_MS = 500;

/** Least-squares slope of ys against 0, 1, 2 …. */
function slope(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => { num += (x - mx) * (y - my); den += (x - mx) ** 2; });
  return num / den;
}

interface Row { tenant: string; ok: boolean; nodes: number; adapters: number; cpu?: number; gpu?: number; cpuPeak: number; gpuPeak: number; ms: number }

export async function soak(ctx: Ctx): Promise<ScenarioResult> {
  const res = scenario(7, 'soak',
    `${RUNS} pipelines back to back: each registers an adapter; nodes per tenant identical; workers' peak RSS (runs ${Math.ceil(RUNS / 2) + 1}–${RUNS} vs 2–${Math.ceil(RUNS / 2)}) grows ≤ ${RSS_SLACK_MB} MB`,
    'n/a (no fault injected)');
  const cpu = ctx.workers.get('cpu').pid;
  const gpu = ctx.workers.get('gpu').pid;
  const rows: Row[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const tenant = `flt-${ctx.tag}-soak${i}`;
    const t0 = Date.now();
    let ok = true;
    const peak = { cpu: 0, gpu: 0 };
    const sample = (): void => {
      peak.cpu = Math.max(peak.cpu, rssMb(cpu) ?? 0);
      peak.gpu = Math.max(peak.gpu, rssMb(gpu) ?? 0);
    };
    const timer = setInterval(sample, SAMPLE_MS);
    try {
      await runPipe(ctx, tenant, 'tiny', TINY());
    } catch (e) {
      ok = false;
      res.notes.push(`[7] run ${i} failed: ${(e as Error).message}`);
    } finally {
      clearInterval(timer);
      sample();
    }
    const row: Row = { tenant, ok, nodes: await nodeCount(ctx.driver, tenant), adapters: (await listAdapters(ctx.driver, { tenant })).length, cpu: rssMb(cpu), gpu: rssMb(gpu), cpuPeak: peak.cpu, gpuPeak: peak.gpu, ms: Date.now() - t0 };
    rows.push(row);
    ctx.log(`[7] run ${i}: ${ok ? 'ok' : 'FAILED'} in ${secs(row.ms)}, ${row.nodes} nodes, ${row.adapters} adapter(s), RSS end/peak cpu ${row.cpu}/${row.cpuPeak} MB gpu ${row.gpu}/${row.gpuPeak} MB`);
  }
  const nodes = new Set(rows.map((r) => r.nodes));
  const half = Math.ceil(RUNS / 2);
  const growth = (k: 'cpuPeak' | 'gpuPeak'): number => {
    const early = rows.slice(1, half).map((r) => r[k]);
    const late = rows.slice(half).map((r) => r[k]);
    return early.length && late.length ? Math.max(...late) - Math.max(...early) : Infinity;
  };
  const allOk = rows.length === RUNS && rows.every((r) => r.ok && r.adapters === 1);
  res.observed = [
    `${rows.filter((r) => r.ok).length}/${RUNS} completed, ${rows.filter((r) => r.adapters === 1).length} registered`,
    `nodes per tenant ${rows.map((r) => r.nodes).join(', ')}`,
    `peak RSS per run cpu ${rows.map((r) => r.cpuPeak).join('→')} MB (growth ${growth('cpuPeak')}), gpu ${rows.map((r) => r.gpuPeak).join('→')} MB (growth ${growth('gpuPeak')})`,
    `RSS at run end cpu ${rows.map((r) => r.cpu).join('→')}, gpu ${rows.map((r) => r.gpu).join('→')} MB`,
    `gpu peak slope over runs ${half + 1}–${RUNS} ${slope(rows.slice(half).map((r) => r.gpuPeak)).toFixed(1)} MB/run`,
    `run times ${rows.map((r) => secs(r.ms)).join(', ')}`,
  ].join('; ');
  res.dataLost = allOk ? 'none' : 'a run did not register';
  res.pass = allOk && nodes.size === 1 && growth('cpuPeak') <= RSS_SLACK_MB && growth('gpuPeak') <= RSS_SLACK_MB;
  return res;
}
