/** 4. The Temporal server is stopped and started again (same SQLite file) while a pipeline trains: the pipeline completes. */
import { startTemporal, stopTemporal } from '../../services/index.js';
import { listAdapters } from '../../registry/index.js';
import type { PipelineResult } from '../../workflows/pipeline.js';
import { activityAttempts, startPipe, TINY } from './common.js';
import type { Ctx, ScenarioResult } from './harness.js';
import { pendingActivities, resultOf, scenario, secs, sleep, until } from './harness.js';

export async function temporalRestarted(ctx: Ctx): Promise<ScenarioResult> {
  const res = scenario(4, 'Temporal restart', 'workers and the pipeline survive a server stop/start during training; pipeline completes, adapter registered');
  const tenant = `flt-${ctx.tag}-temporal`;
  const workflowId = await startPipe(ctx, tenant, 'tiny', TINY(), { training: { steps: 30, checkpointEvery: 5, batchSize: 8 } });
  const trainId = `${workflowId}.train`;
  await until('training to start', async () => (await pendingActivities(ctx.client, trainId)).some((a) => a.type === 'trainAdapter' && a.state === 2), 600_000, 300);
  const cpuPid = ctx.workers.get('cpu').pid;
  const gpuPid = ctx.workers.get('gpu').pid;
  const stopAt = Date.now();
  await stopTemporal(ctx.env, (m) => ctx.log(`[4] ${m}`));
  await sleep(5_000);
  await startTemporal(ctx.env, (m) => ctx.log(`[4] ${m}`));
  const upAt = Date.now();
  ctx.log(`[4] Temporal down for ${secs(upAt - stopAt)} (stop, 5 s pause, start)`);

  // Progress after the restart: a later stage, or a heartbeat recorded after the restart.
  let progressAt: number | undefined;
  let result: PipelineResult | undefined;
  let failure = '';
  const resultP = resultOf<PipelineResult>(ctx.client, workflowId, 900_000).then((r) => { result = r; }, (e: unknown) => { failure = (e as Error).message; });
  const watch = (async () => {
    while (progressAt === undefined && !result && !failure) {
      const a = (await pendingActivities(ctx.client, trainId).catch(() => [])).find((x) => x.type === 'trainAdapter');
      if (a?.lastHeartbeatMs && a.lastHeartbeatMs > upAt) progressAt = Date.now();
      if (!a) {
        const d = await ctx.client.workflow.getHandle(trainId).describe().catch(() => undefined);
        if (d && d.status.name !== 'RUNNING') progressAt = Date.now();
      }
      await sleep(500);
    }
  })();
  await resultP;
  await watch;
  const doneAt = Date.now();
  const workersSurvived = ctx.workers.alive('cpu') && ctx.workers.alive('gpu') && ctx.workers.get('cpu').pid === cpuPid && ctx.workers.get('gpu').pid === gpuPid;
  const attempts = await activityAttempts(ctx, trainId).catch(() => ({} as Record<string, number>));
  const adapters = await listAdapters(ctx.driver, { tenant });
  res.observed = [
    result ? `pipeline completed (${result.training.steps} steps)` : `pipeline FAILED: ${failure}`,
    `workers ${workersSurvived ? 'survived (same pids)' : 'DIED'}`,
    `train attempts ${attempts.trainAdapter ?? '?'}`,
    `adapter ${adapters.map((a) => `v${a.version}`).join(',') || 'none'}`,
  ].join('; ');
  res.dataLost = result && adapters.length ? 'none' : 'pipeline result lost';
  res.recovery = `server back in ${secs(upAt - stopAt)}; ${progressAt ? `progress ${secs(progressAt - upAt)} after restart; ` : ''}done ${secs(doneAt - upAt)} after restart`;
  res.pass = !!result && workersSurvived && adapters.length >= 1;
  return res;
}
