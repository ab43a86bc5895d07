/**
 * The fault suite runs its own stack, never the one on the default ports nor the test stack's: this module sets
 * the isolated environment (before anything calls loadEnv()); seeding the home is scripts/isolated-home.mjs's.
 */
import { applyIsolatedEnv, seedHome as seed } from '../isolated-home.mjs';
import { processEnv } from '../../configs/env.js';

/** Ports base+233 (Web UI base+1233) and base+687; base = KGTUNE_FAULTS_PORT_BASE (default 17000), so two clones can run it at once. */
function faultPortBase(source = processEnv()): number {
  const base = Number(source.KGTUNE_FAULTS_PORT_BASE ?? 17000);
  if (!Number.isInteger(base) || base < 1024 || base > 63000) throw new Error(`KGTUNE_FAULTS_PORT_BASE must be an integer in 1024..63000 (got ${source.KGTUNE_FAULTS_PORT_BASE})`);
  return base;
}

const base = faultPortBase();
export const ISOLATED_ENV = {
  KGTUNE_HOME: '.kgtune-faults',
  TEMPORAL_PORT: String(base + 233),
  TEMPORAL_UI_PORT: String(base + 1233),
  NEO4J_BOLT_PORT: String(base + 687),
} as const;

/** Overwrites (never inherits) the variables that choose ports and home: the suite must not touch the default stack. */
export function isolateEnv(): void {
  applyIsolatedEnv(ISOLATED_ENV);
}

/** Seeds `<root>/.kgtune-faults` from `<root>/.kgtune` (see scripts/isolated-home.mjs). */
export function seedHome(root: string): string[] {
  return seed(root, ISOLATED_ENV.KGTUNE_HOME);
}
