import type { KgtuneEnv } from '../../configs/env.js';
import { withTemporal } from '../../client/index.js';
import { TASK_QUEUES } from '../../workflows/options.js';
import { withLocalWorker } from '../local-worker.js';
import { deviceLine } from '../../training/contract.js';
import type { HealthcheckResult } from '../../workflows/healthcheck.js';

/** Runs the healthcheck workflow; starts an in-process worker if none is polling. */
export async function healthcheckCommand(_args: string[], env: KgtuneEnv): Promise<number> {
  return withTemporal(env, async (client) => {
    const result = await withLocalWorker(env, client, 'cpu', async () =>
      client.workflow.execute('healthcheck', { taskQueue: TASK_QUEUES.cpu, workflowId: `healthcheck-${Date.now()}`, args: [{}] }));
    const r = result as HealthcheckResult;
    const training = 'device' in r.training ? `${deviceLine(r.training.device)} (backend ${r.training.device.backend})` : r.training.unavailable;
    console.log(`healthcheck ${r.workflowId}: Temporal ${r.temporal.serverVersion}, Neo4j ${r.neo4j.version} ${r.neo4j.edition}, write+read ${r.neo4j.wroteAndRead ? 'ok' : 'FAILED'}; training device: ${training}`);
    return r.neo4j.wroteAndRead ? 0 : 1;
  });
}
