/**
 * vitest globalSetup for the integration project: brings up the real Temporal dev server and Neo4j
 * (provisioning them on first use) unless they are already running. Leaves them running afterwards
 * unless this setup started them and KGTUNE_STOP_SERVICES=1 (the test script decides).
 */
import { loadEnv } from '../../configs/env.js';
import { servicesDown, servicesStatus, servicesUp } from '../../services/index.js';

export default async function setup(): Promise<() => Promise<void>> {
  const env = loadEnv();
  const log = (line: string): void => console.log(`[services] ${line}`);
  const before = await servicesStatus(env);
  const wasUp = before.healthy;
  if (!wasUp) await servicesUp(env, log);
  return async () => {
    if (!wasUp && process.env.KGTUNE_STOP_SERVICES === '1') await servicesDown(env, log);
  };
}
