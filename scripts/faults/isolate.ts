/**
 * The fault suite runs its own stack, never the one on the default ports nor the test stack's: this module sets
 * the isolated environment (before anything calls loadEnv()); seeding the home is scripts/isolated-home.mjs's.
 */
import { applyIsolatedEnv, seedHome as seed } from '../isolated-home.mjs';

export const ISOLATED_ENV = {
  KGTUNE_HOME: '.kgtune-faults',
  TEMPORAL_PORT: '17233',
  TEMPORAL_UI_PORT: '18233',
  NEO4J_BOLT_PORT: '17687',
} as const;

/** Overwrites (never inherits) the variables that choose ports and home: the suite must not touch the default stack. */
export function isolateEnv(): void {
  applyIsolatedEnv(ISOLATED_ENV);
}

/** Seeds `<root>/.kgtune-faults` from `<root>/.kgtune` (see scripts/isolated-home.mjs). */
export function seedHome(root: string): string[] {
  return seed(root, ISOLATED_ENV.KGTUNE_HOME);
}
