/**
 * vitest globalSetup for the integration and e2e projects: the tests' own isolated stack (`.kgtune-test`, ports from
 * KGTUNE_TEST_PORT_BASE — see scripts/isolated-home.mjs), never the user's. Provisions and starts the real Temporal
 * dev server and Neo4j on first use (seeded from the user's `.kgtune` caches), creates the graph schema, and leaves
 * them running afterwards unless this setup started them and KGTUNE_STOP_SERVICES=1 (the test script decides).
 */
import { loadEnv, projectRoot } from '../../configs/env.js';
import { servicesDown, servicesStatus, servicesUp } from '../../services/index.js';
import { applyIsolatedEnv, seedHome, testStackEnv } from '../../scripts/isolated-home.mjs';

export default async function setup(): Promise<() => Promise<void>> {
  const vars = testStackEnv();
  applyIsolatedEnv(vars);
  seedHome(projectRoot(), vars.KGTUNE_HOME);
  const env = loadEnv();
  const log = (line: string): void => console.log(`[services] ${line}`);
  const before = await servicesStatus(env);
  const wasUp = before.healthy;
  // Also when already up: `servicesUp` is idempotent and checks the graph schema.
  await servicesUp(env, log);
  return async () => {
    if (!wasUp && process.env.KGTUNE_STOP_SERVICES === '1') await servicesDown(env, log);
  };
}
