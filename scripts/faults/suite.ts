/** Orchestration of the fault suite (see run.ts). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv, projectRoot } from '../../configs/env.js';
import { connectNeo4j, connectTemporal } from '../../client/index.js';
import { servicesDown, servicesUp } from '../../services/index.js';
import { ISOLATED_ENV, seedHome } from './isolate.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { renderTable, secs, until, WorkerPool } from './harness.js';
import { trainingWorkerKilled } from './s1-train-kill.js';
import { ingestWorkerKilled } from './s2-ingest-kill.js';
import { hostileCorpus } from './s3-hostile.js';
import { temporalRestarted } from './s4-temporal-restart.js';
import { neo4jKilled } from './s5-neo4j-kill.js';
import { twoTenants } from './s6-two-tenants.js';
import { soak } from './s7-soak.js';

const NAMES: Record<number, string> = {
  1: 'training worker SIGKILL', 2: 'ingest worker SIGKILL', 3: 'hostile corpus', 4: 'Temporal restart',
  5: 'Neo4j SIGKILL + restart', 6: 'two tenants at once', 7: 'soak',
};

async function guarded(id: number, ctx: Ctx, fn: () => Promise<ScenarioResult>): Promise<ScenarioResult> {
  const t0 = Date.now();
  ctx.log(`── scenario ${id}: ${NAMES[id]} ──`);
  let r: ScenarioResult;
  try {
    r = await fn();
  } catch (e) {
    r = { id, name: NAMES[id] ?? String(id), expected: '', observed: `harness error: ${(e as Error).message}`, dataLost: '?', recovery: '?', pass: false, notes: [] };
  }
  r.notes.unshift(`[${r.label ?? id}] wall time ${secs(Date.now() - t0)}`);
  ctx.log(`── scenario ${r.label ?? id}: ${r.pass ? 'PASS' : 'FAIL'} (${secs(Date.now() - t0)}) ──`);
  return r;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { reduced: { type: 'boolean' }, only: { type: 'string' }, 'keep-services': { type: 'boolean' } }, strict: true });
  const reduced = values.reduced === true;
  const all = reduced ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7];
  const only = values.only ? values.only.split(',').map(Number).filter((n) => all.includes(n)) : all;
  const started = Date.now();
  const log = (m: string): void => console.log(`[faults +${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${m}`);

  const env = loadEnv();
  if (env.home !== path.resolve(projectRoot(), ISOLATED_ENV.KGTUNE_HOME) || env.TEMPORAL_PORT !== Number(ISOLATED_ENV.TEMPORAL_PORT) || env.NEO4J_BOLT_PORT !== Number(ISOLATED_ENV.NEO4J_BOLT_PORT)) {
    throw new Error('refusing to run: the environment is not the isolated one (run through scripts/faults/run.ts)');
  }
  const seeded = seedHome(projectRoot());
  log(`isolated stack: KGTUNE_HOME=${ISOLATED_ENV.KGTUNE_HOME}, Temporal ${env.temporalAddress}, Neo4j ${env.neo4jUri}${seeded.length ? `; seeded ${seeded.join(', ')}` : ''}`);
  log(`mode: ${reduced ? 'reduced' : 'full'}; scenarios ${only.join(', ')}`);
  await servicesUp(env, (m) => log(m), { testServer: false });

  const { client, connection } = await connectTemporal(env);
  const driver = await connectNeo4j(env);
  const workers = new WorkerPool(env, client, log);
  const tmp = mkdtempSync(path.join(tmpdir(), 'kgtune-faults-'));
  const ctx: Ctx = { env, client, driver, workers, reduced, tmp, tag: Date.now().toString(36), log };
  const results: ScenarioResult[] = [];
  const stop = (): void => {
    void workers.stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await Promise.all([workers.spawn('cpu'), workers.spawn('gpu')]);
    const run = (id: number): boolean => only.includes(id);
    if (run(3)) results.push(await guarded(3, ctx, () => hostileCorpus(ctx)));
    // 1 and 2 overlap: the ingest-worker kill runs while scenario 1 waits out the training heartbeat timeout.
    if (run(1) || run(2)) {
      let release!: () => void;
      const killed = new Promise<void>((r) => { release = r; });
      const [r1, r2] = await Promise.all([
        run(1) ? guarded(1, ctx, () => trainingWorkerKilled(ctx, { afterKill: release })) : (release(), Promise.resolve(undefined)),
        run(2) ? killed.then(() => guarded(2, ctx, () => ingestWorkerKilled(ctx))) : Promise.resolve(undefined),
      ]);
      if (r1) results.push(r1);
      if (r2) results.push(r2);
    }
    if (!reduced && run(1)) {
      if (!workers.alive('gpu')) await workers.spawn('gpu');
      results.push(await guarded(1, ctx, () => trainingWorkerKilled(ctx, {}, 'stale')));
    }
    for (const id of [4, 5, 6, 7]) {
      if (!run(id)) continue;
      // A scenario that failed half-way may leave a service down: every scenario starts from a healthy stack.
      await until('a healthy stack', () => servicesUp(env, () => undefined, { testServer: false }).then(() => true), 120_000, 2_000);
      if (!workers.alive('cpu')) await workers.spawn('cpu');
      if (!workers.alive('gpu')) await workers.spawn('gpu');
      const fn = { 4: temporalRestarted, 5: neo4jKilled, 6: twoTenants, 7: soak }[id as 4 | 5 | 6 | 7];
      results.push(await guarded(id, ctx, () => fn(ctx)));
    }
  } finally {
    await workers.stopAll();
    await driver.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
    if (!values['keep-services']) await servicesDown(env, (m) => log(m)).catch((e: unknown) => log(`services down failed: ${(e as Error).message}`));
  }

  results.sort((a, b) => a.id - b.id);
  console.log(`\nkgtune fault suite (${reduced ? 'reduced' : 'full'}), ${secs(Date.now() - started)} in all\n`);
  console.log(renderTable(results));
  const notes = results.flatMap((r) => r.notes);
  if (notes.length) console.log(`\n${notes.join('\n')}`);
  const failed = results.filter((r) => !r.pass);
  console.log(`\n${results.length - failed.length}/${results.length} scenarios passed${failed.length ? `; failed: ${failed.map((r) => r.id).join(', ')}` : ''}`);
  return failed.length ? 1 : 0;
}
